package io.voicecoach.gateway.admin;

import io.voicecoach.gateway.api.Problem;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.BearerToken;
import io.voicecoach.gateway.tenant.Secrets;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Optional;

/**
 * Guards {@code /admin/}: the operator token must be presented as {@code Authorization: Bearer}; both sides are hashed
 * and compared in constant time. Without a configured token the admin API does not exist (404).
 */
@Singleton
public class OperatorCheck {

    static final String ADMIN_PATH = "/admin/";
    private static final String HASHED = "sha256:";

    /** Request filters are created during static init, before runtime configuration: read it on first use. */
    private final Provider<AdminConfig> config;
    private volatile Optional<String> expectedHash;

    public OperatorCheck(Provider<AdminConfig> config) {
        this.config = config;
    }

    private String expectedHash() {
        var hash = expectedHash;
        if (hash == null) {
            hash = config.get().token().filter(token -> !token.isBlank()).map(OperatorCheck::hashOf);
            expectedHash = hash;
        }
        return hash.orElse(null);
    }

    private static String hashOf(String configured) {
        return configured.startsWith(HASHED) ? configured.substring(HASHED.length()).toLowerCase(Locale.ROOT)
                : ApiKeys.hash(configured);
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(ADMIN_PATH)) {
            return Optional.empty();
        }
        String expectedHash = expectedHash();
        if (expectedHash == null) {
            return Optional.of(Problem.of(404, "Not Found", "admin_disabled",
                    "the admin API is disabled: set voicecoach.admin.token").toResponse());
        }
        String presented = BearerToken.from(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (presented == null || !Secrets.sameSecret(presented, expectedHash)) {
            return Optional.of(Problem.of(401, "Unauthorized", "invalid_operator_token",
                    "the admin API needs Authorization: Bearer <operator token>").toResponse());
        }
        return Optional.empty();
    }
}
