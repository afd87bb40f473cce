package io.voicecoach.coaching.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TenantSharesTest {

    private static final long MS = 1_000_000;

    private final AtomicLong now = new AtomicLong();
    private final TenantShares shares = new TenantShares(Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofSeconds(1), 3, now::get);

    @Test
    void aTenantBeyondItsBurstHasNoShareUntilItRefills() {
        shares.spent("a", 1); // another tenant is on the thread
        assertThat(shares.hasShare("b")).isTrue();
        shares.spent("b", 150 * MS);
        assertThat(shares.hasShare("b")).as("50 ms left").isTrue();
        shares.spent("b", 60 * MS);
        assertThat(shares.hasShare("b")).as("10 ms in debt").isFalse();

        now.addAndGet(50 * MS); // 5 ms refilled: still in debt
        assertThat(shares.hasShare("b")).isFalse();
        now.addAndGet(60 * MS); // 6 ms more: 1 ms left
        assertThat(shares.hasShare("b")).isTrue();
    }

    @Test
    void oneTenantsSpendingLeavesAnothersShareWhole() {
        shares.spent("b", 10_000 * MS);
        shares.spent("c", 1);
        assertThat(shares.hasShare("b")).isFalse();
        assertThat(shares.hasShare("a")).isTrue();
        shares.spent("a", 199 * MS);
        assertThat(shares.hasShare("a")).isTrue();
    }

    @Test
    void aDebtIsAtMostOneBurstAndTheBucketAtMostOneBurstFull() {
        shares.spent("b", 10_000 * MS); // debt capped at -200 ms
        now.addAndGet(1_990 * MS);      // 199 ms refilled
        shares.spent("a", 1);
        assertThat(shares.hasShare("b")).isFalse();
        now.addAndGet(11 * MS);         // 200.1 ms
        assertThat(shares.hasShare("b")).as("back after at most two bursts' refill").isTrue();

        now.addAndGet(60_000 * MS);     // idle for a minute: the bucket holds one burst, not 6 s
        shares.spent("b", 201 * MS);
        shares.spent("a", 1);
        assertThat(shares.hasShare("b")).isFalse();
    }

    @Test
    void aTenantAloneOnTheThreadIsClassifiedBeyondItsShare() {
        shares.spent("b", 10_000 * MS);
        assertThat(shares.hasShare("b")).as("nobody else seen").isTrue();

        shares.spent("a", 1);
        shares.spent("b", 1);
        assertThat(shares.hasShare("b")).as("a was on the thread just before").isFalse();

        now.addAndGet(1_001 * MS);
        shares.spent("b", 1);
        assertThat(shares.hasShare("b")).as("a gone for more than a second; b's debt refilled only 100 ms").isTrue();
    }

    @Test
    void zeroPerSecondMeansNoLimit() {
        var unlimited = new TenantShares(Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(1), 2,
                now::get);
        unlimited.spent("b", 10_000 * MS);
        assertThat(unlimited.hasShare("b")).isTrue();
    }
}
