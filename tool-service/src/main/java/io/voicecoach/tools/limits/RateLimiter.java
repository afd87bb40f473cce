package io.voicecoach.tools.limits;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.voicecoach.tools.ToolsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * A token bucket per tenant in PostgreSQL ({@code rate_limits}), so every tool-service instance draws from the same
 * budget: {@code burst} calls at once, refilled at {@code calls-per-second}, per-tenant overrides under
 * {@code voicecoach.tools.rate-limit.tenants."<tenant>"}. One statement refills and takes a token under the row's
 * lock, timed by the database clock, in a transaction of its own so the lock is not held while the tool runs.
 */
@ApplicationScoped
public class RateLimiter {

    /** The bucket's level after refilling for the time since the last call (never negative time, never over burst). */
    private static final String REFILLED = "LEAST(CAST(:burst AS double precision), b.tokens "
            + "+ GREATEST(0, EXTRACT(EPOCH FROM statement_timestamp() - b.refilled_at)) * :rate)";
    private static final String TAKE = """
            INSERT INTO rate_limits AS b (tenant_id, tokens, refilled_at, granted)
            VALUES (:tenant, :burst - 1, statement_timestamp(), true)
            ON CONFLICT (tenant_id) DO UPDATE SET
                tokens = CASE WHEN %1$s >= 1 THEN %1$s - 1 ELSE %1$s END,
                refilled_at = GREATEST(b.refilled_at, statement_timestamp()),
                granted = %1$s >= 1
            RETURNING granted
            """.formatted(REFILLED);

    private final EntityManager entityManager;
    private final ToolsConfig.RateLimit config;

    public RateLimiter(EntityManager entityManager, ToolsConfig config) {
        this.entityManager = entityManager;
        this.config = config.rateLimit();
    }

    /** Takes a token from the tenant's bucket; false when it is empty. */
    public boolean tryAcquire(String tenantId) {
        var override = config.tenants().get(tenantId);
        return override == null
                ? tryAcquire(tenantId, config.callsPerSecond(), config.burst())
                : tryAcquire(tenantId, override.callsPerSecond(), override.burst());
    }

    /** Takes a token from the tenant's bucket of the given size and refill rate. */
    public boolean tryAcquire(String tenantId, double callsPerSecond, int burst) {
        if (burst < 1) {
            return false;
        }
        return QuarkusTransaction.requiringNew().call(() -> (Boolean) entityManager.createNativeQuery(TAKE)
                .setParameter("tenant", tenantId)
                .setParameter("burst", burst)
                .setParameter("rate", callsPerSecond)
                .getSingleResult());
    }
}
