package io.voicecoach.gateway.api;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.internal.VerifiedCredential;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.security.BearerAuthenticationMechanism;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * Lets the other services authenticate their tenants' REST calls with the same API keys (client secrets are refused
 * here). The caller is another service: the platform's {@code internal} permission asks for the service credential
 * ({@code X-VoiceCoach-Service-Token}); the tenant's key comes in {@code Authorization}. Cached answers are served on
 * the event loop, lookups on a worker thread.
 */
@Path("/internal/v1/credentials")
public class CredentialsResource {

    private static final Problem NOT_VERIFIED = new Problem("urn:voicecoach:problem:unauthorized", "Unauthorized", 401,
            "missing, unknown or revoked API key (Authorization: Bearer <key>)", "invalid_credentials", List.of());

    private final ApiKeys apiKeys;

    public CredentialsResource(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @POST
    @Path("/verify")
    public Uni<Response> verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return apiKeys.verifyAsync(BearerAuthenticationMechanism.bearerToken(authorization)).map(tenantId -> tenantId
                .map(id -> Response.ok(new VerifiedCredential(id), MediaType.APPLICATION_JSON_TYPE).build())
                .orElseGet(NOT_VERIFIED::toResponse));
    }
}
