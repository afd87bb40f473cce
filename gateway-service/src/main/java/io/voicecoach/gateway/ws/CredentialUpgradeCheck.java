package io.voicecoach.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.voicecoach.gateway.api.Problem;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.BearerToken;
import io.voicecoach.gateway.tenant.Verification;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.Executor;

/**
 * Authenticates the Realtime WebSocket upgrade and hands the tenant to the connection ({@link #TENANT_ID} in its user
 * data). The credential (a tenant API key or a client secret) comes from, in this order: {@code Authorization: Bearer},
 * the subprotocol {@code openai-insecure-api-key.<token>} (browsers cannot set headers), or the query parameter
 * {@code client_secret}. Refusals are 401 with a problem+json body whose {@code code} says why.
 */
@ApplicationScoped
public class CredentialUpgradeCheck implements HttpUpgradeCheck {

    public static final UserData.TypedKey<String> TENANT_ID = UserData.TypedKey.forString("voicecoach.tenant-id");
    public static final String KEY_SUBPROTOCOL_PREFIX = "openai-insecure-api-key.";
    public static final String CLIENT_SECRET_PARAM = "client_secret";
    private static final String SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    private final ApiKeys apiKeys;
    private final ObjectMapper json;

    public CredentialUpgradeCheck(ApiKeys apiKeys, ObjectMapper json) {
        this.apiKeys = apiKeys;
        this.json = json;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return RealtimeEndpoint.ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext upgrade) {
        var request = upgrade.httpRequest();
        return apiKeys.authenticateAsync(credential(request))
                .emitOn(onContextOf(Vertx.currentContext()))
                .chain(verification -> {
                    if (!verification.isAccepted()) {
                        return refuse(request, Problem.refusedCredential(verification.refusal()));
                    }
                    upgrade.userData().put(TENANT_ID, verification.tenantId());
                    return CheckResult.permitUpgrade();
                });
    }

    /** The presented token, null when there is none. */
    static String credential(HttpServerRequest request) {
        String bearer = BearerToken.from(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (bearer != null) {
            return bearer;
        }
        for (String header : request.headers().getAll(SUBPROTOCOL_HEADER)) {
            for (String protocol : header.split(",")) {
                String offered = protocol.trim();
                if (offered.startsWith(KEY_SUBPROTOCOL_PREFIX) && offered.length() > KEY_SUBPROTOCOL_PREFIX.length()) {
                    return offered.substring(KEY_SUBPROTOCOL_PREFIX.length());
                }
            }
        }
        String query = request.getParam(CLIENT_SECRET_PARAM);
        return query == null || query.isBlank() ? null : query;
    }

    /**
     * {@link CheckResult#rejectUpgrade} cannot carry a body, so the refusal is written here and the check never
     * completes: the request is answered and nothing else may touch its response.
     */
    Uni<CheckResult> refuse(HttpServerRequest request, Problem problem) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a problem", e);
        }
        var response = request.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(body);
        return Uni.createFrom().nothing();
    }

    /** The upgrade continues on the request's event loop once the (possibly blocking) lookup is done. */
    private static Executor onContextOf(Context context) {
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }
}
