package io.voicecoach.gateway.api;

import io.smallrye.mutiny.Uni;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.BearerToken;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Lets the other services authenticate their tenants' REST calls with the same API keys. Cluster-internal: do not
 * route it from the public ingress. Cached answers are served on the event loop, lookups on a worker thread.
 */
@Path("/internal/v1/credentials")
public class CredentialsResource {

    private final ApiKeys apiKeys;

    public CredentialsResource(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @POST
    @Path("/verify")
    public Uni<Response> verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return apiKeys.verifyAsync(BearerToken.from(authorization)).map(tenantId -> tenantId
                .map(id -> Response.ok(new VerifiedCredentials(id), MediaType.APPLICATION_JSON_TYPE))
                .orElseGet(() -> Response.status(Response.Status.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                        .type(Problem.MEDIA_TYPE)
                        .entity(Problem.unauthorized(Problem.INVALID_API_KEY)))
                .build());
    }
}
