package io.voicecoach.tools.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which tools each tenant has switched off ({@code tenant_tools}); every tool is enabled until its tenant disables it.
 */
@ApplicationScoped
public class TenantTools {

    private final EntityManager entityManager;

    public TenantTools(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean enabled(String tenantId, String tool) {
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT enabled FROM tenant_tools WHERE tenant_id = :tenant AND tool = :tool")
                .setParameter("tenant", tenantId).setParameter("tool", tool).getResultList();
        return rows.isEmpty() || Boolean.TRUE.equals(rows.getFirst());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Set<String> disabled(String tenantId) {
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT tool FROM tenant_tools WHERE tenant_id = :tenant AND NOT enabled")
                .setParameter("tenant", tenantId).getResultList();
        var names = new HashSet<String>();
        rows.forEach(r -> names.add((String) r));
        return names;
    }

    @Transactional
    public void set(String tenantId, String tool, boolean enabled) {
        entityManager.createNativeQuery("""
                        INSERT INTO tenant_tools (tenant_id, tool, enabled) VALUES (:tenant, :tool, :enabled)
                        ON CONFLICT (tenant_id, tool) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()
                        """)
                .setParameter("tenant", tenantId).setParameter("tool", tool).setParameter("enabled", enabled)
                .executeUpdate();
    }
}
