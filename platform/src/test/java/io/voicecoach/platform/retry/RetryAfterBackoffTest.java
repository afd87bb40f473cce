package io.voicecoach.platform.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterBackoffTest {

    private static final class Limited extends RuntimeException implements RetryAfter {
        private final Duration wait;

        Limited(Duration wait) {
            this.wait = wait;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(wait);
        }
    }

    @Test
    void doublesFromTheDelayAndStopsAtTheMaximum() {
        var backoff = new RetryAfterBackoff(Duration.ofMillis(700), false);
        backoff.init(100);

        assertThat(backoff.nextDelayInMillis(new RuntimeException())).isEqualTo(100);
        assertThat(backoff.nextDelayInMillis(new RuntimeException())).isEqualTo(200);
        assertThat(backoff.nextDelayInMillis(new RuntimeException())).isEqualTo(400);
        assertThat(backoff.nextDelayInMillis(new RuntimeException())).isEqualTo(700);
    }

    @Test
    void waitsAtLeastWhatTheServerAskedEvenDeepInTheCause() {
        var backoff = new RetryAfterBackoff(Duration.ofSeconds(5), true);
        backoff.init(100);

        assertThat(backoff.nextDelayInMillis(new IllegalStateException(new Limited(Duration.ofMillis(1500)))))
                .isEqualTo(1500);
        assertThat(backoff.nextDelayInMillis(new Limited(Duration.ofSeconds(60)))).isEqualTo(5000);
        long jittered = backoff.nextDelayInMillis(new Limited(null));
        assertThat(jittered).isBetween(200L, 400L);
    }

    @Test
    void readsSecondsAndHttpDates() {
        assertThat(RetryAfter.parse("0.6")).contains(Duration.ofMillis(600));
        assertThat(RetryAfter.parse(" 2 ")).contains(Duration.ofSeconds(2));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(RetryAfter.parse(inTenSeconds).orElseThrow()).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(RetryAfter.parse("soon")).isEmpty();
        assertThat(RetryAfter.parse(null)).isEmpty();
    }
}
