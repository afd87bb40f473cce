package io.voicecoach.coaching.auth;

import io.voicecoach.coaching.api.Problem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /api/} request needs {@code Authorization: Bearer <tenant API key>}; the key's tenant scopes
 * everything the request can see. Runs on the worker thread of the (blocking) endpoint.
 */
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    private static final String BEARER = "Bearer ";

    private final ApiKeyVerifier verifier;
    private final CallerTenant caller;

    public ApiKeyFilter(ApiKeyVerifier verifier, CallerTenant caller) {
        this.verifier = verifier;
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return null;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            return unauthorized("missing API key: send Authorization: Bearer <tenant API key>");
        }
        try {
            var tenant = verifier.tenantFor(authorization);
            if (tenant.isEmpty()) {
                return unauthorized("invalid API key");
            }
            caller.authenticated(tenant.get());
            return null;
        } catch (GatewayUnavailableException e) {
            LOG.warnf("cannot verify API key: %s", e.getMessage());
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "cannot verify the API key right now");
        }
    }

    private static Response unauthorized(String detail) {
        return Problem.builder(Response.Status.UNAUTHORIZED, detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }
}
