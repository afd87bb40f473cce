package io.voicecoach.coaching.call;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * A record on {@code coach.call.talk} (key {@link CallKeys#of}): a session joining or leaving a call, or speech it
 * heard that the call's other legs want.
 *
 * @param kind      {@link #JOINED}, {@link #LEFT} or {@link #SPEECH}
 * @param eventId   derived from the session event or transcript it comes from (the same on reprocessing)
 * @param sessionId the leg's session
 * @param at        event time of what it comes from (its envelope's {@code occurredAt})
 * @param speech    for {@link #SPEECH}, else null
 */
@RegisterForReflection
public record CallTalk(String kind, UUID eventId, String tenantId, String callId, String sessionId, Instant at,
                       LegSpeech speech) {

    public static final String JOINED = "joined";
    public static final String LEFT = "left";
    public static final String SPEECH = "speech";

    /** Why it cannot be used, or null when it can. */
    String problem(String key) {
        if (kind == null || !(JOINED.equals(kind) || LEFT.equals(kind) || SPEECH.equals(kind))) {
            return "unknown kind " + kind;
        }
        if (eventId == null || blank(tenantId) || blank(callId) || blank(sessionId) || at == null) {
            return "eventId, tenantId, callId, sessionId and at are required";
        }
        if (!CallKeys.of(tenantId, callId).equals(key)) {
            return "key is not the record's tenant and call";
        }
        return SPEECH.equals(kind) ? LegSpeeches.problem(speech) : null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
