package io.voicecoach.tools.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.voicecoach.events.ToolError;
import io.voicecoach.events.ToolResult;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Instant;

/** One row of {@code tool_calls}: the audit entry of a call and, by its key, the call's idempotency record. */
@Entity
@Table(name = "tool_calls")
@IdClass(ToolCallRecord.Key.class)
public class ToolCallRecord extends PanacheEntityBase {

    public record Key(String tenantId, String callId) implements Serializable {
    }

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "call_id")
    public String callId;

    @Column(name = "session_id", nullable = false, updatable = false)
    public String sessionId;

    /** seq of the published tool.result within its session. */
    @Column(nullable = false, updatable = false)
    public long seq;

    @Column(nullable = false, updatable = false)
    public String tool;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(updatable = false)
    public JsonNode arguments;

    @Column(nullable = false)
    public String status;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode result;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "latency_ms", nullable = false)
    public long latencyMs;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    public ToolResult toResult() {
        var error = errorCode == null ? null : new ToolError(errorCode, errorMessage);
        return new ToolResult(callId, tool, status, result, error, latencyMs);
    }
}
