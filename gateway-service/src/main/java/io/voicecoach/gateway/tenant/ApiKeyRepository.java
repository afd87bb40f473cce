package io.voicecoach.gateway.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    public Optional<ApiKey> findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResultOptional();
    }

    /** Idempotent and safe when several instances bootstrap at once. */
    public void insertIfAbsent(String id, String tenantId, String keyHash, String keyPrefix) {
        getEntityManager().createNativeQuery("""
                        insert into api_keys (id, tenant_id, key_hash, key_prefix) values (?1, ?2, ?3, ?4)
                        on conflict (key_hash) do nothing""")
                .setParameter(1, id)
                .setParameter(2, tenantId)
                .setParameter(3, keyHash)
                .setParameter(4, keyPrefix)
                .executeUpdate();
    }
}
