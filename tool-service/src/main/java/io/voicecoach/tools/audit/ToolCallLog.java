package io.voicecoach.tools.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.voicecoach.events.ToolResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Optional;

/** The {@code tool_calls} table. Callers run inside a transaction; every query is keyed by tenant. */
@ApplicationScoped
public class ToolCallLog implements PanacheRepositoryBase<ToolCallRecord, ToolCallRecord.Key> {

    static final String RUNNING = "running";

    public Optional<ToolCallRecord> find(String tenantId, String callId) {
        return findByIdOptional(new ToolCallRecord.Key(tenantId, callId));
    }

    /**
     * Inserts the call as {@code running} unless the (tenant, callId) row exists. A concurrent claim of the same call
     * waits on the primary key until the first transaction ends, then sees its row.
     *
     * @return true if this transaction owns the call and must run it
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(String tenantId, String callId, String sessionId, String tool, JsonNode arguments) {
        int inserted = getEntityManager().createNativeQuery("""
                        INSERT INTO tool_calls (tenant_id, call_id, session_id, seq, tool, arguments, status)
                        SELECT :tenant, :callId, :session, COALESCE(MAX(seq), 0) + 1, :tool, CAST(:arguments AS jsonb), :status
                          FROM tool_calls WHERE tenant_id = :tenant AND session_id = :session
                        ON CONFLICT (tenant_id, call_id) DO NOTHING
                        """)
                .setParameter("tenant", tenantId)
                .setParameter("callId", callId)
                .setParameter("session", sessionId)
                .setParameter("tool", tool)
                .setParameter("arguments", arguments == null ? "null" : arguments.toString())
                .setParameter("status", RUNNING)
                .executeUpdate();
        return inserted == 1;
    }

    /** Records the outcome of a call this transaction claimed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public ToolCallRecord complete(String tenantId, String callId, ToolResult result) {
        var record = find(tenantId, callId).orElseThrow(() ->
                new IllegalStateException("call " + callId + " was not claimed"));
        record.status = result.status();
        record.result = result.result();
        record.errorCode = result.error() == null ? null : result.error().code();
        record.errorMessage = result.error() == null ? null : result.error().message();
        record.latencyMs = result.latencyMs();
        return record;
    }

    public long countForCall(String tenantId, String callId) {
        return count("tenantId = ?1 and callId = ?2", tenantId, callId);
    }
}
