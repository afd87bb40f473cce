package io.voicecoach.tools;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.limits.RateLimiter;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-tenant rate limit is one budget in PostgreSQL: two limiters (as two service instances would have) on the
 * same database share it.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class SharedRateLimitTest {

    @Inject
    EntityManager entityManager;

    @Inject
    ToolsConfig config;

    @Test
    void twoInstancesDrawFromOneBucket() {
        var first = new RateLimiter(entityManager, config);
        var second = new RateLimiter(entityManager, config);
        String tenant = "shared-" + UUID.randomUUID();
        int granted = 0;
        for (int i = 0; i < 4; i++) {
            granted += first.tryAcquire(tenant, 0.001, 5) ? 1 : 0;
            granted += second.tryAcquire(tenant, 0.001, 5) ? 1 : 0;
        }
        // 8 attempts, burst 5, no meaningful refill: each instance alone would have allowed 4
        assertThat(granted).isEqualTo(5);
        assertThat(first.tryAcquire(tenant, 0.001, 5)).isFalse();
        assertThat(second.tryAcquire(tenant, 0.001, 5)).isFalse();
        // other tenants have budgets of their own
        assertThat(second.tryAcquire("shared-" + UUID.randomUUID(), 0.001, 5)).isTrue();
    }

    @Test
    void concurrentCallsFromTwoInstancesNeverOverspend() throws Exception {
        var instances = new RateLimiter[]{new RateLimiter(entityManager, config), new RateLimiter(entityManager, config)};
        String tenant = "race-" + UUID.randomUUID();
        var granted = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var tasks = new java.util.ArrayList<Callable<Void>>();
            for (int t = 0; t < 8; t++) {
                var limiter = instances[t % 2];
                tasks.add(() -> {
                    for (int i = 0; i < 10; i++) {
                        if (limiter.tryAcquire(tenant, 0.001, 20)) {
                            granted.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (var future : pool.invokeAll(tasks)) {
                future.get();
            }
        }
        assertThat(granted.get()).isEqualTo(20);
    }

    @Test
    void theBucketRefillsOverTime() {
        var limiter = new RateLimiter(entityManager, config);
        String tenant = "refill-" + UUID.randomUUID();
        assertThat(limiter.tryAcquire(tenant, 5, 2)).isTrue();
        assertThat(limiter.tryAcquire(tenant, 5, 2)).isTrue();
        assertThat(limiter.tryAcquire(tenant, 5, 2)).isFalse();
        // 5 tokens a second: one is back within a fraction of a second, on either instance
        var other = new RateLimiter(entityManager, config);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> other.tryAcquire(tenant, 5, 2));
    }
}
