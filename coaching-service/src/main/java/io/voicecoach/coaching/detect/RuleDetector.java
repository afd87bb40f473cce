package io.voicecoach.coaching.detect;

import com.google.re2j.Pattern;
import io.voicecoach.coaching.playbook.Playbook;
import io.voicecoach.coaching.playbook.TenantRegex;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Playbook rules over final customer transcripts. Each rule (objection category or buying signals) scores the
 * triggers it finds: phrases and keywords match whole words, patterns are regular expressions over the normalised
 * text (RE2/J: linear time, see {@link TenantRegex}); a match is cancelled by a negator a few words before it in the same clause ("not too expensive") unless it
 * starts with one itself ("dont need this"), and a negative phrase or pattern ("the price of tea") vetoes the rule. Matched trigger weights combine as {@code 1 - prod(1 - weight)}.
 * <p>
 * The best objection is reported, unless a buying signal also reaches the minimum confidence and the objection is
 * weak (below {@code strongObjectionConfidence}) or no more confident than the buying signal.
 */
public final class RuleDetector implements Detector {

    private static final double MAX_CONFIDENCE = 0.99;

    private final Playbook playbook;
    private final Set<String> negators;
    private final List<CompiledRule> objections;
    private final CompiledRule buyingSignals;
    private final List<List<String>> competitorNames;

    public RuleDetector(Playbook playbook) {
        this.playbook = playbook;
        this.negators = playbook.negators().stream().map(NormalizedText::normalise).collect(Collectors.toUnmodifiableSet());
        this.objections = playbook.objections().stream()
                .map(rule -> new CompiledRule(Detection.OBJECTION, rule.category(), rule)).toList();
        this.buyingSignals = new CompiledRule(Detection.BUYING_SIGNAL, Detection.BUYING_SIGNAL, playbook.buyingSignals());
        this.competitorNames = playbook.competitors() == null ? List.of()
                : playbook.competitors().names().stream().map(RuleDetector::words).toList();
    }

    @Override
    public Optional<Detection> detect(Transcript transcript) {
        if (transcript == null || !transcript.isFinal() || !Track.CUSTOMER.equals(transcript.track())) {
            return Optional.empty();
        }
        var utterance = NormalizedText.of(transcript.text());
        if (utterance.isEmpty()) {
            return Optional.empty();
        }
        String competitor = competitorIn(utterance);
        var objection = objections.stream()
                .map(rule -> rule.score(utterance, competitor))
                .flatMap(Optional::stream)
                .filter(this::confidentEnough)
                .max(Comparator.comparingDouble(Candidate::confidence)); // ties: the first rule in the playbook
        var signal = buyingSignals.score(utterance, null).filter(this::confidentEnough);
        Optional<Candidate> best = signal.isPresent()
                && (objection.isEmpty() || outweighs(signal.get(), objection.get())) ? signal : objection;
        return best.map(c -> new Detection(c.rule().kind, c.rule().category, c.confidence(), c.matched(), competitor,
                c.rule().answer, Detection.RULES));
    }

    /**
     * Whether the playbook's negative phrases or patterns for {@code category} rule this utterance out ("price is not
     * a concern"), so that no layer reports it as that category.
     */
    public boolean vetoes(String category, Transcript transcript) {
        var utterance = NormalizedText.of(transcript.text());
        if (buyingSignals.category.equals(category)) {
            return buyingSignals.vetoed(utterance);
        }
        return objections.stream().anyMatch(rule -> rule.category.equals(category) && rule.vetoed(utterance));
    }

    private boolean confidentEnough(Candidate candidate) {
        return candidate.confidence() >= playbook.minConfidence();
    }

    private boolean outweighs(Candidate signal, Candidate objection) {
        return objection.confidence() < playbook.strongObjectionConfidence()
                || signal.confidence() >= objection.confidence();
    }

    /** The known competitor named first in the utterance, normalised, or null. */
    private String competitorIn(NormalizedText utterance) {
        int first = Integer.MAX_VALUE;
        List<String> found = null;
        for (var name : competitorNames) {
            var starts = utterance.find(name);
            if (!starts.isEmpty() && starts.getFirst() < first) {
                first = starts.getFirst();
                found = name;
            }
        }
        return found == null ? null : String.join(" ", found);
    }

    private static List<String> words(String phrase) {
        String normalised = NormalizedText.normalise(phrase);
        return normalised.isEmpty() ? List.of() : Arrays.asList(normalised.split(" "));
    }

    private record Candidate(CompiledRule rule, double confidence, String matched) {
    }

    private record Hit(String text, double weight) {
    }

    private record PhraseTrigger(List<String> words, double weight) {
    }

    private final class CompiledRule {
        final String kind;
        final String category;
        final Playbook.Answer answer;
        final List<PhraseTrigger> phrases = new ArrayList<>();
        final List<Pattern> patterns;
        final List<List<String>> negativePhrases;
        final List<Pattern> negativePatterns;
        final boolean takesCompetitors;

        CompiledRule(String kind, String category, Playbook.Rule rule) {
            this.kind = kind;
            this.category = category;
            this.answer = rule.answer();
            rule.phrases().forEach(p -> phrases.add(new PhraseTrigger(words(p), playbook.weights().phrase())));
            rule.keywords().forEach(k -> phrases.add(new PhraseTrigger(words(k), playbook.weights().keyword())));
            this.patterns = rule.patterns().stream().map(TenantRegex::compile).toList();
            this.negativePhrases = rule.negativePhrases().stream().map(RuleDetector::words).toList();
            this.negativePatterns = rule.negativePatterns().stream().map(TenantRegex::compile).toList();
            this.takesCompetitors = playbook.competitors() != null
                    && category.equals(playbook.competitors().category());
        }

        Optional<Candidate> score(NormalizedText utterance, String competitor) {
            if (vetoed(utterance)) {
                return Optional.empty();
            }
            var hits = new ArrayList<Hit>();
            for (var phrase : phrases) {
                if (matchesUnnegated(utterance, phrase.words())) {
                    hits.add(new Hit(String.join(" ", phrase.words()), phrase.weight()));
                }
            }
            for (var pattern : patterns) {
                firstUnnegatedMatch(utterance, pattern)
                        .ifPresent(text -> hits.add(new Hit(text, playbook.weights().pattern())));
            }
            if (takesCompetitors && competitor != null) {
                hits.add(new Hit(competitor, playbook.competitors().weight()));
            }
            if (hits.isEmpty()) {
                return Optional.empty();
            }
            double miss = 1;
            Hit strongest = hits.getFirst();
            for (var hit : hits) {
                miss *= 1 - hit.weight();
                if (hit.weight() > strongest.weight()) {
                    strongest = hit;
                }
            }
            double confidence = Math.min(MAX_CONFIDENCE, Math.round((1 - miss) * 1000) / 1000.0);
            return Optional.of(new Candidate(this, confidence, strongest.text()));
        }

        private boolean vetoed(NormalizedText utterance) {
            return negativePhrases.stream().anyMatch(p -> !utterance.find(p).isEmpty())
                    || negativePatterns.stream().anyMatch(p -> p.matcher(utterance.text()).find());
        }

        /** A phrase starting with a negator ("dont need") carries its own negation and is never cancelled. */
        private boolean matchesUnnegated(NormalizedText utterance, List<String> phrase) {
            if (phrase.isEmpty()) {
                return false;
            }
            return utterance.find(phrase).stream().anyMatch(start -> !negated(utterance, phrase.getFirst(), start));
        }

        private Optional<String> firstUnnegatedMatch(NormalizedText utterance, Pattern pattern) {
            var matcher = pattern.matcher(utterance.text());
            while (matcher.find()) {
                if (matcher.group().isBlank()) {
                    continue;
                }
                int start = utterance.wordAt(matcher.start());
                if (!negated(utterance, utterance.words().get(start), start)) {
                    return Optional.of(matcher.group());
                }
            }
            return Optional.empty();
        }

        private boolean negated(NormalizedText utterance, String firstWord, int start) {
            return !negators.contains(firstWord) && utterance.negatedAt(start, negators, playbook.negationWindow());
        }
    }
}
