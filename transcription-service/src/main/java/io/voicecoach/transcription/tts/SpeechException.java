package io.voicecoach.transcription.tts;

import io.voicecoach.platform.retry.RetryAfter;

import java.time.Duration;
import java.util.Optional;

/** A synthesis failed; {@code code} is the {@code AgentSpeechFailed.code} clients see. */
public class SpeechException extends RuntimeException implements RetryAfter {

    public static final String TIMEOUT = "engine_timeout";
    public static final String ERROR = "engine_error";
    public static final String UNAVAILABLE = "engine_unavailable";
    /** An HTTP engine answered 429. */
    public static final String OVERLOADED = "engine_overloaded";
    /** An HTTP engine refused the credentials (401, 403). */
    public static final String UNAUTHORIZED = "engine_unauthorized";
    /** An HTTP engine refused the request (another 4xx). */
    public static final String REJECTED = "engine_rejected";
    /** An HTTP engine could not be reached (connection refused, DNS). */
    public static final String UNREACHABLE = "engine_unreachable";

    private final String code;
    private final Duration retryAfter;

    public SpeechException(String code, String message) {
        this(code, message, (Duration) null);
    }

    public SpeechException(String code, String message, Duration retryAfter) {
        super(message);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public SpeechException(String code, String message, Throwable cause) {
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
