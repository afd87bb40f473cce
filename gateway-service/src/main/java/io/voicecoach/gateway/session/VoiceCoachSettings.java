package io.voicecoach.gateway.session;

import java.util.Map;
import java.util.Objects;

/**
 * VoiceCoach's part of a session's configuration ({@code session.voicecoach} on the wire).
 *
 * @param mode   {@link #COACH} or {@link #AGENT}
 * @param callId groups the sessions of one call; defaults to the session id
 * @param repId  the rep, may be null
 * @param role   {@link #REP} (receives the call's suggestions), {@link #CUSTOMER} (a customer leg, receives none) or
 *               {@link #MEDIA} (a telephony media stream, receives none)
 */
public record VoiceCoachSettings(String mode, String callId, String repId, Map<String, String> metadata, String role) {

    public static final String COACH = "coach";
    public static final String AGENT = "agent";
    public static final String REP = "rep";
    public static final String CUSTOMER = "customer";
    public static final String MEDIA = "media";
    public static final int MAX_CALL_ID_LENGTH = 200;

    public static VoiceCoachSettings defaults(String sessionId) {
        return new VoiceCoachSettings(COACH, sessionId, null, Map.of(), REP);
    }

    public static boolean isMode(String mode) {
        return COACH.equals(mode) || AGENT.equals(mode);
    }

    public static boolean isRole(String role) {
        return REP.equals(role) || CUSTOMER.equals(role) || MEDIA.equals(role);
    }

    /** These settings in another call, with another role. */
    public VoiceCoachSettings inCall(String callId, String role) {
        return new VoiceCoachSettings(mode, callId, repId, metadata, role);
    }

    public boolean receivesSuggestions() {
        return REP.equals(role);
    }

    /** True when the fields the rest of the pipeline keys on (mode, call, rep, role) are the same. */
    public boolean sameIdentity(VoiceCoachSettings other) {
        return mode.equals(other.mode) && callId.equals(other.callId) && Objects.equals(repId, other.repId)
                && role.equals(other.role);
    }
}
