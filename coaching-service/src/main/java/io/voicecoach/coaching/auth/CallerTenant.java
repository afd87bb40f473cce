package io.voicecoach.coaching.auth;

import jakarta.enterprise.context.RequestScoped;

/** The tenant whose API key authenticated the current request; set by {@link ApiKeyFilter}. */
@RequestScoped
public class CallerTenant {

    private String tenantId;

    void authenticated(String tenantId) {
        this.tenantId = tenantId;
    }

    public String id() {
        if (tenantId == null) {
            throw new IllegalStateException("no authenticated tenant on this request");
        }
        return tenantId;
    }
}
