package io.voicecoach.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.voicecoach.gateway.failover.FanoutAssignments;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.session.SessionOpener;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.CredentialRefusals;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.security.BearerAuthenticationMechanism;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Authenticates the Realtime WebSocket upgrade and hands the tenant to the connection ({@link #TENANT_ID} in its user
 * data). The credential (a tenant API key or a client secret) comes from, in this order: {@code Authorization: Bearer},
 * the subprotocol {@code openai-insecure-api-key.<token>} (browsers cannot set headers), or the query parameter
 * {@code client_secret}. Refusals are 401 with a problem+json body whose {@code code} says why. A resume
 * ({@code ?session_id=}) must name an open session of the same tenant, held here or by any other instance (else 404
 * {@code session_not_found}; 503 {@code sessions_loading} while this instance has not read every session yet); a new
 * session is refused with 429 {@code session_limit_reached} when the tenant holds its limit. A draining instance
 * refuses every upgrade with 503 {@code draining}. Only the credential that opened a session, or a client secret bound
 * to it or to its call and role, resumes it (else 403 {@code resume_not_permitted}, {@link CallAccess}).
 */
@ApplicationScoped
public class CredentialUpgradeCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(CredentialUpgradeCheck.class);

    public static final UserData.TypedKey<String> TENANT_ID = UserData.TypedKey.forString("voicecoach.tenant-id");
    public static final String KEY_SUBPROTOCOL_PREFIX = "openai-insecure-api-key.";
    public static final String CLIENT_SECRET_PARAM = "client_secret";
    /** Resume: the session to take up again and the last replayable event the client saw. */
    public static final String SESSION_ID_PARAM = "session_id";
    public static final String LAST_EVENT_ID_PARAM = "last_event_id";
    /** {@code ?intent=transcription}: a transcription session (no responses). */
    public static final String INTENT_PARAM = "intent";
    static final String TRANSCRIPTION_INTENT = "transcription";
    /** The SHA-256 of the credential the connection was opened with (for {@code tenant/Revocations}). */
    static final UserData.TypedKey<String> CREDENTIAL_HASH = UserData.TypedKey.forString("voicecoach.credential");
    /** Who opens (or resumes) the session: {@link CallAccess#opener}. */
    static final UserData.TypedKey<SessionOpener> OPENER = new UserData.TypedKey<>("voicecoach.opener");
    static final UserData.TypedKey<Boolean> TRANSCRIPTION = UserData.TypedKey.forBoolean("voicecoach.transcription");
    static final String UNSUPPORTED_INTENT = "unsupported_intent";
    static final UserData.TypedKey<String> RESUME_SESSION_ID = UserData.TypedKey.forString("voicecoach.resume");
    static final UserData.TypedKey<String> LAST_EVENT_ID = UserData.TypedKey.forString("voicecoach.last-event-id");
    static final String SESSION_NOT_FOUND = "session_not_found";
    static final String SESSIONS_LOADING = "sessions_loading";
    static final String DRAINING = "draining";
    private static final String SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    private final ApiKeys apiKeys;
    private final ObjectMapper json;
    private final SessionRegistry registry;
    private final RealtimeSessions sessions;
    private final SessionStore store;
    private final FanoutAssignments fanout;
    private final GatewayDrain drain;
    private final LimitsConfig limits;

    public CredentialUpgradeCheck(ApiKeys apiKeys, ObjectMapper json, SessionRegistry registry,
                                  RealtimeSessions sessions, SessionStore store, FanoutAssignments fanout,
                                  GatewayDrain drain, LimitsConfig limits) {
        this.apiKeys = apiKeys;
        this.json = json;
        this.registry = registry;
        this.sessions = sessions;
        this.store = store;
        this.fanout = fanout;
        this.drain = drain;
        this.limits = limits;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return RealtimeEndpoint.ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext upgrade) {
        var request = upgrade.httpRequest();
        return apiKeys.authenticateAsync(credential(request))
                .chain(verification -> {
                    if (!verification.isAccepted()) {
                        return refuse(request, CredentialRefusals.problem(verification.refusal()));
                    }
                    String tenantId = verification.tenantId();
                    String resume = request.getParam(SESSION_ID_PARAM);
                    if (drain.draining()) {
                        return refuse(request, Problem.of(Response.Status.SERVICE_UNAVAILABLE, DRAINING,
                                "this gateway instance is stopping; connect again (to another instance)"));
                    }
                    if (resume != null) {
                        boolean heldHere = registry.find(resume).filter(s -> s.tenantId().equals(tenantId)).isPresent();
                        if (!heldHere && (!store.caughtUp() || !fanout.complete())) {
                            return refuse(request, Problem.of(Response.Status.SERVICE_UNAVAILABLE, SESSIONS_LOADING,
                                    "this gateway instance is still reading the open sessions; try again"));
                        }
                        if (!sessions.resumable(tenantId, resume)) {
                            LOG.infof("resume of %s by tenant %s refused: %s", resume, tenantId,
                                    store.whyNotResumable(tenantId, resume));
                            return refuse(request, Problem.of(Response.Status.NOT_FOUND, SESSION_NOT_FOUND,
                                    "no session " + resume + " of this tenant awaits a resume"));
                        }
                        if (!sessions.mayResume(verification, resume)) {
                            LOG.infof("resume of %s by %s %s refused: not the credential that opened it, nor one "
                                    + "bound to it", resume, verification.kind(), verification.credentialId());
                            return refuse(request, Problem.of(Response.Status.FORBIDDEN, CallAccess.RESUME_NOT_PERMITTED,
                                    "only the credential that opened session " + resume + ", or a client secret "
                                            + "bound to it or to its call and role, may resume it"));
                        }
                        upgrade.userData().put(RESUME_SESSION_ID, resume);
                        String lastEventId = request.getParam(LAST_EVENT_ID_PARAM);
                        if (lastEventId != null) {
                            upgrade.userData().put(LAST_EVENT_ID, lastEventId);
                        }
                    } else if (verification.binding() != null && verification.binding().boundToSession()) {
                        return refuse(request, Problem.of(Response.Status.FORBIDDEN, CallAccess.SECRET_BOUND_TO_SESSION,
                                "this client secret only resumes session " + verification.binding().sessionId()
                                        + ": connect with ?session_id="));
                    } else if (request.getParam(INTENT_PARAM) != null
                            && !TRANSCRIPTION_INTENT.equals(request.getParam(INTENT_PARAM))) {
                        return refuse(request, Problem.of(Response.Status.BAD_REQUEST, UNSUPPORTED_INTENT,
                                "intent must be transcription (or absent for a realtime session)"));
                    } else if (registry.heldBy(tenantId) >= limits.sessionsPerTenant()) {
                        return refuse(request, Problem.of(Response.Status.TOO_MANY_REQUESTS, RealtimeError.SESSION_LIMIT_REACHED,
                                "the tenant holds " + limits.sessionsPerTenant() + " sessions, the most allowed"));
                    }
                    upgrade.userData().put(TENANT_ID, tenantId);
                    upgrade.userData().put(OPENER, CallAccess.opener(verification));
                    upgrade.userData().put(CREDENTIAL_HASH, ApiKeys.hash(credential(request)));
                    upgrade.userData().put(TRANSCRIPTION, TRANSCRIPTION_INTENT.equals(request.getParam(INTENT_PARAM)));
                    return CheckResult.permitUpgrade();
                });
    }

    /** The presented token, null when there is none. */
    static String credential(HttpServerRequest request) {
        String bearer = BearerAuthenticationMechanism.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
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
        } else if (problem.status() == 503) {
            response.putHeader("Retry-After", "1");
        }
        response.end(body);
        return Uni.createFrom().nothing();
    }
}
