package io.voicecoach.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.BearerToken;
import io.voicecoach.gateway.tenant.Verification;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;

/**
 * {@code POST /v1/realtime/client_secrets} (OpenAI's shape): a tenant's backend trades its API key for a short-lived
 * secret a browser may hold. Body (optional): {@code {"expires_after": {"anchor": "created_at", "seconds": 600}}} or
 * {@code {"expires_after": 600}}; answer {@code {"value": "ek_...", "expires_at": <epoch seconds>}}.
 */
@Path("/v1/realtime/client_secrets")
public class ClientSecretsResource {

    private static final long MIN_SECONDS = 10;

    private final ApiKeys apiKeys;
    private final GatewayConfig config;

    public ClientSecretsResource(ApiKeys apiKeys, GatewayConfig config) {
        this.apiKeys = apiKeys;
        this.config = config;
    }

    @POST
    @RunOnVirtualThread
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response mint(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        var caller = apiKeys.authenticate(BearerToken.from(authorization));
        if (!caller.isAccepted()) {
            return Problem.refusedCredential(caller.refusal()).toResponse();
        }
        if (!caller.isApiKey()) {
            return Problem.of(403, "Forbidden", "api_key_required",
                    "client secrets are minted with a tenant API key, not with another client secret").toResponse();
        }
        Duration ttl;
        try {
            ttl = ttl(JsonBody.parse(body));
        } catch (IllegalArgumentException e) {
            return Problem.of(400, "Bad Request", "invalid_request", e.getMessage()).toResponse();
        }
        var secret = apiKeys.mintClientSecret(caller, ttl);
        return Response.ok(new ClientSecretCreated(secret.value(), secret.expiresAt().getEpochSecond())).build();
    }

    /** The requested lifetime, capped at {@code client-secret-max-ttl}; the default when none is asked for. */
    private Duration ttl(JsonNode body) {
        var requested = body == null || body.isNull() ? null : body.get("expires_after");
        if (body != null && !body.isNull() && !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        if (requested == null || requested.isNull()) {
            return config.clientSecretTtl();
        }
        var seconds = requested.isObject() ? requested.get("seconds") : requested;
        if (requested.isObject() && requested.has("anchor") && !"created_at".equals(requested.path("anchor").asText())) {
            throw new IllegalArgumentException("expires_after.anchor must be created_at");
        }
        if (seconds == null || !seconds.isIntegralNumber() || seconds.longValue() < MIN_SECONDS) {
            throw new IllegalArgumentException("expires_after.seconds must be an integer of at least " + MIN_SECONDS);
        }
        var asked = Duration.ofSeconds(seconds.longValue());
        return asked.compareTo(config.clientSecretMaxTtl()) > 0 ? config.clientSecretMaxTtl() : asked;
    }
}
