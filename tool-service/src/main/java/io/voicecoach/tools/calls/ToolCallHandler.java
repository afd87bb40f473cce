package io.voicecoach.tools.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolError;
import io.voicecoach.events.ToolResult;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.audit.PostgresText;
import io.voicecoach.tools.audit.ToolCallLog;
import io.voicecoach.tools.audit.ToolCallRecord;
import io.voicecoach.tools.limits.RateLimiter;
import io.voicecoach.tools.limits.TenantShares;
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

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a call at most once per (tenant, callId): claims the audit row, runs the tool and stores the outcome in one
 * transaction. A call already answered is not run again; its stored result is returned for re-publishing. A tenant's
 * webhook tool is called with no transaction open (its claim, {@code running}, is committed first; the outcome is
 * stored after), within the tenant's {@link TenantShares share} of webhook calls.
 * <p>
 * Before running: a call past its {@link Deadline} is answered {@code timeout}, a tenant over its rate limit
 * {@code rate_limited} (both recorded). While running, PostgreSQL's {@code statement_timeout} is set to the time left;
 * a tool that overruns has its transaction rolled back and {@link #recordTimeout} stores the {@code timeout}.
 */
@ApplicationScoped
public class ToolCallHandler {

    private static final Duration AWAIT_POLL = Duration.ofMillis(100);
    /** Beyond the tool's limit, before a claim still running counts as abandoned. */
    private static final Duration ABANDONED_MARGIN = Duration.ofSeconds(1);

    private final ToolCallLog log;
    private final ToolRegistry tools;
    private final RateLimiter rateLimiter;
    private final ToolsConfig.Timeouts timeouts;
    private final TransactionManager transactions;
    private final EntityManager entityManager;
    private final TenantShares shares;
    private final Counter replays;

    public ToolCallHandler(ToolCallLog log, ToolRegistry tools, RateLimiter rateLimiter, ToolsConfig config,
                           TransactionManager transactions, EntityManager entityManager, MeterRegistry meters,
                           TenantShares shares) {
        this.shares = shares;
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
    public AnsweredCall answer(String tenantId, String sessionId, ToolCall call) {
        return answer(tenantId, sessionId, call, Instant.now());
    }

    /**
     * A built-in tool runs in one transaction with its audit row; a tenant's webhook tool (or an unknown name) is
     * claimed in one transaction, called with none open, and its outcome stored in another.
     *
     * @param requestedAt when the caller asked (the envelope's {@code occurredAt}); with {@code timeoutMs} it bounds
     *                    how long the answer is worth giving
     * @throws DeadlineExceededException when a built-in tool overran; nothing was recorded, call {@link #recordTimeout}
     */
    public AnsweredCall answer(String tenantId, String sessionId, ToolCall call, Instant requestedAt) {
        if (tools.isBuiltIn(call.tool())) {
            return answerInOneTransaction(tenantId, sessionId, call, requestedAt);
        }
        if (!shares.tryEnter(tenantId)) {
            return QuarkusTransaction.requiringNew().call(() -> refuseBusy(tenantId, sessionId, call));
        }
        try {
            return answerOutsideTransaction(tenantId, sessionId, call, requestedAt);
        } finally {
            shares.leave(tenantId);
        }
    }

    @Transactional
    AnsweredCall answerInOneTransaction(String tenantId, String sessionId, ToolCall call, Instant requestedAt) {
        long start = System.nanoTime();
        var claimed = claim(tenantId, sessionId, call, requestedAt);
        if (claimed.answer() != null) {
            return claimed.answer();
        }
        var outcome = claimed.refusal().orElseGet(() -> run(claimed.invocation(), claimed.deadline()));
        return complete(claimed, outcome, start);
    }

    private AnsweredCall answerOutsideTransaction(String tenantId, String sessionId, ToolCall call,
                                                  Instant requestedAt) {
        long start = System.nanoTime();
        var claimed = QuarkusTransaction.requiringNew().call(() -> {
            var claim = claim(tenantId, sessionId, call, requestedAt);
            if (claim.answer() != null || claim.refusal().isEmpty()) {
                return claim;
            }
            return claim.answered(complete(claim, claim.refusal().get(), start));
        });
        if (claimed.answer() != null) {
            return claimed.answer().result() == null
                    ? awaitOtherDelivery(tenantId, call, claimed.limit()) : claimed.answer();
        }
        var outcome = QuarkusTransaction.requiringNew().call(() -> tools.prepare(claimed.invocation())).get();
        return QuarkusTransaction.requiringNew().call(() -> complete(claimed, outcome, start));
    }

    /**
     * Claims the call: a call answered before comes back as its stored answer (or, while another delivery is still
     * running it outside a transaction, an answer without a result); a call past its deadline or over the rate limit
     * comes back with its refusal.
     */
    private Claimed claim(String tenantId, String sessionId, ToolCall call, Instant requestedAt) {
        String tool = Objects.requireNonNullElse(call.tool(), "");
        var limit = tools.ownLimit(tenantId, tool)
                .orElseGet(() -> timeouts.tools().getOrDefault(tool, timeouts.defaultLimit()));
        var seq = log.claim(tenantId, call.callId(), sessionId, tool, call.arguments());
        if (seq.isEmpty()) {
            // answered before (a redelivery), or a concurrent delivery of the same call committed first
            var record = log.find(tenantId, call.callId()).orElseThrow();
            return Claimed.before(ToolCallLog.RUNNING.equals(record.status)
                    ? new AnsweredCall(null, null, record.seq, true) : replay(record), limit);
        }
        var deadline = Deadline.of(timeouts, limit, requestedAt, call.timeoutMs(), Instant.now());
        // PostgreSQL holds no NUL char: a tool that stored one failed its transaction (ToolFuzzTest)
        var invocation = new ToolInvocation(tenantId, sessionId, call.callId(), tool,
                PostgresText.storable(call.arguments()), deadline.at());
        Optional<ToolOutcome> refusal = Optional.empty();
        if (deadline.passed()) {
            refusal = Optional.of(ToolOutcome.failed(ToolErrors.TIMEOUT, deadline.message()));
        } else if (!rateLimiter.tryAcquire(tenantId)) {
            refusal = Optional.of(ToolOutcome.failed(ToolErrors.RATE_LIMITED,
                    "too many tool calls for this tenant right now; wait a moment and try again"));
        }
        return new Claimed(invocation, deadline, limit, seq.getAsLong(), refusal, null);
    }

    private AnsweredCall complete(Claimed claimed, ToolOutcome outcome, long start) {
        var invocation = claimed.invocation();
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        var result = new ToolResult(invocation.callId(), invocation.tool(), outcome.status(), outcome.result(),
                outcome.error(), latencyMs);
        log.complete(invocation.tenantId(), invocation.callId(), result);
        return AnsweredCall.stored(invocation.tenantId(), result, claimed.seq(), false);
    }

    /** The tenant has its share of webhook calls running: recorded as {@code tool_busy}, not run. */
    private AnsweredCall refuseBusy(String tenantId, String sessionId, ToolCall call) {
        String tool = Objects.requireNonNullElse(call.tool(), "");
        var error = new ToolError(ToolErrors.TOOL_BUSY, "this tenant already has " + shares.share()
                + " webhook calls running; try again when one has answered");
        var result = new ToolResult(call.callId(), tool, ToolResult.ERROR, null, error, 0);
        var seq = log.claim(tenantId, call.callId(), sessionId, tool, call.arguments());
        if (seq.isPresent()) {
            log.complete(tenantId, call.callId(), result);
            return AnsweredCall.stored(tenantId, result, seq.getAsLong(), false);
        }
        var record = log.find(tenantId, call.callId()).orElseThrow();
        return ToolCallLog.RUNNING.equals(record.status) ? AnsweredCall.unrecorded(result) : replay(record);
    }

    /**
     * Another delivery of this call claimed it and runs it outside a transaction: waits for its answer, or, once the
     * claim is older than the tool's limit (that delivery's instance stopped), records a {@code timeout}.
     */
    private AnsweredCall awaitOtherDelivery(String tenantId, ToolCall call, Duration limit) {
        var staleAfter = limit.plus(timeouts.grace()).plus(ABANDONED_MARGIN);
        var abandoned = new ToolResult(call.callId(), call.tool(), ToolResult.ERROR, null,
                new ToolError(ToolErrors.TIMEOUT, "the instance running this call stopped before it answered; "
                        + "whether the endpoint acted on it is not known"), staleAfter.toMillis());
        while (true) {
            var answered = QuarkusTransaction.requiringNew().call(() -> {
                log.completeAbandoned(tenantId, call.callId(), abandoned, staleAfter);
                return log.find(tenantId, call.callId()).filter(r -> !ToolCallLog.RUNNING.equals(r.status))
                        .map(this::replay);
            });
            if (answered.isPresent()) {
                return answered.get();
            }
            try {
                Thread.sleep(AWAIT_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for another delivery of the call", e);
            }
        }
    }

    /** A claimed call; {@code answer} set when it had been claimed before (no result: still running elsewhere). */
    private record Claimed(ToolInvocation invocation, Deadline deadline, Duration limit, long seq,
                           Optional<ToolOutcome> refusal, AnsweredCall answer) {
        static Claimed before(AnsweredCall answer, Duration limit) {
            return new Claimed(null, null, limit, answer.seq(), Optional.empty(), answer);
        }

        Claimed answered(AnsweredCall answer) {
            return new Claimed(invocation, deadline, limit, seq, refusal, answer);
        }
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
