package io.voicecoach.gateway.session;

import java.util.Map;

/**
 * VoiceCoach's part of a session's configuration ({@code session.voicecoach} on the wire).
 *
 * @param mode   {@link #COACH} or {@link #AGENT}
 * @param callId groups the sessions of one call; defaults to the session id
 * @param repId  the rep, may be null
 */
public record SessionSettings(String mode, String callId, String repId, Map<String, String> metadata) {

    public static final String COACH = "coach";
    public static final String AGENT = "agent";

    public static SessionSettings defaults(String sessionId) {
        return new SessionSettings(COACH, sessionId, null, Map.of());
    }

    public static boolean isMode(String mode) {
        return COACH.equals(mode) || AGENT.equals(mode);
    }

    /** True when the fields the rest of the pipeline keys on (mode, call, rep) are the same. */
    public boolean sameIdentity(SessionSettings other) {
        return mode.equals(other.mode) && callId.equals(other.callId) && java.util.Objects.equals(repId, other.repId);
    }
}
