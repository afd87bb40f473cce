package io.voicecoach.gateway.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.gateway.tenant.Tenant;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** The bodies the admin API reads. */
final class AdminRequests {

    static final String TENANT_ID = "[a-z0-9][a-z0-9_-]{1,62}";
    static final int MAX_NAME = 200;

    /** {@code POST /admin/v1/tenants}: the id defaults to a generated one. */
    @RegisterForReflection
    record NewTenant(@Pattern(regexp = TENANT_ID, message = "must match " + TENANT_ID) String id,
                     @NotBlank(message = "is required, 1 to " + MAX_NAME + " characters")
                     @Size(max = MAX_NAME, message = "is required, 1 to " + MAX_NAME + " characters") String name) {
    }

    /** {@code PATCH /admin/v1/tenants/{id}}. */
    @RegisterForReflection
    record TenantStatus(@NotNull(message = STATUS) @Pattern(regexp = Tenant.ACTIVE + "|" + Tenant.SUSPENDED,
            message = STATUS) String status) {
        private static final String STATUS = "must be " + Tenant.ACTIVE + " or " + Tenant.SUSPENDED;
    }

    /** {@code POST .../api-keys/{keyId}/rotate}: no grace given, the configured one. */
    @RegisterForReflection
    record Rotation(@JsonProperty("grace_seconds") @PositiveOrZero(message = "must be a non-negative integer")
                    Long graceSeconds) {
    }

    private AdminRequests() {
    }
}
