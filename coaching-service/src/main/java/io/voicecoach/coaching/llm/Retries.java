package io.voicecoach.coaching.llm;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.voicecoach.platform.retry.RetryAfterBackoff;
import jakarta.enterprise.util.TypeLiteral;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Retries an LLM call after a 429, a 5xx, a timeout or a connection failure (SmallRye Fault Tolerance), with
 * exponential back-off and jitter, waiting at least the server's {@code Retry-After} ({@link RetryAfterBackoff}).
 * Never used in the live path (its deadline is too short).
 */
public final class Retries {

    private Retries() {
    }

    public static <T> Uni<T> withBackOff(Supplier<Uni<T>> call, int maxRetries, Duration backoff, Duration maxBackoff) {
        TypedGuard<Uni<T>> guard = TypedGuard.create(new TypeLiteral<Uni<T>>() {
                })
                .withRetry()
                .maxRetries(maxRetries)
                .delay(backoff.toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(Long.MAX_VALUE / 2, ChronoUnit.MILLIS) // each attempt has its own limit
                .whenException(failure -> LlmClient.classify(failure).retryable())
                .withCustomBackoff().strategy(() -> new RetryAfterBackoff(maxBackoff, true)).done()
                .done()
                .build();
        return guard.get(() -> Uni.createFrom().deferred(call::get));
    }
}
