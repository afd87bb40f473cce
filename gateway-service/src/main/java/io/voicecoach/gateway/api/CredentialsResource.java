package io.voicecoach.gateway.api;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.internal.VerifiedCredential;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.CredentialRefusals;
import io.voicecoach.gateway.tenant.Verification;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.security.BearerAuthenticationMechanism;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Set;

/**
 * Lets the other services authenticate their tenants' REST calls with the same API keys (client secrets are refused
 * here). The caller is another service: the platform's {@code internal} permission asks for the service credential
 * ({@code X-VoiceCoach-Service-Token}; a wrong one is 401 {@code invalid_service_credential}, which the platform reads
 * as its own misconfiguration); the tenant's key comes in {@code Authorization}. A refused key is 401
 * {@code invalid_credentials}, or {@code expired_credentials}, {@code revoked_credentials}, {@code tenant_suspended}.
 * Cached answers are served on the event loop, lookups on a worker thread.
 */
@Path("/internal/v1/credentials")
public class CredentialsResource {

    private static final Problem NOT_VERIFIED = new Problem("urn:voicecoach:problem:unauthorized", "Unauthorized", 401,
            "missing, unknown or revoked API key (Authorization: Bearer <key>)", "invalid_credentials", List.of());

    /** Refusals passed on as they are; a missing or unknown key, or a client secret, is {@link #NOT_VERIFIED}. */
    private static final Set<String> SAYS_WHY = Set.of(Verification.EXPIRED, Verification.REVOKED,
            Verification.TENANT_SUSPENDED);

    private final ApiKeys apiKeys;

    public CredentialsResource(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @POST
    @Path("/verify")
    public Uni<Response> verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return apiKeys.authenticateAsync(BearerAuthenticationMechanism.bearerToken(authorization))
                .map(CredentialsResource::answer);
    }

    private static Response answer(Verification verification) {
        if (verification.isAccepted()) {
            return verification.isApiKey()
                    ? Response.ok(new VerifiedCredential(verification.tenantId()), MediaType.APPLICATION_JSON_TYPE).build()
                    : NOT_VERIFIED.toResponse();
        }
        return SAYS_WHY.contains(verification.refusal())
                ? CredentialRefusals.problem(verification.refusal()).toResponse() : NOT_VERIFIED.toResponse();
    }
}
