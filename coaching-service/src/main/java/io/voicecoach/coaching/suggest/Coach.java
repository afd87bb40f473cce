package io.voicecoach.coaching.suggest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.detect.Detector;
import io.voicecoach.coaching.nudge.NudgeEngine;
import io.voicecoach.coaching.tools.BattleCards;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a final transcript into suggestions: a nudge when the rep's talk pattern calls for one, and at most one
 * objection (a category not repeated within its cool-down) or buying signal, with the battle card for an objection.
 */
@ApplicationScoped
public class Coach {

    private final Detector detector;
    private final BattleCards battleCards;
    private final Suggestions suggestions;
    private final SeenEvents seen;
    private final CoachingMetrics metrics;
    private final NudgeEngine nudges;

    public Coach(Detector detector, BattleCards battleCards, Suggestions suggestions, SeenEvents seen,
                 CoachingMetrics metrics, NudgeEngine nudges) {
        this.detector = detector;
        this.battleCards = battleCards;
        this.suggestions = suggestions;
        this.seen = seen;
        this.metrics = metrics;
        this.nudges = nudges;
    }

    public Uni<Void> onFinalTranscript(Envelope event, Transcript transcript) {
        if (!seen.firstTime(event.eventId())) {
            metrics.duplicate();
            return Uni.createFrom().voidItem();
        }
        var nudge = nudges.onFinalTranscript(event.tenantId(), event.sessionId(), transcript);
        Uni<Void> nudged = nudge.isPresent() ? suggestions.publishNudge(event, transcript, nudge.get())
                : Uni.createFrom().voidItem();
        return nudged.chain(() -> detect(event, transcript));
    }

    /** Embedding an utterance takes milliseconds of CPU: done on a worker thread, never on the event loop. */
    private Uni<Void> detect(Envelope event, Transcript transcript) {
        return Uni.createFrom().item(() -> detector.detect(event.tenantId(), transcript))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(found -> found.map(detection -> suggest(event, transcript, detection))
                        .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    private Uni<Void> suggest(Envelope event, Transcript transcript, Detection detection) {
        if (detection.isObjection()
                && !nudges.firstInCooldown(event.tenantId(), event.sessionId(), detection.kind(), detection.category())) {
            metrics.repeatSuppressed(detection);
            return Uni.createFrom().voidItem();
        }
        if (!detection.isObjection()) {
            return suggestions.publish(event, transcript, detection, null);
        }
        return battleCards.fetch(event, detection.category(), detection.competitor())
                .invoke(answer -> metrics.battleCard(answer.outcome()))
                .chain(answer -> suggestions.publish(event, transcript, detection, answer.card().orElse(null)));
    }
}
