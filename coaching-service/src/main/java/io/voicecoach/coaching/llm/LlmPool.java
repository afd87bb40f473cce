package io.voicecoach.coaching.llm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The LLM calls this instance makes, shared fairly: at most {@code max-in-flight} at once for all tenants, at most
 * {@code tenant-max-in-flight} of them for one tenant (so one tenant's flood leaves slots for the others), and each
 * tenant's calls started at no more than {@code calls-per-minute} (a token bucket holding {@code call-burst}). A call
 * beyond any of them is refused at once ({@link LlmRefusedException}, with the code clients see): never queued, since
 * a live call that waits is worthless and a queue is memory an attacker fills.
 */
@ApplicationScoped
public class LlmPool {

    /** A slot taken; {@link #release} (idempotent) gives it back. */
    public static final class Permit {
        private final Tenant tenant;
        private final AtomicBoolean released = new AtomicBoolean();
        private final LlmPool pool;

        private Permit(LlmPool pool, Tenant tenant) {
            this.pool = pool;
            this.tenant = tenant;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                synchronized (pool) {
                    tenant.inFlight--;
                    pool.inFlight--;
                }
            }
        }
    }

    private static final class Tenant {
        final int maxInFlight;
        final double tokensPerNano;
        final double burst;
        int inFlight;
        double tokens;
        long refilledAt;

        Tenant(int maxInFlight, int callsPerMinute, int burst, long now) {
            this.maxInFlight = maxInFlight;
            this.tokensPerNano = callsPerMinute / 60e9;
            this.burst = burst;
            this.tokens = burst;
            this.refilledAt = now;
        }

        boolean takeToken(long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * tokensPerNano);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    private final LlmConfig config;
    private final LongSupplier nanoClock;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private int inFlight;

    @Inject
    public LlmPool(LlmConfig config) {
        this(config, System::nanoTime);
    }

    LlmPool(LlmConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
    }

    /**
     * Takes a slot for one call of the tenant.
     *
     * @throws LlmRefusedException when the pool, the tenant's share or its rate does not allow another call now
     */
    public synchronized Permit admit(String tenantId) {
        long now = nanoClock.getAsLong();
        var tenant = tenants.computeIfAbsent(tenantId, id -> newTenant(id, now));
        if (inFlight >= config.maxInFlight()) {
            throw new LlmRefusedException(LlmRefusedException.POOL_BUSY, "all " + config.maxInFlight()
                    + " LLM calls of this instance are in flight");
        }
        if (tenant.inFlight >= tenant.maxInFlight) {
            throw new LlmRefusedException(LlmRefusedException.TENANT_BUSY, "tenant " + tenantId + " has "
                    + tenant.maxInFlight + " LLM calls in flight, its share of the pool");
        }
        if (!tenant.takeToken(now)) {
            throw new LlmRefusedException(LlmRefusedException.RATE_LIMITED, "tenant " + tenantId
                    + " started more LLM calls than its rate allows");
        }
        tenant.inFlight++;
        inFlight++;
        return new Permit(this, tenant);
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    private Tenant newTenant(String tenantId, long now) {
        var own = config.tenants().get(tenantId);
        int share = own == null ? config.tenantMaxInFlight() : own.maxInFlight().orElse(config.tenantMaxInFlight());
        int rate = own == null ? config.callsPerMinute() : own.callsPerMinute().orElse(config.callsPerMinute());
        int burst = own == null ? config.callBurst() : own.callBurst().orElse(config.callBurst());
        return new Tenant(Math.min(share, config.maxInFlight()), rate, Math.max(1, burst), now);
    }
}
