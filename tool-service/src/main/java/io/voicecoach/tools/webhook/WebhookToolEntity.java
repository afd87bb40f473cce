package io.voicecoach.tools.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Instant;

/** One row of {@code webhook_tools}: a tool a tenant defined, run by POSTing to its endpoint. */
@Entity
@Table(name = "webhook_tools")
@IdClass(WebhookToolEntity.Key.class)
public class WebhookToolEntity extends PanacheEntityBase {

    public record Key(String tenantId, String name) implements Serializable {
    }

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    public String name;

    @Column(nullable = false)
    public String description;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public JsonNode parameters;

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(nullable = false)
    public String url;

    @Column(name = "signing_secret", nullable = false)
    public String signingSecret;

    @Column(name = "timeout_ms", nullable = false)
    public int timeoutMs;

    @Column(nullable = false)
    public boolean idempotent;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "result_schema")
    public JsonNode resultSchema;

    @Column(nullable = false)
    public int version = 1;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    WebhookToolSpec spec() {
        return new WebhookToolSpec(tenantId, name, description, parameters, enabled, url, signingSecret, timeoutMs,
                idempotent, resultSchema, version);
    }
}
