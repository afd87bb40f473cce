package io.voicecoach.gateway.tenant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Tenants and their API keys in the {@code gateway} schema. Blocking (JDBC): call it from a worker thread. */
@ApplicationScoped
public class TenantDirectory {

    private final TenantRepository tenants;
    private final ApiKeyRepository keys;

    public TenantDirectory(TenantRepository tenants, ApiKeyRepository keys) {
        this.tenants = tenants;
        this.keys = keys;
    }

    @Transactional
    public void ensureTenant(String tenantId, String name) {
        tenants.insertIfAbsent(tenantId, name);
    }

    /**
     * Stores a key hash for the tenant unless it exists; returns the stored row.
     *
     * @throws IllegalStateException when the hash already belongs to another tenant
     */
    @Transactional
    public ApiKey ensureKey(String tenantId, String keyHash, String keyPrefix) {
        keys.insertIfAbsent("key_" + UUID.randomUUID().toString().replace("-", ""), tenantId, keyHash, keyPrefix);
        var key = keys.findByHash(keyHash).orElseThrow();
        if (!key.tenantId.equals(tenantId)) {
            throw new IllegalStateException("API key " + keyPrefix + "... belongs to another tenant");
        }
        return key;
    }

    /** The tenant of a key that is not revoked and whose tenant is active. */
    @Transactional
    public Optional<String> activeTenantOf(String keyHash) {
        return keys.findByHash(keyHash)
                .filter(key -> !key.revoked())
                .flatMap(key -> tenants.findByIdOptional(key.tenantId))
                .filter(Tenant::active)
                .map(tenant -> tenant.id);
    }

    @Transactional
    public boolean revoke(String keyHash) {
        return keys.update("revokedAt = ?1 where keyHash = ?2 and revokedAt is null", Instant.now(), keyHash) > 0;
    }
}
