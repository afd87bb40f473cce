package io.voicecoach.gateway.tenant;

import java.time.Instant;

/**
 * The outcome of checking a presented credential: the tenant and credential it names, or why it was refused.
 *
 * @param tenantId     the owning tenant; null when refused
 * @param kind         {@link #API_KEY} or {@link #CLIENT_SECRET}; null when refused
 * @param credentialId the key's or secret's id (never the secret itself); null when refused
 * @param expiresAt    when the credential stops working; null for a key without expiry
 * @param refusal      one of the {@code *_CREDENTIALS} codes, null when accepted
 * @param binding      what a client secret is bound to; null for an unbound secret, an API key or a refusal
 */
public record Verification(String tenantId, String kind, String credentialId, Instant expiresAt, String refusal,
                           CredentialBinding binding) {

    public static final String API_KEY = "api_key";
    public static final String CLIENT_SECRET = "client_secret";

    public static final String MISSING = "missing_credentials";
    public static final String INVALID = "invalid_credentials";
    public static final String EXPIRED = "expired_credentials";
    public static final String REVOKED = "revoked_credentials";
    public static final String TENANT_SUSPENDED = "tenant_suspended";

    public static Verification accepted(String tenantId, String kind, String credentialId, Instant expiresAt) {
        return new Verification(tenantId, kind, credentialId, expiresAt, null, null);
    }

    public static Verification acceptedSecret(String tenantId, String secretId, Instant expiresAt,
                                              CredentialBinding binding) {
        return new Verification(tenantId, CLIENT_SECRET, secretId, expiresAt, null, binding);
    }

    public static Verification refused(String code) {
        return new Verification(null, null, null, null, code, null);
    }

    public boolean isAccepted() {
        return refusal == null;
    }

    public boolean isApiKey() {
        return API_KEY.equals(kind);
    }
}
