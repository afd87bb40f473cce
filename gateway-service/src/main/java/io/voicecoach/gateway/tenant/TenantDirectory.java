package io.voicecoach.gateway.tenant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Tenants and their API keys in the {@code gateway} schema. Blocking (JDBC): call it from a worker thread. */
@ApplicationScoped
public class TenantDirectory {

    private final TenantRepository tenants;
    private final ApiKeyRepository keys;
    private final ClientSecretRepository secrets;

    public TenantDirectory(TenantRepository tenants, ApiKeyRepository keys, ClientSecretRepository secrets) {
        this.tenants = tenants;
        this.keys = keys;
        this.secrets = secrets;
    }

    /** What a credential hash (an API key's or a client secret's) stands for, now. */
    @Transactional
    public Verification check(String hash) {
        var now = Instant.now();
        var key = keys.findByHash(hash);
        if (key.isPresent()) {
            var apiKey = key.get();
            if (apiKey.revoked()) {
                return Verification.refused(Verification.REVOKED);
            }
            if (apiKey.expired(now)) {
                return Verification.refused(Verification.EXPIRED);
            }
            return ofActiveTenant(apiKey.tenantId,
                    Verification.accepted(apiKey.tenantId, Verification.API_KEY, apiKey.id, apiKey.expiresAt));
        }
        var secret = secrets.findByHash(hash).orElse(null);
        if (secret == null) {
            return Verification.refused(Verification.INVALID);
        }
        if (!secret.expiresAt.isAfter(now)) {
            return Verification.refused(Verification.EXPIRED);
        }
        var mintedBy = keys.findByIdOptional(secret.apiKeyId).orElse(null);
        if (mintedBy == null || mintedBy.revoked()) {
            return Verification.refused(Verification.REVOKED);
        }
        return ofActiveTenant(secret.tenantId,
                Verification.acceptedSecret(secret.tenantId, secret.id, secret.expiresAt, secret.binding()));
    }

    /**
     * Of the credential hashes given (API keys' and client secrets'), those whose open connections must close now,
     * each with {@link Verification#REVOKED} (the key, or the key that minted the secret, was revoked or deleted) or
     * {@link Verification#TENANT_SUSPENDED}; one query whatever their number. Expiry closes nothing, and an unknown
     * hash (a secret purged after its retention) is left alone.
     */
    @Transactional
    public Map<String, String> closingRefusals(Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = keys.getEntityManager().createNativeQuery("""
                        select k.key_hash, k.revoked_at is not null, t.status
                        from api_keys k join tenants t on t.id = k.tenant_id
                        where k.key_hash = any(cast(?1 as char(64)[]))
                        union all
                        select s.secret_hash, m.id is null or m.revoked_at is not null, t.status
                        from client_secrets s join tenants t on t.id = s.tenant_id
                        left join api_keys m on m.id = s.api_key_id
                        where s.secret_hash = any(cast(?1 as char(64)[]))""")
                .setParameter(1, hashes.toArray(String[]::new))
                .getResultList();
        var refusals = new HashMap<String, String>();
        for (var row : rows) {
            if (Boolean.TRUE.equals(row[1])) {
                refusals.put(((String) row[0]).trim(), Verification.REVOKED);
            } else if (!Tenant.ACTIVE.equals(row[2])) {
                refusals.put(((String) row[0]).trim(), Verification.TENANT_SUSPENDED);
            }
        }
        return refusals;
    }

    private Verification ofActiveTenant(String tenantId, Verification accepted) {
        return tenants.findByIdOptional(tenantId).filter(Tenant::active).isPresent() ? accepted
                : Verification.refused(Verification.TENANT_SUSPENDED);
    }

    /** Stores a client secret's hash (and binding, may be null) for the tenant of {@code apiKeyId}; returns its id. */
    @Transactional
    public String storeClientSecret(String tenantId, String apiKeyId, String secretHash, Instant expiresAt,
                                    CredentialBinding binding) {
        var secret = new ClientSecret();
        secret.id = "cs_" + UUID.randomUUID().toString().replace("-", "");
        secret.tenantId = tenantId;
        secret.apiKeyId = apiKeyId;
        secret.secretHash = secretHash;
        secret.createdAt = Instant.now();
        secret.expiresAt = expiresAt;
        if (binding != null) {
            secret.callId = binding.callId();
            secret.role = binding.role();
            secret.sessionId = binding.sessionId();
        }
        secrets.persist(secret);
        return secret.id;
    }

    /** Deletes client secrets that expired more than {@code retention} ago. */
    @Transactional
    public long forgetExpiredClientSecrets(java.time.Duration retention) {
        return secrets.deleteExpired(Instant.now().minus(retention));
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


    @Transactional
    public boolean revoke(String keyHash) {
        return keys.update("revokedAt = ?1 where keyHash = ?2 and revokedAt is null", Instant.now(), keyHash) > 0;
    }

    /** Creates a tenant; false when the id is taken. */
    @Transactional
    public boolean createTenant(String tenantId, String name) {
        if (tenants.findByIdOptional(tenantId).isPresent()) {
            return false;
        }
        tenants.insertIfAbsent(tenantId, name);
        return true;
    }

    @Transactional
    public java.util.List<Tenant> tenants() {
        return tenants.listAll(io.quarkus.panache.common.Sort.by("createdAt").and("id"));
    }

    @Transactional
    public Optional<Tenant> tenant(String tenantId) {
        return tenants.findByIdOptional(tenantId);
    }

    /** Sets a tenant's status; empty when there is no such tenant. */
    @Transactional
    public Optional<Tenant> setStatus(String tenantId, String status) {
        var tenant = tenants.findByIdOptional(tenantId);
        tenant.ifPresent(t -> t.status = status);
        return tenant;
    }

    /** Stores a new key's hash for an existing tenant and returns the row. */
    @Transactional
    public ApiKey createKey(String tenantId, String keyHash, String keyPrefix) {
        var key = new ApiKey();
        key.id = "key_" + UUID.randomUUID().toString().replace("-", "");
        key.tenantId = tenantId;
        key.keyHash = keyHash;
        key.keyPrefix = keyPrefix;
        key.createdAt = Instant.now();
        keys.persist(key);
        return key;
    }

    @Transactional
    public java.util.List<ApiKey> keysOf(String tenantId) {
        return keys.list("tenantId = ?1 order by createdAt, id", tenantId);
    }

    /** The key with this id if it belongs to this tenant. */
    @Transactional
    public Optional<ApiKey> keyOf(String tenantId, String keyId) {
        return keys.findByIdOptional(keyId).filter(key -> key.tenantId.equals(tenantId));
    }

    /**
     * Ends a key of the tenant: at {@code until} (a rotation's grace period) or now when {@code until} is null or
     * not in the future (revoked). Returns the updated key, empty when the tenant has no such key.
     */
    @Transactional
    public Optional<ApiKey> retireKey(String tenantId, String keyId, Instant until) {
        var key = keys.findByIdOptional(keyId).filter(k -> k.tenantId.equals(tenantId));
        key.ifPresent(k -> {
            var now = Instant.now();
            if (until == null || !until.isAfter(now)) {
                if (k.revokedAt == null) {
                    k.revokedAt = now;
                }
            } else if (k.revokedAt == null && (k.expiresAt == null || k.expiresAt.isAfter(until))) {
                k.expiresAt = until;
            }
        });
        return key;
    }
}
