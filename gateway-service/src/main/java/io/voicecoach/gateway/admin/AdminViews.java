package io.voicecoach.gateway.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.gateway.tenant.ApiKey;
import io.voicecoach.gateway.tenant.Tenant;

import java.time.Instant;

/** What the admin API answers. */
final class AdminViews {

    @RegisterForReflection
    record TenantView(String id, String name, String status, @JsonProperty("created_at") Instant createdAt) {
        static TenantView of(Tenant tenant) {
            return new TenantView(tenant.id, tenant.name, tenant.status, tenant.createdAt);
        }
    }

    /** A key without its secret; {@code status}: active, expiring (rotated, in its grace period), expired, revoked. */
    @RegisterForReflection
    record ApiKeyView(String id, @JsonProperty("tenant_id") String tenantId, String prefix, String status,
                      @JsonProperty("created_at") Instant createdAt, @JsonProperty("expires_at") Instant expiresAt,
                      @JsonProperty("revoked_at") Instant revokedAt) {
        static ApiKeyView of(ApiKey key) {
            var now = Instant.now();
            String status = key.revoked() ? "revoked" : key.expired(now) ? "expired"
                    : key.expiresAt != null ? "expiring" : "active";
            return new ApiKeyView(key.id, key.tenantId, key.keyPrefix, status, key.createdAt, key.expiresAt,
                    key.revokedAt);
        }
    }

    /** A new key: the only time its secret is shown. After a rotation, {@code replaced} is the old key's state. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreatedKey(String id, @JsonProperty("tenant_id") String tenantId, String key, String prefix,
                      @JsonProperty("created_at") Instant createdAt, ApiKeyView replaced) {
    }

    private AdminViews() {
    }
}
