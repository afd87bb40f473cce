package io.voicecoach.analytics.live;

import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
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
                         String repId, LiveCall.LatestUtterance utterance, LiveCall.LatestPrompt prompt, String stage) {

    public static final String STARTED = "session.started";
    public static final String ENDED = "session.ended";
    public static final String UTTERANCE = "utterance";
    public static final String PROMPT = "prompt";
    public static final String STAGE = "stage";

    public static LiveUpdate started(String tenantId, String sessionId, Instant at, String callId, String repId) {
        return new LiveUpdate(STARTED, tenantId, sessionId, at, callId, repId, null, null, null);
    }

    public static LiveUpdate ended(String tenantId, String sessionId, Instant at) {
        return new LiveUpdate(ENDED, tenantId, sessionId, at, null, null, null, null, null);
    }

    public static LiveUpdate utterance(String tenantId, String sessionId, Instant at, LiveCall.LatestUtterance utterance) {
        return new LiveUpdate(UTTERANCE, tenantId, sessionId, at, null, null, utterance, null, null);
    }

    public static LiveUpdate prompt(String tenantId, String sessionId, Instant at, LiveCall.LatestPrompt prompt) {
        return new LiveUpdate(PROMPT, tenantId, sessionId, at, null, null, null, prompt, null);
    }

    public static LiveUpdate stage(String tenantId, String sessionId, Instant at, String stage) {
        return new LiveUpdate(STAGE, tenantId, sessionId, at, null, null, null, null, stage);
    }

    /** The update a stored event makes to its call, if any. */
    public static Optional<LiveUpdate> of(Envelope e) {
        LiveUpdate update = switch (e.type()) {
            case EventTypes.SESSION_STARTED -> {
                var started = e.payloadAs(SessionStarted.class);
                yield started(e.tenantId(), e.sessionId(), e.occurredAt(), started.callId(), started.repId());
            }
            case EventTypes.SESSION_ENDED -> ended(e.tenantId(), e.sessionId(), e.occurredAt());
            case EventTypes.TRANSCRIPT_FINAL -> {
                var t = e.payloadAs(Transcript.class);
                yield utterance(e.tenantId(), e.sessionId(), e.occurredAt(), new LiveCall.LatestUtterance(
                        t.utteranceId(), t.track(), t.text() == null ? "" : t.text(), t.startMs(), t.endMs()));
            }
            case EventTypes.SUGGESTION -> {
                var s = e.payloadAs(Suggestion.class);
                yield prompt(e.tenantId(), e.sessionId(), e.occurredAt(), new LiveCall.LatestPrompt(s.suggestionId(),
                        s.kind(), s.category(), s.title(), e.occurredAt()));
            }
            case EventTypes.STAGE_CHANGED -> stage(e.tenantId(), e.sessionId(), e.occurredAt(),
                    e.payloadAs(StageChanged.class).stage());
            default -> null;
        };
        return Optional.ofNullable(update);
    }
}
