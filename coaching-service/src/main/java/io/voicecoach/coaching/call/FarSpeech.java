package io.voicecoach.coaching.call;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * A record on {@code coach.leg.talk} (key = {@code sessionId}): speech another leg of the session's call heard.
 *
 * @param eventId       derived from the leg's {@link CallTalk} and this session (the same on reprocessing)
 * @param sessionId     the session it is for
 * @param fromSessionId the leg that heard it
 * @param at            event time of the transcript it comes from
 */
@RegisterForReflection
public record FarSpeech(UUID eventId, String tenantId, String sessionId, String callId, String fromSessionId,
                        Instant at, LegSpeech speech) {

    /** Why it cannot be used, or null when it can. */
    public String problem(String key) {
        if (eventId == null || tenantId == null || tenantId.isBlank() || at == null) {
            return "eventId, tenantId and at are required";
        }
        if (sessionId == null || !sessionId.equals(key)) {
            return "key is not the record's sessionId";
        }
        return LegSpeeches.problem(speech);
    }
}
