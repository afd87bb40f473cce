package io.voicecoach.coaching.suggest;

import io.smallrye.mutiny.Uni;
import io.voicecoach.coaching.detect.Detector;
import io.voicecoach.coaching.tools.BattleCards;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a final transcript into at most one suggestion: detect, fetch the battle card for an objection, publish.
 */
@ApplicationScoped
public class Coach {

    private final Detector detector;
    private final BattleCards battleCards;
    private final Suggestions suggestions;
    private final SeenEvents seen;
    private final CoachingMetrics metrics;

    public Coach(Detector detector, BattleCards battleCards, Suggestions suggestions, SeenEvents seen,
                 CoachingMetrics metrics) {
        this.detector = detector;
        this.battleCards = battleCards;
        this.suggestions = suggestions;
        this.seen = seen;
        this.metrics = metrics;
    }

    public Uni<Void> onFinalTranscript(Envelope event, Transcript transcript) {
        if (!seen.firstTime(event.eventId())) {
            metrics.duplicate();
            return Uni.createFrom().voidItem();
        }
        var found = detector.detect(transcript);
        if (found.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        var detection = found.get();
        if (!detection.isObjection()) {
            return suggestions.publish(event, transcript, detection, null);
        }
        return battleCards.fetch(event, detection.category(), detection.competitor())
                .invoke(answer -> metrics.battleCard(answer.outcome()))
                .chain(answer -> suggestions.publish(event, transcript, detection, answer.card().orElse(null)));
    }
}
