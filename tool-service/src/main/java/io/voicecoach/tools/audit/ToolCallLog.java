package io.voicecoach.tools.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.voicecoach.events.ToolResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@code tool_calls} table. Callers run inside a transaction; every query is keyed by tenant. */
@ApplicationScoped
public class ToolCallLog implements PanacheRepositoryBase<ToolCallRecord, ToolCallRecord.Key> {

    public static final String RUNNING = "running";

    public Optional<ToolCallRecord> find(String tenantId, String callId) {
        return findByIdOptional(new ToolCallRecord.Key(tenantId, callId));
    }

    /**
     * Inserts the call as {@code running} unless the (tenant, callId) row exists. A concurrent claim of the same call
     * waits on the primary key until the first transaction ends, then sees its row.
     *
     * @return the seq of the call's result within its session if this transaction owns the call and must run it;
     *         empty if the call was claimed before
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public OptionalLong claim(String tenantId, String callId, String sessionId, String tool, JsonNode arguments) {
        List<?> claimed = getEntityManager().createNativeQuery("""
                        INSERT INTO tool_calls (tenant_id, call_id, session_id, seq, tool, arguments, status)
                        SELECT :tenant, :callId, :session, COALESCE(MAX(seq), 0) + 1, :tool, CAST(:arguments AS jsonb), :status
                          FROM tool_calls WHERE tenant_id = :tenant AND session_id = :session
                        ON CONFLICT (tenant_id, call_id) DO NOTHING
                        RETURNING seq
                        """)
                .setParameter("tenant", tenantId)
                .setParameter("callId", callId)
                .setParameter("session", sessionId)
                .setParameter("tool", PostgresText.text(tool))
                .setParameter("arguments", arguments == null ? "null" : PostgresText.json(arguments))
                .setParameter("status", RUNNING)
                .getResultList();
        return claimed.isEmpty() ? OptionalLong.empty() : OptionalLong.of(((Number) claimed.getFirst()).longValue());
    }

    /** Records the outcome of a call this transaction claimed (one UPDATE; the row is not loaded). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void complete(String tenantId, String callId, ToolResult result) {
        int updated = getEntityManager().createNativeQuery("""
                        UPDATE tool_calls
                           SET status = :status, result = CAST(:result AS jsonb), error_code = :code,
                               error_message = :message, latency_ms = :latency
                         WHERE tenant_id = :tenant AND call_id = :callId
                        """)
                .setParameter("status", result.status())
                .setParameter("result", PostgresText.json(result.result()))
                .setParameter("code", result.error() == null ? null : result.error().code())
                .setParameter("message", result.error() == null ? null : PostgresText.text(result.error().message()))
                .setParameter("latency", result.latencyMs())
                .setParameter("tenant", tenantId)
                .setParameter("callId", callId)
                .executeUpdate();
        if (updated != 1) {
            throw new IllegalStateException("call " + callId + " was not claimed");
        }
    }

    /**
     * Records the outcome of a call still {@code running} whose claim is older than {@code staleAfter} (database
     * clock): the delivery that claimed it outside a transaction (a webhook call) stopped before answering.
     *
     * @return true if this call took the outcome over
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean completeAbandoned(String tenantId, String callId, ToolResult result, Duration staleAfter) {
        return getEntityManager().createNativeQuery("""
                        UPDATE tool_calls
                           SET status = :status, error_code = :code, error_message = :message, latency_ms = :latency
                         WHERE tenant_id = :tenant AND call_id = :callId AND status = :running
                           AND created_at < now() - make_interval(secs => :seconds)
                        """)
                .setParameter("status", result.status())
                .setParameter("code", result.error() == null ? null : result.error().code())
                .setParameter("message", result.error() == null ? null : PostgresText.text(result.error().message()))
                .setParameter("latency", result.latencyMs())
                .setParameter("tenant", tenantId)
                .setParameter("callId", callId)
                .setParameter("running", RUNNING)
                .setParameter("seconds", staleAfter.toMillis() / 1000.0)
                .executeUpdate() == 1;
    }

    public long countForCall(String tenantId, String callId) {
        return count("tenantId = ?1 and callId = ?2", tenantId, callId);
    }
}
