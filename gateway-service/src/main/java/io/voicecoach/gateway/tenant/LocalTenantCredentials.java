package io.voicecoach.gateway.tenant;

import io.smallrye.mutiny.Uni;
import io.voicecoach.platform.security.CredentialRefusal;
import io.voicecoach.platform.security.TenantCredentials;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The gateway owns the keys: its HTTP API verifies API keys and client secrets against its own store
 * ({@link ApiKeys}), so a revocation through this instance counts at once, through another within
 * {@code voicecoach.gateway.api-key-cache-ttl}. A refusal says why ({@code expired_credentials},
 * {@code revoked_credentials}, {@code tenant_suspended}, ...). Replaces the platform's default, which asks the gateway.
 */
@ApplicationScoped
public class LocalTenantCredentials implements TenantCredentials {

    private final ApiKeys apiKeys;

    public LocalTenantCredentials(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public Uni<Optional<String>> tenantOf(String token) {
        return apiKeys.authenticateAsync(token).map(verification -> {
            if (!verification.isAccepted()) {
                throw CredentialRefusal.of(CredentialRefusals.problem(verification.refusal()));
            }
            return Optional.of(verification.tenantId());
        });
    }
}
