package io.voicecoach.coaching.suggest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.detect.Detector;
import io.voicecoach.coaching.llm.LlmStage;
import io.voicecoach.coaching.nudge.NudgeEngine;
import io.voicecoach.coaching.kb.KnowledgeBase;
import io.voicecoach.coaching.stage.CallProgress;
import io.voicecoach.events.Citation;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Turns a final transcript into suggestions: a nudge when the rep's talk pattern calls for one, at most one
 * objection (a category not repeated within its cool-down) or buying signal, detected with the tenant's active
 * playbook; then the call's stage and compliance ({@link CallProgress}). An objection's suggestion goes out without
 * waiting for its battle card, which follows on its own ({@link CardFollowUps}).
 */
@ApplicationScoped
public class Coach {

    private final Detector detector;
    private final CardFollowUps cards;
    private final Suggestions suggestions;
    private final SeenEvents seen;
    private final CoachingMetrics metrics;
    private final NudgeEngine nudges;
    private final LlmStage llm;
    private final CallProgress calls;
    private final KnowledgeBase knowledge;

    public Coach(Detector detector, CardFollowUps cards, Suggestions suggestions, SeenEvents seen,
                 CoachingMetrics metrics, NudgeEngine nudges, LlmStage llm, CallProgress calls, KnowledgeBase knowledge) {
        this.calls = calls;
        this.knowledge = knowledge;
        this.detector = detector;
        this.cards = cards;
        this.suggestions = suggestions;
        this.seen = seen;
        this.metrics = metrics;
        this.nudges = nudges;
        this.llm = llm;
    }

    public Uni<Void> onFinalTranscript(Envelope event, Transcript transcript) {
        if (!seen.firstTime(event.eventId())) {
            metrics.duplicate();
            return Uni.createFrom().voidItem();
        }
        var nudge = nudges.onFinalTranscript(event.tenantId(), event.sessionId(), transcript);
        Uni<Void> nudged = nudge.isPresent() ? suggestions.publishNudge(event, transcript, nudge.get())
                : Uni.createFrom().voidItem();
        return nudged.chain(() -> detect(event, transcript)).chain(() -> calls.onFinalTranscript(event, transcript));
    }

    /** Embedding an utterance takes milliseconds of CPU: done on a worker thread, never on the event loop. */
    private Uni<Void> detect(Envelope event, Transcript transcript) {
        return Uni.createFrom().item(() -> detector.detect(event.tenantId(), transcript))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(found -> found.map(detection -> suggest(event, transcript, detection))
                        .orElseGet(() -> Uni.createFrom().voidItem())
                        .invoke(() -> llm.afterRules(event, transcript, found)));
    }

    private Uni<List<Citation>> citations(Envelope event, Transcript transcript) {
        return Uni.createFrom().item(() -> knowledge.cite(event.tenantId(), transcript.text()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<Void> suggest(Envelope event, Transcript transcript, Detection detection) {
        if (detection.isObjection()
                && !nudges.firstInCooldown(event.tenantId(), event.sessionId(), detection.kind(), detection.category())) {
            metrics.repeatSuppressed(detection);
            return Uni.createFrom().voidItem();
        }
        if (!detection.isObjection()) {
            return publish(event, transcript, detection);
        }
        var card = cards.request(event, detection);
        return publish(event, transcript, detection).invoke(() -> cards.publishAfter(event, transcript, card));
    }

    private Uni<Void> publish(Envelope event, Transcript transcript, Detection detection) {
        return citations(event, transcript)
                .chain(cited -> suggestions.publish(event, transcript, detection, cited));
    }
}
