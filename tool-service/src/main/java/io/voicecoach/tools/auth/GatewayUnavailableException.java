package io.voicecoach.tools.auth;

/** The gateway could not tell whether a key is valid: it was unreachable, too slow or answered nonsense. */
public class GatewayUnavailableException extends RuntimeException {
    public GatewayUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
