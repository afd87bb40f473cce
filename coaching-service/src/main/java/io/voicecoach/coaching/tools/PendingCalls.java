package io.voicecoach.coaching.tools;

import io.voicecoach.events.ToolResult;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Tool calls this instance made and still waits for, by call id. */
@ApplicationScoped
public class PendingCalls {

    public enum Outcome { COMPLETED, UNKNOWN_CALL, FOREIGN_TENANT }

    private record Pending(String tenantId, CompletableFuture<ToolResult> result) {
    }

    private final Map<String, Pending> calls = new ConcurrentHashMap<>();

    public CompletableFuture<ToolResult> open(String callId, String tenantId) {
        var pending = new Pending(tenantId, new CompletableFuture<>());
        calls.put(callId, pending);
        return pending.result();
    }

    /** Hands a result to its waiting caller; results of calls not made here or claiming another tenant are dropped. */
    public Outcome complete(String tenantId, ToolResult result) {
        var pending = calls.get(result.callId());
        if (pending == null) {
            return Outcome.UNKNOWN_CALL;
        }
        if (!pending.tenantId().equals(tenantId)) {
            return Outcome.FOREIGN_TENANT;
        }
        calls.remove(result.callId(), pending);
        pending.result().complete(result);
        return Outcome.COMPLETED;
    }

    public void fail(String callId, Throwable failure) {
        var pending = calls.remove(callId);
        if (pending != null) {
            pending.result().completeExceptionally(failure);
        }
    }

    public void close(String callId) {
        calls.remove(callId);
    }

    public int size() {
        return calls.size();
    }
}
