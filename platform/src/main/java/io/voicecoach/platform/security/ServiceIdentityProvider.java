package io.voicecoach.platform.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.voicecoach.platform.problem.AuthFailures;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Another service's credential, checked locally against {@link ServiceCredentials}: role {@value Roles#SERVICE}; a wrong
 * one is 401 {@code invalid_service_credential}.
 */
@ApplicationScoped
public class ServiceIdentityProvider implements IdentityProvider<CredentialRequest.Service> {

    private static final SecurityIdentity SERVICE = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("service")).addRole(Roles.SERVICE).build();

    private final ServiceCredentials credentials;

    public ServiceIdentityProvider(ServiceCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Class<CredentialRequest.Service> getRequestType() {
        return CredentialRequest.Service.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CredentialRequest.Service request, AuthenticationRequestContext context) {
        return credentials.acceptsService(request.token()) ? Uni.createFrom().item(SERVICE)
                : Uni.createFrom().failure(CredentialRefusal.of(AuthFailures.serviceRefused()));
    }
}
