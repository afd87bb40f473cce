package io.voicecoach.analytics.metrics;

import io.voicecoach.analytics.metrics.SessionMetrics.CategoryCount;
import io.voicecoach.analytics.metrics.SessionMetrics.Monologue;
import io.voicecoach.analytics.metrics.SessionMetrics.Objection;
import io.voicecoach.analytics.metrics.SessionMetrics.Objections;
import io.voicecoach.analytics.metrics.SessionMetrics.Prompts;
import io.voicecoach.analytics.metrics.SessionMetrics.Sentiment;
import io.voicecoach.analytics.metrics.SessionMetrics.Speaker;
import io.voicecoach.analytics.metrics.SessionMetrics.Trend;
import io.voicecoach.analytics.metrics.SessionMetrics.UtteranceSentiment;
import io.voicecoach.events.Track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes {@link SessionMetrics} from a session's utterances (exact per-track timings) and prompts. Pure: same input,
 * same figures. The rep is the {@link Track#AGENT} track.
 */
public final class ConversationMetrics {

    private static final List<String> TRACKS = List.of(Track.AGENT, Track.CUSTOMER);
    private static final double TREND_THRESHOLD = 0.2;

    private final MetricsSettings settings;

    public ConversationMetrics(MetricsSettings settings) {
        this.settings = settings;
    }

    /** Metrics of speech and prompts only (no stages, LLM calls or transcription failures). */
    public SessionMetrics compute(Long durationMs, List<Speech> utterances, List<Prompt> prompts) {
        return compute(durationMs, utterances, prompts, SessionActivity.NONE);
    }

    /**
     * @param durationMs the session's duration if it ended, else null (the end of the last utterance is used)
     */
    public SessionMetrics compute(Long durationMs, List<Speech> utterances, List<Prompt> prompts,
                                  SessionActivity activity) {
        var speech = utterances.stream()
                .sorted(Comparator.comparingLong(Speech::startMs).thenComparingLong(Speech::endMs))
                .toList();
        long duration = durationMs != null ? durationMs
                : speech.stream().mapToLong(Speech::endMs).max().orElse(0);
        var monologues = monologues(speech);
        var interrupters = interruptions(speech);
        Map<String, Long> talk = new HashMap<>();
        TRACKS.forEach(t -> talk.put(t, talkMs(speech, t)));
        long totalTalk = talk.values().stream().mapToLong(Long::longValue).sum();

        Map<String, Speaker> speakers = new LinkedHashMap<>();
        for (String track : TRACKS) {
            speakers.put(track, speaker(track, speech, duration, talk.get(track), totalTalk, monologues, interrupters));
        }
        var longest = monologues.stream().max(Comparator.comparingLong(Monologue::durationMs)
                .thenComparing(Comparator.comparingLong(Monologue::startMs).reversed())).orElse(null);
        long audioTracks = speech.stream().filter(Speech::fromAudio).map(Speech::track).distinct().count();
        int shown = (int) prompts.stream().filter(Prompt::delivered).count();
        return new SessionMetrics(duration, round(duration * audioTracks / 60_000.0, 2), speakers, longest,
                speakers.get(Track.AGENT).questions(), interrupters.size(), objections(speech, prompts),
                sentiment(speech, duration), new Prompts(prompts.size(), shown),
                StageTimeline.of(activity.stageChanges(), duration), llm(activity.llmCalls()),
                failures(activity.failureCodes()));
    }

    private static SessionMetrics.Llm llm(List<LlmCall> calls) {
        Map<String, SessionMetrics.LlmPurpose> byPurpose = new TreeMap<>();
        long prompt = 0;
        long completion = 0;
        double cost = 0;
        for (LlmCall call : calls) {
            prompt += call.promptTokens();
            completion += call.completionTokens();
            cost += call.costUsd();
            byPurpose.merge(call.purpose() == null ? "unknown" : call.purpose(),
                    new SessionMetrics.LlmPurpose(1, call.promptTokens() + call.completionTokens(), call.costUsd()),
                    (a, b) -> new SessionMetrics.LlmPurpose(a.calls() + b.calls(), a.totalTokens() + b.totalTokens(),
                            a.costUsd() + b.costUsd()));
        }
        byPurpose.replaceAll((k, v) -> new SessionMetrics.LlmPurpose(v.calls(), v.totalTokens(), round(v.costUsd(), 6)));
        int failed = (int) calls.stream().filter(c -> !LlmCall.OK.equals(c.outcome())).count();
        return new SessionMetrics.Llm(calls.size(), failed, prompt, completion, prompt + completion, round(cost, 6),
                byPurpose);
    }

    private static SessionMetrics.TranscriptionFailures failures(List<String> codes) {
        Map<String, Integer> byCode = new TreeMap<>();
        codes.forEach(code -> byCode.merge(code == null ? "unknown" : code, 1, Integer::sum));
        return new SessionMetrics.TranscriptionFailures(codes.size(), byCode);
    }

    private Speaker speaker(String track, List<Speech> speech, long duration, long talkMs, long totalTalk,
                            List<Monologue> monologues, Map<Speech, Speech> interrupters) {
        var own = speech.stream().filter(s -> s.track().equals(track)).toList();
        int words = 0;
        int questions = 0;
        Map<String, Integer> fillers = new TreeMap<>();
        for (Speech s : own) {
            var tokens = Lexicon.words(s.text());
            words += tokens.size();
            questions += Lexicon.questions(s.text());
            Lexicon.fillers(tokens).forEach(f -> fillers.merge(f, 1, Integer::sum));
        }
        long listenMs = totalTalk - talkMs;
        int made = (int) interrupters.keySet().stream().filter(s -> s.track().equals(track)).count();
        int suffered = (int) interrupters.values().stream().filter(s -> s.track().equals(track)).count();
        long longest = monologues.stream().filter(m -> m.track().equals(track))
                .mapToLong(Monologue::durationMs).max().orElse(0);
        return new Speaker(talkMs, ratio(talkMs, totalTalk), ratio(talkMs, duration), ratio(talkMs, listenMs), longest,
                questions, made, suffered, words, talkMs == 0 ? null : round(words * 60_000.0 / talkMs, 1),
                fillers.values().stream().mapToInt(Integer::intValue).sum(), fillers);
    }

    /** Time covered by the track's utterances, overlaps within the track counted once. */
    static long talkMs(List<Speech> sorted, String track) {
        long total = 0;
        long coveredUntil = Long.MIN_VALUE;
        for (Speech s : sorted) {
            if (!s.track().equals(track) || s.endMs() <= coveredUntil) {
                continue;
            }
            total += s.endMs() - Math.max(s.startMs(), coveredUntil);
            coveredUntil = s.endMs();
        }
        return total;
    }

    /** Runs of consecutive same-speaker utterances with gaps under the threshold; anyone else speaking ends a run. */
    private List<Monologue> monologues(List<Speech> sorted) {
        var runs = new ArrayList<Monologue>();
        Monologue run = null;
        for (Speech s : sorted) {
            if (run != null && run.track().equals(s.track()) && s.startMs() - run.endMs() < settings.monologueGapMs()) {
                long end = Math.max(run.endMs(), s.endMs());
                run = new Monologue(run.track(), run.startMs(), end, end - run.startMs());
            } else {
                if (run != null) {
                    runs.add(run);
                }
                run = new Monologue(s.track(), s.startMs(), s.endMs(), s.lengthMs());
            }
        }
        if (run != null) {
            runs.add(run);
        }
        return runs;
    }

    /** Each utterance that starts while another speaker's is still running, mapped to the one it cut into. */
    private static Map<Speech, Speech> interruptions(List<Speech> sorted) {
        Map<Speech, Speech> interrupted = new LinkedHashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            Speech s = sorted.get(i);
            for (int j = i - 1; j >= 0; j--) {
                Speech earlier = sorted.get(j);
                if (!earlier.track().equals(s.track()) && earlier.startMs() < s.startMs()
                        && s.startMs() < earlier.endMs()) {
                    interrupted.put(s, earlier);
                    break;
                }
            }
        }
        return interrupted;
    }

    private Objections objections(List<Speech> sorted, List<Prompt> prompts) {
        Map<String, Speech> byId = new HashMap<>();
        sorted.forEach(s -> byId.putIfAbsent(s.utteranceId(), s));
        Set<String> raisedKeys = new HashSet<>();
        List<Objection> items = new ArrayList<>();
        Map<String, Set<String>> categoriesByUtterance = new HashMap<>();
        prompts.stream().filter(Prompt::isObjection).filter(p -> byId.containsKey(p.utteranceId()))
                .forEach(p -> categoriesByUtterance.computeIfAbsent(p.utteranceId(), k -> new HashSet<>()).add(p.category()));
        var marks = prompts.stream().filter(Prompt::isObjection).filter(p -> byId.containsKey(p.utteranceId()))
                .filter(p -> raisedKeys.add(p.utteranceId() + "\u0000" + p.category()))
                .sorted(Comparator.comparingLong((Prompt p) -> byId.get(p.utteranceId()).startMs())
                        .thenComparing(Prompt::category))
                .toList();
        for (Prompt mark : marks) {
            Speech objection = byId.get(mark.utteranceId());
            Speech reply = sorted.stream()
                    .filter(s -> Track.AGENT.equals(s.track()) && s.startMs() > objection.startMs())
                    .findFirst().orElse(null);
            boolean inTime = reply != null
                    && reply.startMs() - objection.endMs() <= settings.objectionResponseMs();
            boolean repeated = reply != null && sorted.stream()
                    .filter(s -> Track.CUSTOMER.equals(s.track()) && s.startMs() > reply.startMs())
                    .findFirst()
                    .map(next -> categoriesByUtterance.getOrDefault(next.utteranceId(), Set.of()).contains(mark.category()))
                    .orElse(false);
            items.add(new Objection(mark.utteranceId(), mark.category(), objection.startMs(),
                    reply == null ? null : Math.max(0, reply.startMs() - objection.endMs()), inTime && !repeated));
        }
        Map<String, CategoryCount> byCategory = new TreeMap<>();
        for (Objection o : items) {
            byCategory.merge(o.category(), new CategoryCount(1, o.addressed() ? 1 : 0),
                    (a, b) -> new CategoryCount(a.raised() + b.raised(), a.addressed() + b.addressed()));
        }
        int addressed = (int) items.stream().filter(Objection::addressed).count();
        return new Objections(items.size(), addressed, byCategory, items);
    }

    private static Sentiment sentiment(List<Speech> sorted, long duration) {
        var scored = sorted.stream().map(s -> {
            double score = round(Lexicon.sentiment(Lexicon.words(s.text())), 2);
            return new UtteranceSentiment(s.utteranceId(), s.track(), s.startMs(), score,
                    score > 0 ? "positive" : score < 0 ? "negative" : "neutral");
        }).toList();
        Map<String, Trend> trend = new LinkedHashMap<>();
        for (String track : TRACKS) {
            var own = scored.stream().filter(u -> u.track().equals(track)).toList();
            Double first = mean(own.stream().filter(u -> u.startMs() * 2 < duration).toList());
            Double second = mean(own.stream().filter(u -> u.startMs() * 2 >= duration).toList());
            Double change = first == null || second == null ? null : round(second - first, 2);
            String direction = change == null ? "unknown"
                    : change >= TREND_THRESHOLD ? "improving" : change <= -TREND_THRESHOLD ? "declining" : "steady";
            trend.put(track, new Trend(first, second, change, direction));
        }
        return new Sentiment(scored, trend);
    }

    private static Double mean(List<UtteranceSentiment> scores) {
        return scores.isEmpty() ? null
                : round(scores.stream().mapToDouble(UtteranceSentiment::score).average().orElseThrow(), 2);
    }

    private static Double ratio(long part, long whole) {
        return whole <= 0 ? null : round((double) part / whole, 3);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
