package io.voicecoach.gateway.ws;

/** WebSocket close codes the gateway sends on {@code /v1/realtime}; the reason text is the session's end reason. */
final class CloseCodes {

    static final int IDLE_TIMEOUT = 4001;
    static final String IDLE_TIMEOUT_REASON = "idle_timeout";
    static final int SLOW_CLIENT = 4002;
    static final String SLOW_CLIENT_REASON = "slow_client";
    static final int SESSION_RESUMED = 4003;
    static final String SESSION_RESUMED_REASON = "session_resumed";
    static final int SESSION_NOT_FOUND = 4004;
    /** The session's data was erased ({@code session.erased}): it is gone, on every instance; do not reconnect. */
    static final int SESSION_ERASED = 4011;
    static final String SESSION_ERASED_REASON = "session_erased";
    /**
     * RFC 6455 "service restart": this instance is stopping and handed the session over; reconnect (to any instance)
     * with {@code session_id} and the last replayable {@code event_id}.
     */
    static final int SERVICE_RESTART = 1012;
    static final String SERVICE_RESTART_REASON = "service_restart";
    static final int SESSION_LIMIT = 4029;
    /** RFC 6455 "message too big": a frame or message above {@code voicecoach.limits.max-frame-bytes}. */
    static final int MESSAGE_TOO_BIG = 1009;

    private CloseCodes() {
    }
}
