package io.voicecoach.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.CredentialBinding;
import io.voicecoach.gateway.tenant.CredentialRefusals;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.problem.ProblemException;
import io.voicecoach.platform.security.BearerAuthenticationMechanism;
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
 * {@code {"expires_after": 600}}, and {@code "voicecoach": {"call_id", "role", "session_id"}} to bind the secret to
 * a leg of a call (both fields) and/or to an open session of the tenant; answer {@code {"value": "ek_...",
 * "expires_at": <epoch seconds>, "voicecoach": <the binding, when bound>}}. The caller is a tenant (HTTP permission
 * {@code client-secrets}); only an API key mints (403 {@code api_key_required} for a client secret).
 */
@Path("/v1/realtime/client_secrets")
public class ClientSecretsResource {

    private static final long MIN_SECONDS = 10;

    private final ApiKeys apiKeys;
    private final GatewayConfig config;
    private final SessionRegistry registry;
    private final SessionStore store;

    public ClientSecretsResource(ApiKeys apiKeys, GatewayConfig config, SessionRegistry registry, SessionStore store) {
        this.apiKeys = apiKeys;
        this.config = config;
        this.registry = registry;
        this.store = store;
    }

    @POST
    @RunOnVirtualThread
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response mint(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        // the security layer admitted a tenant's credential; which kind it is (and its id) is in the cached answer
        var caller = apiKeys.authenticate(BearerAuthenticationMechanism.bearerToken(authorization));
        if (!caller.isAccepted()) {
            throw new ProblemException(CredentialRefusals.problem(caller.refusal()));
        }
        if (!caller.isApiKey()) {
            return Problem.of(Response.Status.FORBIDDEN, "api_key_required",
                    "client secrets are minted with a tenant API key, not with another client secret").toResponse();
        }
        Duration ttl;
        CredentialBinding binding;
        try {
            var request = JsonBody.parse(body);
            ttl = ttl(request);
            binding = binding(request);
        } catch (IllegalArgumentException e) {
            return Problem.of(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage()).toResponse();
        }
        if (binding != null && binding.boundToSession() && !openInTenant(binding.sessionId(), caller.tenantId())) {
            return Problem.of(Response.Status.NOT_FOUND, "session_not_found",
                    "no open session " + binding.sessionId() + " of this tenant").toResponse();
        }
        var secret = apiKeys.mintClientSecret(caller, ttl, binding);
        return Response.ok(new ClientSecretCreated(secret.value(), secret.expiresAt().getEpochSecond(),
                secret.binding())).build();
    }

    /** {@code voicecoach.call_id} with {@code voicecoach.role}, and/or {@code voicecoach.session_id}; null: none. */
    private static CredentialBinding binding(JsonNode body) {
        var voicecoach = body == null ? null : body.get("voicecoach");
        if (voicecoach == null || voicecoach.isNull()) {
            return null;
        }
        if (!voicecoach.isObject()) {
            throw new IllegalArgumentException("voicecoach must be an object");
        }
        String callId = text(voicecoach, "call_id");
        String role = text(voicecoach, "role");
        String sessionId = text(voicecoach, "session_id");
        if ((callId == null) != (role == null)) {
            throw new IllegalArgumentException("voicecoach.call_id and voicecoach.role bind a secret together");
        }
        if (callId != null && callId.length() > VoiceCoachSettings.MAX_CALL_ID_LENGTH) {
            throw new IllegalArgumentException("voicecoach.call_id must be 1 to "
                    + VoiceCoachSettings.MAX_CALL_ID_LENGTH + " characters");
        }
        if (role != null && !VoiceCoachSettings.REP.equals(role) && !VoiceCoachSettings.CUSTOMER.equals(role)) {
            throw new IllegalArgumentException("voicecoach.role must be rep or customer");
        }
        return callId == null && sessionId == null ? null : new CredentialBinding(callId, role, sessionId);
    }

    private static String text(JsonNode object, String field) {
        var value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new IllegalArgumentException("voicecoach." + field + " must be a non-empty string");
        }
        return value.textValue();
    }

    /** Held here, or known from its snapshot (held elsewhere, or waiting for a resume). */
    private boolean openInTenant(String sessionId, String tenantId) {
        return registry.find(sessionId).filter(s -> s.tenantId().equals(tenantId)).isPresent()
                || store.find(sessionId).filter(s -> s.tenantId().equals(tenantId) && s.resumable()).isPresent();
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
