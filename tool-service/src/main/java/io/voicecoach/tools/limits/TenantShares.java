package io.voicecoach.tools.limits;

import io.voicecoach.tools.ToolsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each tenant's share of this instance's tool-call workers for its webhook tools: at most
 * {@code webhook.tenant-concurrency} of its webhook calls at once, so one tenant's slow endpoints leave the other
 * workers to everyone else. Per instance, in memory: a tenant gets that many on each instance.
 */
@ApplicationScoped
public class TenantShares {

    private final int share;
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public TenantShares(ToolsConfig config) {
        this.share = config.webhook().tenantConcurrency();
    }

    public int share() {
        return share;
    }

    /** Takes one of the tenant's slots; false when it has {@link #share()} calls running. Pair with {@link #leave}. */
    public boolean tryEnter(String tenantId) {
        var taken = new boolean[1];
        inFlight.compute(tenantId, (tenant, count) -> {
            var running = count == null ? new AtomicInteger() : count;
            taken[0] = running.get() < share;
            if (taken[0]) {
                running.incrementAndGet();
            }
            return running.get() == 0 ? null : running;
        });
        return taken[0];
    }

    public void leave(String tenantId) {
        inFlight.computeIfPresent(tenantId, (tenant, count) -> count.decrementAndGet() == 0 ? null : count);
    }
}
