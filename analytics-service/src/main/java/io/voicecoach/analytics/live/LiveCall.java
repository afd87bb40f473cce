package io.voicecoach.analytics.live;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.ComplianceChecklist;

import java.time.Instant;

/**
 * A call in progress as live viewers see it; every live event carries the call's whole current state.
 *
 * @param speaking  track of the latest utterance (by start offset): who is talking now, or talked last
 * @param stage     the call's current stage of the sales methodology (latest coaching.stage_changed)
 * @param checklist the call's compliance checklist, whole (latest coaching.compliance_checklist), null before any
 * @param updatedAt event time of the latest change
 */
@RegisterForReflection
public record LiveCall(String sessionId, String callId, String repId, Instant startedAt, Instant endedAt,
                       String speaking, String stage, LatestUtterance latestUtterance, LatestPrompt latestPrompt,
                       ComplianceChecklist checklist, Instant updatedAt) {

    @RegisterForReflection
    public record LatestUtterance(String utteranceId, String track, String text, long startMs, long endMs) {
    }

    @RegisterForReflection
    public record LatestPrompt(String suggestionId, String kind, String category, String title, Instant suggestedAt) {
    }

    static LiveCall empty(String sessionId) {
        return new LiveCall(sessionId, null, null, null, null, null, null, null, null, null, null);
    }

    LiveCall apply(LiveUpdate update) {
        Instant updated = updatedAt == null || update.occurredAt().isAfter(updatedAt) ? update.occurredAt() : updatedAt;
        return switch (update.type()) {
            case LiveUpdate.STARTED -> new LiveCall(sessionId, update.callId(), update.repId(), update.occurredAt(),
                    endedAt, speaking, stage, latestUtterance, latestPrompt, checklist, updated);
            case LiveUpdate.ENDED -> new LiveCall(sessionId, callId, repId, startedAt, update.occurredAt(), speaking,
                    stage, latestUtterance, latestPrompt, checklist, updated);
            // stage changes of a session come in order on one partition: the latest to arrive is current
            case LiveUpdate.STAGE -> new LiveCall(sessionId, callId, repId, startedAt, endedAt, speaking, update.stage(),
                    latestUtterance, latestPrompt, checklist, updated);
            case LiveUpdate.UTTERANCE -> latestUtterance != null
                    && latestUtterance.startMs() > update.utterance().startMs()
                    ? this
                    : new LiveCall(sessionId, callId, repId, startedAt, endedAt, update.utterance().track(), stage,
                    update.utterance(), latestPrompt, checklist, updated);
            case LiveUpdate.PROMPT -> latestPrompt != null && latestPrompt.suggestedAt() != null
                    && latestPrompt.suggestedAt().isAfter(update.prompt().suggestedAt())
                    ? this
                    : new LiveCall(sessionId, callId, repId, startedAt, endedAt, speaking, stage, latestUtterance,
                    update.prompt(), checklist, updated);
            // like stage changes: one partition, in order, and each event carries the whole list
            case LiveUpdate.CHECKLIST -> new LiveCall(sessionId, callId, repId, startedAt, endedAt, speaking, stage,
                    latestUtterance, latestPrompt, update.checklist(), updated);
            default -> this;
        };
    }
}
