package io.voicecoach.platform.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/** The tenant of the current request's caller (role {@value Roles#TENANT}): it scopes everything the request sees. */
@RequestScoped
public class CallerTenant {

    private final SecurityIdentity identity;

    public CallerTenant(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String id() {
        String tenant = identity.getAttribute(Roles.TENANT_ATTRIBUTE);
        if (tenant == null) {
            throw new IllegalStateException("the caller of this request is no tenant");
        }
        return tenant;
    }
}
