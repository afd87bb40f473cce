package io.voicecoach.platform.security;

import io.smallrye.mutiny.Uni;

import java.util.Optional;

/**
 * Which tenant a bearer token (API key or client secret) belongs to. The platform's bean asks the gateway
 * ({@link GatewayTenantCredentials}); the gateway, which owns the keys, provides its own bean and answers locally.
 */
public interface TenantCredentials {

    /**
     * @return the tenant, or empty when the credential is refused (unknown, revoked, expired); a bean that can tell
     *         why fails with {@link CredentialRefusal#of} instead, whose problem the 401 then carries
     * @throws CredentialsUnavailableException (as the Uni's failure) when nobody can tell right now
     */
    Uni<Optional<String>> tenantOf(String token);
}
