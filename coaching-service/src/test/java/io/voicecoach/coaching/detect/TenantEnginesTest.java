package io.voicecoach.coaching.detect;

import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.ConfigStub;
import io.voicecoach.coaching.playbook.PlaybookSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Playbook changes build their engine one at a time, and a tenant cannot queue a second change behind its first. */
class TenantEnginesTest {

    private final CoachingConfig config = ConfigStub.of(CoachingConfig.class, Map.of("embeddings", Map.of("enabled", false)));
    // no database: a load fails and the default engine is kept, which is all the builds here need
    private final TenantEngines engines = new TenantEngines(new EngineFactory(config), null, new PlaybookSource(config),
            config, Executors.newVirtualThreadPerTaskExecutor());

    @Test
    void aSecondChangeOfATenantIsRefusedAndOtherTenantsWaitTheirTurn() throws Exception {
        var release = new CountDownLatch(1);
        var first = CompletableFuture.supplyAsync(() -> engines.change("flood", () -> {
            waitFor(release);
            return "first";
        }));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() ->
                engines.change("flood", () -> "second")).isInstanceOf(TenantEngines.BusyException.class));

        var otherRan = new AtomicBoolean();
        var other = CompletableFuture.supplyAsync(() -> engines.change("quiet", () -> {
            otherRan.set(true);
            return "other";
        }));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilFalse(otherRan);

        release.countDown();
        assertThat(first.get()).isEqualTo("first");
        assertThat(other.get()).isEqualTo("other");
        assertThat(engines.change("flood", () -> "again")).as("free once its change is built").isEqualTo("again");
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
