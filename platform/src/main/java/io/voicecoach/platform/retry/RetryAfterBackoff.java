package io.voicecoach.platform.retry;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SmallRye Fault Tolerance back-off for calls to rate-limited servers: exponential from the retry's {@code delay}
 * (doubling, with jitter when asked: each wait 50-100 % of its step), never shorter than a {@link RetryAfter} the
 * failure carries, never longer than {@code max}. Use it as
 * {@code .withRetry().delay(..).withCustomBackoff().strategy(() -> new RetryAfterBackoff(max, true)).done()}.
 */
public final class RetryAfterBackoff implements CustomBackoffStrategy {

    private final long maxMillis;
    private final boolean jitter;
    private long initialMillis;
    private int attempt;

    public RetryAfterBackoff(Duration max, boolean jitter) {
        this.maxMillis = max.toMillis();
        this.jitter = jitter;
    }

    @Override
    public void init(long initialDelayInMillis) {
        this.initialMillis = initialDelayInMillis;
    }

    @Override
    public long nextDelayInMillis(Throwable failure) {
        long step = initialMillis << Math.min(attempt++, 16);
        long wait = jitter ? step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1) : step;
        long asked = retryAfter(failure);
        return Math.min(Math.max(wait, asked), maxMillis);
    }

    private static long retryAfter(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetryAfter server) {
                return server.retryAfter().map(Duration::toMillis).orElse(0L);
            }
        }
        return 0;
    }
}
