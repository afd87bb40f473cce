package io.voicecoach.tools.limits;

import io.voicecoach.tools.ToolsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per tenant: {@code burst} calls at once, refilled at {@code calls-per-second}; per-tenant overrides
 * under {@code voicecoach.tools.rate-limit.tenants."<tenant>"}. In memory, so the limit holds per instance.
 */
@ApplicationScoped
public class RateLimiter {

    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long refilledAt;

        Bucket(double perSecond, int burst, long now) {
            this.perNano = perSecond / 1e9;
            this.capacity = burst;
            this.tokens = burst;
            this.refilledAt = now;
        }

        synchronized boolean take(long now) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private final ToolsConfig.RateLimit config;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(ToolsConfig config) {
        this.config = config.rateLimit();
    }

    /** Takes a token from the tenant's bucket; false when it is empty. */
    public boolean tryAcquire(String tenantId) {
        long now = System.nanoTime();
        return buckets.computeIfAbsent(tenantId, t -> newBucket(t, now)).take(now);
    }

    private Bucket newBucket(String tenantId, long now) {
        var override = config.tenants().get(tenantId);
        return override == null
                ? new Bucket(config.callsPerSecond(), config.burst(), now)
                : new Bucket(override.callsPerSecond(), override.burst(), now);
    }
}
