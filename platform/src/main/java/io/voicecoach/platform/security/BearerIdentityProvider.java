package io.voicecoach.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A bearer token: the operator token (role {@value Roles#OPERATOR}), else a tenant credential as
 * {@link TenantCredentials} says (role {@value Roles#TENANT}, the tenant id in {@value Roles#TENANT_ATTRIBUTE} and as
 * the principal's name).
 */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<CredentialRequest.Bearer> {

    private static final SecurityIdentity OPERATOR = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("operator")).addRole(Roles.OPERATOR).build();

    private final ServiceCredentials credentials;
    private final TenantCredentials tenants;

    public BearerIdentityProvider(ServiceCredentials credentials, TenantCredentials tenants) {
        this.credentials = credentials;
        this.tenants = tenants;
    }

    @Override
    public Class<CredentialRequest.Bearer> getRequestType() {
        return CredentialRequest.Bearer.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CredentialRequest.Bearer request, AuthenticationRequestContext context) {
        if (credentials.isOperator(request.token())) {
            return Uni.createFrom().item(OPERATOR);
        }
        return tenants.tenantOf(request.token()).map(tenant -> tenant.map(BearerIdentityProvider::tenant)
                .orElseThrow(() -> new AuthenticationFailedException("invalid API key")));
    }

    static SecurityIdentity tenant(String tenantId) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(tenantId)).addRole(Roles.TENANT)
                .addAttribute(Roles.TENANT_ATTRIBUTE, tenantId).build();
    }
}
