package io.voicecoach.transcription.stt;

import io.voicecoach.platform.retry.RetryAfter;

import java.time.Duration;
import java.util.Optional;

/**
 * An engine could not recognise an utterance; {@code code} names why (metrics tag, log), {@code retryAfter} how long
 * the engine's server asked to wait before another attempt.
 */
public class SttException extends RuntimeException implements RetryAfter {

    private final String code;
    private final Duration retryAfter;

    public SttException(String code, String message) {
        this(code, message, (Duration) null);
    }

    public SttException(String code, String message, Duration retryAfter) {
        super(message);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public SttException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryAfter = null;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public String code() {
        return code;
    }
}
