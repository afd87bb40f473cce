package io.voicecoach.coaching.replay;

import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.detect.EngineFactory;
import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.nudge.NudgeEngine;
import io.voicecoach.coaching.playbook.PlaybookStore;
import io.voicecoach.coaching.playbook.StoredPlaybook;
import io.voicecoach.coaching.replay.ReplayReport.Change;
import io.voicecoach.coaching.replay.ReplayReport.Found;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Re-runs recorded calls through a playbook version in shadow mode: the final transcripts Kafka holds go through the
 * version's detector (rules, embeddings, and the objection repeat cool-down, as live coaching applies them), and the
 * result is compared with the suggestions shown live, read from {@code coach.suggestions}. Nothing is published: no
 * rep is notified, analytics counts nothing, and the live ids (derived from the original events) are never reused.
 * What the playbook decides is compared: the objection or buying-signal suggestion per customer utterance. When the
 * request names an LLM model, each customer utterance is also asked of the tenant's LLM with that model
 * ({@link LlmComparison}) and its advice compared with the LLM advice shown live. Nudges, stages and compliance are not
 * compared.
 */
@ApplicationScoped
public class Replays {

    private final SessionLog log;
    private final PlaybookStore playbooks;
    private final EngineFactory engines;
    private final NudgeEngine nudges;
    private final LlmReplay llm;
    private final CoachingConfig.Replay config;

    public Replays(SessionLog log, PlaybookStore playbooks, EngineFactory engines, NudgeEngine nudges, LlmReplay llm,
                   CoachingConfig config) {
        this.log = log;
        this.playbooks = playbooks;
        this.engines = engines;
        this.nudges = nudges;
        this.llm = llm;
        this.config = config.replay();
    }

    /** The version asked for is not the tenant's. */
    public static class UnknownVersionException extends RuntimeException {
        public UnknownVersionException(int version) {
            super("no playbook version " + version);
        }
    }

    /** The request names an LLM model, and the tenant has no LLM. */
    public static class NoLlmException extends RuntimeException {
        public NoLlmException() {
            super("the tenant has no LLM configured");
        }
    }

    /** Runs the replay for {@code tenantId}; the request was checked by the caller (a range, or a session). */
    public ReplayReport run(String tenantId, ReplayRequest request) {
        int active = playbooks.activeVersion(tenantId);
        int version = request.playbookVersion() == null ? active : request.playbookVersion();
        StoredPlaybook stored = playbooks.version(tenantId, version).orElseThrow(() -> new UnknownVersionException(version));
        LlmComparison advice = null;
        if (request.llm() != null) {
            var tenant = llm.tenant(tenantId).orElseThrow(NoLlmException::new);
            String model = request.llm().model() == null ? tenant.liveModel() : request.llm().model();
            advice = new LlmComparison(llm, tenant, model, config.maxLlmCalls());
        }

        Instant from = request.from() == null ? Instant.EPOCH : request.from();
        Instant to = request.to() == null ? Instant.now() : request.to();
        var transcripts = log.read(Topics.TRANSCRIPTS, tenantId, request.sessionId(), from, to, config.readTimeout());
        var sessions = transcripts.bySession().keySet().stream().limit(config.maxSessions()).toList();
        boolean complete = transcripts.complete() && sessions.size() == transcripts.bySession().size();
        var shown = log.read(Topics.SUGGESTIONS, tenantId, request.sessionId(), from, to.plus(config.suggestionSlack()),
                config.readTimeout());
        complete &= shown.complete();
        var engine = sessions.isEmpty() ? null : engines.build(tenantId + " (replay)", version, stored.playbook());

        var changes = new ArrayList<Change>();
        var liveLatencies = new ArrayList<Double>();
        var detectLatencies = new ArrayList<Double>();
        int added = 0, removed = 0, recategorised = 0, unchanged = 0, utterances = 0;
        for (String session : sessions) {
            var sessionShown = shown.bySession().getOrDefault(session, List.of());
            var live = liveByUtterance(sessionShown, liveLatencies);
            var liveAdvice = LlmComparison.liveAdvice(sessionShown);
            var turns = new ArrayList<Conversations.Turn>();
            var cooldowns = nudges.newState();
            var seen = new HashSet<UUID>();
            for (Event<?> event : transcripts.bySession().get(session)) {
                if (!EventTypes.TRANSCRIPT_FINAL.equals(event.type()) || !(event.payload() instanceof Transcript said)
                        || !seen.add(event.eventId()) || said.text() == null) {
                    continue;
                }
                long start = System.nanoTime();
                var rules = engine.detector().detect(said);
                var found = rules.filter(d -> !d.isObjection()
                        || nudges.firstInCooldown(cooldowns, d.kind(), d.category(), event.occurredAt()));
                detectLatencies.add((System.nanoTime() - start) / 1e6);
                if (advice != null && !said.text().isBlank()) {
                    advice.utterance(session, event, said, List.copyOf(turns), rules,
                            liveAdvice.get(said.utteranceId()));
                    turns.add(new Conversations.Turn(Track.CUSTOMER.equals(said.track()) ? "customer" : "rep",
                            said.text()));
                }
                var before = Optional.ofNullable(live.get(said.utteranceId()));
                if (before.isEmpty() && found.isEmpty()) {
                    continue;
                }
                utterances++;
                var after = found.map(Replays::found);
                String change = before.isEmpty() ? "added" : after.isEmpty() ? "removed"
                        : same(before.get(), after.get()) ? null : "recategorised";
                if (change == null) {
                    unchanged++;
                    continue;
                }
                switch (change) {
                    case "added" -> added++;
                    case "removed" -> removed++;
                    default -> recategorised++;
                }
                changes.add(new Change(session, said.utteranceId(), event.occurredAt(), said.text(), change,
                        before.orElse(null), after.orElse(null)));
            }
        }
        changes.sort(Comparator.comparing(Change::at));
        return new ReplayReport(version, stored.playbook().name(), active, complete, sessions.size(), utterances,
                new ReplayReport.Counts(added, removed, recategorised, unchanged),
                new ReplayReport.Latency(percentile(liveLatencies, 50), percentile(liveLatencies, 95),
                        percentile(detectLatencies, 50), percentile(detectLatencies, 95)),
                changes, advice == null ? null : advice.report());
    }

    /** The playbook's suggestion shown live for each utterance (the first one; LLM advice and nudges are not). */
    private static Map<String, Found> liveByUtterance(List<Event<?>> shown, List<Double> latencies) {
        var byUtterance = new HashMap<String, Found>();
        for (Event<?> event : shown) {
            if (event.payload() instanceof Suggestion s && s.utteranceId() != null
                    && (Detection.OBJECTION.equals(s.kind()) || Detection.BUYING_SIGNAL.equals(s.kind()))
                    && !"llm".equals(s.source()) && !byUtterance.containsKey(s.utteranceId())) {
                byUtterance.put(s.utteranceId(), new Found(s.kind(), s.category(), s.source(), s.title()));
                if (s.transcriptAt() != null) {
                    latencies.add((double) Duration.between(s.transcriptAt(), event.occurredAt()).toMillis());
                }
            }
        }
        return byUtterance;
    }

    private static Found found(Detection detection) {
        return new Found(detection.kind(), detection.category(), detection.source(),
                detection.answer() == null ? null : detection.answer().title());
    }

    private static boolean same(Found live, Found replayed) {
        return live.kind().equals(replayed.kind()) && live.category().equals(replayed.category());
    }

    /** Nearest-rank percentile, null without values. */
    static Double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return null;
        }
        var sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Math.round(sorted.get(Math.max(0, rank - 1)) * 100) / 100.0;
    }
}
