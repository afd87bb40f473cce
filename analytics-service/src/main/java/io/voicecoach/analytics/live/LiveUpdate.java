package io.voicecoach.analytics.live;

import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Transcript;

import java.time.Instant;
import java.util.Optional;

/**
 * Something that changed in a call, fired by ingestion and relayed to live viewers once its transaction committed.
 * Only the fields of its {@code type} are set.
 */
public record LiveUpdate(String type, String tenantId, String sessionId, Instant occurredAt, String callId,
                         String repId, LiveCall.LatestUtterance utterance, LiveCall.LatestPrompt prompt, String stage,
                         ComplianceChecklist checklist) {

    public static final String STARTED = "session.started";
    public static final String ENDED = "session.ended";
    public static final String UTTERANCE = "utterance";
    public static final String PROMPT = "prompt";
    public static final String STAGE = "stage";
    public static final String CHECKLIST = "checklist";

    public static LiveUpdate started(String tenantId, String sessionId, Instant at, String callId, String repId) {
        return new LiveUpdate(STARTED, tenantId, sessionId, at, callId, repId, null, null, null, null);
    }

    public static LiveUpdate ended(String tenantId, String sessionId, Instant at) {
        return new LiveUpdate(ENDED, tenantId, sessionId, at, null, null, null, null, null, null);
    }

    public static LiveUpdate utterance(String tenantId, String sessionId, Instant at, LiveCall.LatestUtterance utterance) {
        return new LiveUpdate(UTTERANCE, tenantId, sessionId, at, null, null, utterance, null, null, null);
    }

    public static LiveUpdate prompt(String tenantId, String sessionId, Instant at, LiveCall.LatestPrompt prompt) {
        return new LiveUpdate(PROMPT, tenantId, sessionId, at, null, null, null, prompt, null, null);
    }

    public static LiveUpdate stage(String tenantId, String sessionId, Instant at, String stage) {
        return new LiveUpdate(STAGE, tenantId, sessionId, at, null, null, null, null, stage, null);
    }

    public static LiveUpdate checklist(String tenantId, String sessionId, Instant at, ComplianceChecklist checklist) {
        return new LiveUpdate(CHECKLIST, tenantId, sessionId, at, null, null, null, null, null, checklist);
    }

    /** The update an event makes to its call, if any. */
    public static Optional<LiveUpdate> of(Event<?> e) {
        LiveUpdate update = switch (e.payload()) {
            case SessionStarted started ->
                    started(e.tenantId(), e.sessionId(), e.occurredAt(), started.callId(), started.repId());
            case SessionEnded ended -> ended(e.tenantId(), e.sessionId(), e.occurredAt());
            case Transcript t when EventTypes.TRANSCRIPT_FINAL.equals(e.type()) ->
                    utterance(e.tenantId(), e.sessionId(), e.occurredAt(), new LiveCall.LatestUtterance(t.utteranceId(), t.track(), t.text() == null ? "" : t.text(),
                            t.startMs(), t.endMs()));
            case Suggestion s -> prompt(e.tenantId(), e.sessionId(), e.occurredAt(), new LiveCall.LatestPrompt(
                    s.suggestionId(), s.kind(), s.category(), s.title(), e.occurredAt()));
            case StageChanged stage -> stage(e.tenantId(), e.sessionId(), e.occurredAt(), stage.stage());
            case ComplianceChecklist checklist -> checklist(e.tenantId(), e.sessionId(), e.occurredAt(), checklist);
            default -> null;
        };
        return Optional.ofNullable(update);
    }
}
