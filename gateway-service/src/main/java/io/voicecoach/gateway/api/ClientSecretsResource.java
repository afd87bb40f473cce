package io.voicecoach.gateway.api;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.CredentialRefusals;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.problem.ProblemException;
import io.voicecoach.platform.security.BearerAuthenticationMechanism;
import jakarta.validation.Valid;
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
 * {@code client-secrets}); only an API key mints (403 {@code api_key_required} for a client secret). The body is a
 * {@link ClientSecretRequest}, validated before this runs (400 {@code invalid_request}, {@code errors[{path, message}]}).
 */
@Path("/v1/realtime/client_secrets")
public class ClientSecretsResource {

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
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response mint(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @Valid ClientSecretRequest body) {
        // the security layer admitted a tenant's credential; which kind it is (and its id) is in the cached answer
        var caller = apiKeys.authenticate(BearerAuthenticationMechanism.bearerToken(authorization));
        if (!caller.isAccepted()) {
            throw new ProblemException(CredentialRefusals.problem(caller.refusal()));
        }
        if (!caller.isApiKey()) {
            return Problem.of(Response.Status.FORBIDDEN, "api_key_required",
                    "client secrets are minted with a tenant API key, not with another client secret").toResponse();
        }
        var binding = body == null || body.voicecoach() == null ? null : body.voicecoach().binding();
        if (binding != null && binding.boundToSession() && !openInTenant(binding.sessionId(), caller.tenantId())) {
            return Problem.of(Response.Status.NOT_FOUND, "session_not_found",
                    "no open session " + binding.sessionId() + " of this tenant").toResponse();
        }
        var secret = apiKeys.mintClientSecret(caller, ttl(body), binding);
        return Response.ok(new ClientSecretCreated(secret.value(), secret.expiresAt().getEpochSecond(),
                secret.binding())).build();
    }

    /** Held here, or known from its snapshot (held elsewhere, or waiting for a resume). */
    private boolean openInTenant(String sessionId, String tenantId) {
        return registry.find(sessionId).filter(s -> s.tenantId().equals(tenantId)).isPresent()
                || store.find(sessionId).filter(s -> s.tenantId().equals(tenantId) && s.resumable()).isPresent();
    }

    /** The requested lifetime, capped at {@code client-secret-max-ttl}; the default when none is asked for. */
    private Duration ttl(ClientSecretRequest body) {
        if (body == null || body.expiresAfter() == null) {
            return config.clientSecretTtl();
        }
        var asked = Duration.ofSeconds(body.expiresAfter().seconds());
        return asked.compareTo(config.clientSecretMaxTtl()) > 0 ? config.clientSecretMaxTtl() : asked;
    }
}
