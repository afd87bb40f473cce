package io.voicecoach.tools.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code webhook_tools} table; every query is keyed by tenant. */
@ApplicationScoped
public class WebhookToolStore implements PanacheRepositoryBase<WebhookToolEntity, WebhookToolEntity.Key> {

    /** What a webhook tool is, as the tenant sends it (already checked). */
    public record Definition(String description, JsonNode parameters, boolean enabled, String url, int timeoutMs,
                             boolean idempotent, JsonNode resultSchema) {

        public Definition withEnabled(boolean enabled) {
            return new Definition(description, parameters, enabled, url, timeoutMs, idempotent, resultSchema);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<WebhookToolSpec> find(String tenantId, String name) {
        return entity(tenantId, name).map(WebhookToolEntity::spec);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<WebhookToolSpec> all(String tenantId) {
        return list("tenantId = ?1 order by name", tenantId).stream().map(WebhookToolEntity::spec).toList();
    }

    /**
     * Adds a tool with a fresh signing secret.
     *
     * @return the stored tool, or empty if the tenant already has one of that name
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<WebhookToolSpec> create(String tenantId, String name, Definition definition) {
        int inserted = getEntityManager().createNativeQuery("""
                        INSERT INTO webhook_tools (tenant_id, name, description, parameters, enabled, url, signing_secret,
                                                   timeout_ms, idempotent, result_schema)
                        VALUES (:tenant, :name, :description, CAST(:parameters AS jsonb), :enabled, :url, :secret,
                                :timeout, :idempotent, CAST(:resultSchema AS jsonb))
                        ON CONFLICT (tenant_id, name) DO NOTHING
                        """)
                .setParameter("tenant", tenantId)
                .setParameter("name", name)
                .setParameter("description", definition.description())
                .setParameter("parameters", definition.parameters().toString())
                .setParameter("enabled", definition.enabled())
                .setParameter("url", definition.url())
                .setParameter("secret", WebhookSignature.newSecret())
                .setParameter("timeout", definition.timeoutMs())
                .setParameter("idempotent", definition.idempotent())
                .setParameter("resultSchema", definition.resultSchema() == null ? null : definition.resultSchema().toString())
                .executeUpdate();
        return inserted == 1 ? find(tenantId, name) : Optional.empty();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<WebhookToolSpec> update(String tenantId, String name, Definition definition) {
        return entity(tenantId, name).map(tool -> {
            tool.description = definition.description();
            tool.parameters = definition.parameters();
            tool.enabled = definition.enabled();
            tool.url = definition.url();
            tool.timeoutMs = definition.timeoutMs();
            tool.idempotent = definition.idempotent();
            tool.resultSchema = definition.resultSchema();
            return changed(tool);
        });
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> rotateSecret(String tenantId, String name) {
        return entity(tenantId, name).map(tool -> {
            tool.signingSecret = WebhookSignature.newSecret();
            return changed(tool).signingSecret();
        });
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean remove(String tenantId, String name) {
        return deleteById(new WebhookToolEntity.Key(tenantId, name));
    }

    private Optional<WebhookToolEntity> entity(String tenantId, String name) {
        return findByIdOptional(new WebhookToolEntity.Key(tenantId, name));
    }

    private static WebhookToolSpec changed(WebhookToolEntity tool) {
        tool.version++;
        tool.updatedAt = Instant.now();
        return tool.spec();
    }
}
