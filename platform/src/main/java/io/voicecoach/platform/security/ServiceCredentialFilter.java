package io.voicecoach.platform.security;

import jakarta.inject.Singleton;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/**
 * Adds this service's credential to a REST client's calls: {@code @RegisterProvider(ServiceCredentialFilter.class)}
 * on every client of another service's {@code /internal/v1/*}.
 */
@Singleton
public class ServiceCredentialFilter implements ClientRequestFilter {

    private final ServiceCredentials credentials;

    public ServiceCredentialFilter(ServiceCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void filter(ClientRequestContext request) {
        credentials.outgoing().ifPresent(token -> request.getHeaders().putSingle(ServiceCredentials.HEADER, token));
    }
}
