package io.voicecoach.coaching.llm;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries an LLM call after a 429, a 5xx, a timeout or a connection failure, with exponential back-off and jitter,
 * waiting at least the server's {@code Retry-After}. Never used in the live path (its deadline is too short).
 * Written with Mutiny rather than {@code @Retry} because the delay depends on the failure ({@code Retry-After}).
 */
public final class Retries {

    private static final Logger LOG = Logger.getLogger(Retries.class);

    private Retries() {
    }

    public static <T> Uni<T> withBackOff(Supplier<Uni<T>> call, int maxRetries, Duration backoff, Duration maxBackoff) {
        return attempt(call, 0, maxRetries, backoff, maxBackoff);
    }

    private static <T> Uni<T> attempt(Supplier<Uni<T>> call, int attempt, int maxRetries, Duration backoff,
                                      Duration maxBackoff) {
        return Uni.createFrom().<T>deferred(call::get)
                .onFailure(f -> attempt < maxRetries && LlmClient.classify(f).retryable())
                .recoverWithUni(failure -> {
                    var wait = delay(LlmClient.classify(failure), attempt, backoff, maxBackoff);
                    LOG.debugf("LLM attempt %d failed (%s); retrying in %s", attempt + 1, failure.getMessage(), wait);
                    return Uni.createFrom().voidItem().onItem().delayIt().by(wait)
                            .chain(() -> attempt(call, attempt + 1, maxRetries, backoff, maxBackoff));
                });
    }

    static Duration delay(LlmException failure, int attempt, Duration backoff, Duration maxBackoff) {
        long base = backoff.toMillis() << Math.min(attempt, 16);
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        long wait = Math.max(jittered, failure.retryAfter().map(Duration::toMillis).orElse(0L));
        return Duration.ofMillis(Math.min(wait, maxBackoff.toMillis()));
    }
}
