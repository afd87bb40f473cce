package io.voicecoach.platform.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** What {@link BearerAuthenticationMechanism} found on a request, for the identity providers. */
public sealed abstract class CredentialRequest extends BaseAuthenticationRequest {

    private final String token;

    private CredentialRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** {@code Authorization: Bearer <token>}: a tenant's API key or client secret, or the operator token. */
    public static final class Bearer extends CredentialRequest {
        public Bearer(String token) {
            super(token);
        }
    }

    /** {@value ServiceCredentials#HEADER}: another service. */
    public static final class Service extends CredentialRequest {
        public Service(String token) {
            super(token);
        }
    }
}
