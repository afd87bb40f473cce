package io.voicecoach.analytics.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;

/** A tool call and its result; either may arrive first, the row holds what has arrived. */
@Entity
@Table(name = "tool_calls")
public class ToolCallRow extends PanacheEntityBase {

    @Id
    @Column(name = "call_id")
    public String callId;
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;
    @Column(name = "session_id", nullable = false, updatable = false)
    public String sessionId;
    @Column(name = "tool")
    public String tool;
    @Column(name = "arguments", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String arguments;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "timeout_ms")
    public Long timeoutMs;
    /** The tool.call envelope's occurredAt. */
    @Column(name = "requested_at")
    public Instant requestedAt;
    /** {@code ok} or {@code error}; null while no result arrived. */
    @Column(name = "status")
    public String status;
    @Column(name = "result", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String result;
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "error_message")
    public String errorMessage;
    /** Time the tool service spent, as it reported. */
    @Column(name = "tool_latency_ms")
    public Long toolLatencyMs;
    /** The tool.result envelope's occurredAt. */
    @Column(name = "completed_at")
    public Instant completedAt;

    public boolean belongsTo(String tenantId, String sessionId) {
        return this.tenantId.equals(tenantId) && this.sessionId.equals(sessionId);
    }
}
