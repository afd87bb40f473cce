package io.voicecoach.gateway.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.problem.ProblemException;
import io.voicecoach.platform.security.AuthConfig;
import io.voicecoach.platform.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * The HTTP policy {@value #NAME} of {@code /admin/*}: the operator (role {@value Roles#OPERATOR}, the operator token as
 * {@code Authorization: Bearer}). Without a configured token the admin API does not exist (404
 * {@code admin_disabled}); any other caller, a tenant's key included, is 401 {@code invalid_operator_token}.
 */
@ApplicationScoped
public class OperatorPolicy implements HttpSecurityPolicy {

    public static final String NAME = "operator-api";

    private static final Problem DISABLED = Problem.of(Response.Status.NOT_FOUND, "admin_disabled",
            "the admin API is disabled: set voicecoach.admin.token");
    private static final Problem NOT_OPERATOR = Problem.of(Response.Status.UNAUTHORIZED, "invalid_operator_token",
            "the admin API needs Authorization: Bearer <operator token>");

    private final AuthConfig config;

    public OperatorPolicy(AuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext context) {
        if (config.operatorToken().filter(token -> !token.isBlank()).isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(DISABLED));
        }
        // a refused tenant credential is no operator either: the same 401
        return identity.onFailure().recoverWithNull().map(caller -> {
            if (caller == null || !caller.hasRole(Roles.OPERATOR)) {
                throw new ProblemException(NOT_OPERATOR);
            }
            return CheckResult.PERMIT;
        });
    }

    @Override
    public String name() {
        return NAME;
    }
}
