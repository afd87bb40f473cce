package io.voicecoach.tools.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.audit.ToolCallLog;
import io.voicecoach.tools.audit.ToolCallRecord;
import io.voicecoach.tools.limits.RateLimiter;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolInvocation;
import io.voicecoach.tools.registry.ToolOutcome;
import io.voicecoach.tools.registry.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Objects;

/**
 * Runs a call at most once per (tenant, callId): claims the audit row, runs the tool and stores the outcome in one
 * transaction. A call already answered is not run again; its stored result is returned for re-publishing.
 * <p>
 * Before running: a call past its {@link Deadline} is answered {@code timeout}, a tenant over its rate limit
 * {@code rate_limited} (both recorded). While running, PostgreSQL's {@code statement_timeout} is set to the time left;
 * a tool that overruns has its transaction rolled back and {@link #recordTimeout} stores the {@code timeout}.
 */
@ApplicationScoped
public class ToolCallHandler {

    private final ToolCallLog log;
    private final ToolRegistry tools;
    private final RateLimiter rateLimiter;
    private final ToolsConfig.Timeouts timeouts;
    private final TransactionManager transactions;
    private final EntityManager entityManager;
    private final Counter replays;

    public ToolCallHandler(ToolCallLog log, ToolRegistry tools, RateLimiter rateLimiter, ToolsConfig config,
                           TransactionManager transactions, EntityManager entityManager, MeterRegistry meters) {
        this.log = log;
        this.tools = tools;
        this.rateLimiter = rateLimiter;
        this.timeouts = config.timeout();
        this.transactions = transactions;
        this.entityManager = entityManager;
        this.replays = Counter.builder("voicecoach.tool.replays")
                .description("Redelivered tool calls answered from the audit log without running the tool")
                .register(meters);
    }

    /** A call requested now. */
    @Transactional
    public AnsweredCall answer(String tenantId, String sessionId, ToolCall call) {
        return answer(tenantId, sessionId, call, Instant.now());
    }

    /**
     * @param requestedAt when the caller asked (the envelope's {@code occurredAt}); with {@code timeoutMs} it bounds
     *                    how long the answer is worth giving
     * @throws DeadlineExceededException when the tool overran; nothing was recorded, call {@link #recordTimeout}
     */
    @Transactional
    public AnsweredCall answer(String tenantId, String sessionId, ToolCall call, Instant requestedAt) {
        long start = System.nanoTime();
        String tool = Objects.requireNonNullElse(call.tool(), "");
        var seq = log.claim(tenantId, call.callId(), sessionId, tool, call.arguments());
        if (seq.isEmpty()) {
            // answered before (a redelivery), or a concurrent delivery of the same call committed first
            return replay(log.find(tenantId, call.callId()).orElseThrow());
        }
        var limit = tools.ownLimit(tenantId, tool)
                .orElseGet(() -> timeouts.tools().getOrDefault(tool, timeouts.defaultLimit()));
        var deadline = Deadline.of(timeouts, limit, requestedAt, call.timeoutMs(), Instant.now());
        ToolOutcome outcome;
        if (deadline.passed()) {
            outcome = ToolOutcome.failed(ToolErrors.TIMEOUT, deadline.message());
        } else if (!rateLimiter.tryAcquire(tenantId)) {
            outcome = ToolOutcome.failed(ToolErrors.RATE_LIMITED,
                    "too many tool calls for this tenant right now; wait a moment and try again");
        } else {
            outcome = run(new ToolInvocation(tenantId, sessionId, call.callId(), tool, call.arguments(),
                    deadline.at()), deadline);
        }
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        var result = new ToolResult(call.callId(), tool, outcome.status(), outcome.result(), outcome.error(), latencyMs);
        log.complete(tenantId, call.callId(), result);
        return AnsweredCall.stored(tenantId, result, seq.getAsLong(), false);
    }

    /** Records (in a transaction of its own) that a call overran, unless it has been answered meanwhile. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AnsweredCall recordTimeout(String tenantId, String sessionId, ToolCall call, String message, long latencyMs) {
        String tool = Objects.requireNonNullElse(call.tool(), "");
        var seq = log.claim(tenantId, call.callId(), sessionId, tool, call.arguments());
        if (seq.isEmpty()) {
            return replay(log.find(tenantId, call.callId()).orElseThrow());
        }
        var outcome = ToolOutcome.failed(ToolErrors.TIMEOUT, message);
        var result = new ToolResult(call.callId(), tool, outcome.status(), null, outcome.error(), latencyMs);
        log.complete(tenantId, call.callId(), result);
        return AnsweredCall.stored(tenantId, result, seq.getAsLong(), false);
    }

    private ToolOutcome run(ToolInvocation invocation, Deadline deadline) {
        statementTimeout(deadline.remainingMillis());
        var outcome = tools.invoke(invocation);
        if (deadline.nearlyPassed()) {
            throw new DeadlineExceededException(deadline.message());
        }
        if (rollbackOnly()) {
            throw new IllegalStateException("tool '" + invocation.tool()
                    + "' left the transaction rollback-only; call not recorded");
        }
        statementTimeout(0);
        return outcome;
    }

    /** PostgreSQL cancels any statement of this transaction that runs longer; 0 = no limit. */
    private void statementTimeout(long millis) {
        entityManager.createNativeQuery("SELECT set_config('statement_timeout', :ms, true)")
                .setParameter("ms", Long.toString(millis))
                .getSingleResult();
    }

    private boolean rollbackOnly() {
        try {
            return transactions.getStatus() == Status.STATUS_MARKED_ROLLBACK;
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }

    private AnsweredCall replay(ToolCallRecord record) {
        replays.increment();
        return AnsweredCall.stored(record.tenantId, record.toResult(), record.seq, true);
    }
}
