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
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.Executor;

/**
 * Authenticates the Realtime WebSocket upgrade with {@code Authorization: Bearer <API key>} and hands the tenant to
 * the connection ({@link #TENANT_ID} in its user data). Refusals are 401 with a problem+json body.
 */
@ApplicationScoped
public class ApiKeyUpgradeCheck implements HttpUpgradeCheck {

    public static final UserData.TypedKey<String> TENANT_ID = UserData.TypedKey.forString("voicecoach.tenant-id");

    private final ApiKeys apiKeys;
    private final String refusalBody;

    public ApiKeyUpgradeCheck(ApiKeys apiKeys, ObjectMapper json) throws JsonProcessingException {
        this.apiKeys = apiKeys;
        this.refusalBody = json.writeValueAsString(Problem.unauthorized(Problem.INVALID_API_KEY));
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return RealtimeEndpoint.ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext upgrade) {
        var request = upgrade.httpRequest();
        String key = BearerToken.from(request.getHeader(HttpHeaders.AUTHORIZATION));
        return apiKeys.verifyAsync(key)
                .emitOn(onContextOf(Vertx.currentContext()))
                .chain(tenantId -> {
                    if (tenantId.isEmpty()) {
                        return refuse(request);
                    }
                    upgrade.userData().put(TENANT_ID, tenantId.get());
                    return CheckResult.permitUpgrade();
                });
    }

    /**
     * {@link CheckResult#rejectUpgrade} cannot carry a body, so the refusal is written here and the check never
     * completes: the request is answered and nothing else may touch its response.
     */
    private Uni<CheckResult> refuse(HttpServerRequest request) {
        request.response()
                .setStatusCode(401)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader("WWW-Authenticate", "Bearer")
                .end(refusalBody);
        return Uni.createFrom().nothing();
    }

    /** The upgrade continues on the request's event loop once the (possibly blocking) lookup is done. */
    private static Executor onContextOf(Context context) {
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }
}
