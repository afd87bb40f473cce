package io.voicecoach.coaching.llm;

import io.voicecoach.platform.retry.RetryAfter;

import java.time.Duration;
import java.util.Optional;

/** An LLM call that did not give a usable answer, and whether trying again could help. */
public class LlmException extends RuntimeException implements RetryAfter {

    public enum Kind {
        /** HTTP 429. */
        RATE_LIMITED,
        /** HTTP 5xx, or an error object inside the stream. */
        SERVER_ERROR,
        /** Any other 4xx: the request is wrong (bad key, unknown model); retrying will not help. */
        CLIENT_ERROR,
        /** No answer, or no progress, in time. */
        TIMEOUT,
        /** Connection refused or dropped. */
        UNREACHABLE,
        /** The stream ended before {@code [DONE]}, or nothing in it was a chunk. */
        BAD_RESPONSE,
        /** Not sent: this instance's LLM pool, the tenant's share or its rate did not allow it ({@link LlmPool}). */
        REFUSED
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    public LlmException(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public LlmException(Kind kind, String message) {
        this(kind, 0, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, 0 when there was none. */
    public int status() {
        return status;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** 429, 5xx, timeouts, connection failures and a full pool are worth retrying (outside the live path). */
    public boolean retryable() {
        return kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR || kind == Kind.TIMEOUT || kind == Kind.UNREACHABLE
                || kind == Kind.REFUSED;
    }
}
