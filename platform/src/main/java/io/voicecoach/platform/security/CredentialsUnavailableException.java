package io.voicecoach.platform.security;

/** A credential could not be checked (the gateway is unreachable, too slow or answered nonsense): 503, not 401. */
public class CredentialsUnavailableException extends RuntimeException {
    public CredentialsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
