package io.voicecoach.tools.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.tools.audit.ToolCallLog;
import io.voicecoach.tools.audit.ToolCallRecord;
import io.voicecoach.tools.registry.ToolInvocation;
import io.voicecoach.tools.registry.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;

import java.util.Objects;

/**
 * Runs a call at most once per (tenant, callId): claims the audit row, runs the tool and stores the outcome in one
 * transaction. A call already answered is not run again; its stored result is returned for re-publishing.
 */
@ApplicationScoped
public class ToolCallHandler {

    private final ToolCallLog log;
    private final ToolRegistry tools;
    private final TransactionManager transactions;
    private final Counter replays;

    public ToolCallHandler(ToolCallLog log, ToolRegistry tools, TransactionManager transactions, MeterRegistry meters) {
        this.log = log;
        this.tools = tools;
        this.transactions = transactions;
        this.replays = Counter.builder("voicecoach.tool.replays")
                .description("Redelivered tool calls answered from the audit log without running the tool")
                .register(meters);
    }

    @Transactional
    public AnsweredCall answer(String tenantId, String sessionId, ToolCall call) {
        long start = System.nanoTime();
        var answered = log.find(tenantId, call.callId());
        if (answered.isPresent()) {
            return replay(answered.get());
        }
        String tool = Objects.requireNonNullElse(call.tool(), "");
        if (!log.claim(tenantId, call.callId(), sessionId, tool, call.arguments())) {
            // a concurrent delivery of the same call committed first
            return replay(log.find(tenantId, call.callId()).orElseThrow());
        }
        var outcome = tools.invoke(new ToolInvocation(tenantId, sessionId, call.callId(), tool, call.arguments()));
        if (rollbackOnly()) {
            throw new IllegalStateException("tool '" + tool + "' left the transaction rollback-only; call not recorded");
        }
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        var result = new ToolResult(call.callId(), tool, outcome.status(), outcome.result(), outcome.error(), latencyMs);
        var record = log.complete(tenantId, call.callId(), result);
        return AnsweredCall.stored(tenantId, result, record.seq, false);
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
