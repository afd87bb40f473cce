package io.voicecoach.coaching.auth;

/** The gateway could not tell whether a key is valid: unreachable, too slow, or an unexpected answer. */
public class GatewayUnavailableException extends RuntimeException {
    public GatewayUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
