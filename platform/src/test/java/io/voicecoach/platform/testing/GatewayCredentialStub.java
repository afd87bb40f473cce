package io.voicecoach.platform.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.voicecoach.platform.problem.AuthFailures;
import io.voicecoach.platform.problem.Problem;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's credential check for a service under test ({@code POST /internal/v1/credentials/verify}) on a free
 * port, answering as the gateway does: 200 {@code {"tenantId"}}, or the gateway's problem+json refusals (401
 * {@code invalid_credentials} for an unknown key, {@code revoked_credentials}, {@code tenant_suspended}; 401
 * {@code invalid_service_credential} when the service credential is not {@link #SERVICE_TOKEN}; 403 {@code forbidden}
 * without one). Points {@code voicecoach.auth.gateway-url} at itself and gives the service {@link #SERVICE_TOKEN};
 * {@link #refuseServiceCredential} plays a gateway that no longer accepts it (a botched rotation). A key {@code key-<tenant>} belongs to
 * {@code <tenant>}; {@link #UNKNOWN_KEY} is unknown, revoked keys revoked, {@link #SUSPENDED_KEY} suspended,
 * {@link #BROKEN_KEY} a 500, {@link #SLOW_KEY} an answer (tenant {@code demo}) after {@link #SLOW_MS}. Tests revoke keys
 * and count calls through the static methods (the stub runs in the test's JVM).
 */
public class GatewayCredentialStub extends LocalHttpStub {

    public static final String KEY_PREFIX = "key-";
    /** The stub answers 500. */
    public static final String BROKEN_KEY = "key-broken";
    /** The stub answers after {@link #SLOW_MS}, past any service's verification timeout. */
    public static final String SLOW_KEY = "key-slow";
    public static final long SLOW_MS = 8000;
    /** Looks like a key, and the gateway knows no such key. */
    public static final String UNKNOWN_KEY = "key-nobody";
    /** Its tenant ({@code suspended}) is suspended. */
    public static final String SUSPENDED_KEY = "key-suspended";
    /** The service credential the service under test sends and accepts, and the only one the stub accepts. */
    public static final String SERVICE_TOKEN = "vcs_test_service_token_0123456789";

    private static final Problem UNKNOWN = new Problem("urn:voicecoach:problem:unauthorized", "Unauthorized", 401,
            "missing, unknown or revoked API key (Authorization: Bearer <key>)", "invalid_credentials", List.of());
    private static final Problem REVOKED_KEY = Problem.of(Response.Status.UNAUTHORIZED, "revoked_credentials",
            "the credential (or the API key that minted it) has been revoked");
    private static final Problem SUSPENDED = Problem.of(Response.Status.UNAUTHORIZED, "tenant_suspended",
            "the tenant is suspended");
    private static final Problem UNKNOWN_WITHOUT_SERVICE = Problem.of(Response.Status.UNAUTHORIZED,
            "invalid_credentials", "unknown API key or client secret");

    private static final Set<String> REVOKED = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static final Map<String, String> LAST_SERVICE_TOKEN = new ConcurrentHashMap<>();

    /** Plain Jackson: Vert.x's {@code Json} would initialise outside the application's class loader. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile boolean refuseServiceCredential;


    /** The key of {@code tenant}. */
    public static String keyOf(String tenant) {
        return KEY_PREFIX + tenant;
    }

    /** From now on the gateway refuses {@code key}, as after {@code DELETE /admin/v1/.../keys/...}. */
    public static void revoke(String key) {
        REVOKED.add(key);
    }

    public static void restore(String key) {
        REVOKED.remove(key);
    }

    /** While true, the gateway refuses the service under test's credential (401 {@code invalid_service_credential}). */
    public static void refuseServiceCredential(boolean refuse) {
        refuseServiceCredential = refuse;
    }

    /** How often the gateway was asked about {@code key}. */
    public static int calls(String key) {
        var count = CALLS.get(key);
        return count == null ? 0 : count.get();
    }

    /** The service credential the last verification of {@code key} carried, or null. */
    public static String serviceTokenSentWith(String key) {
        return LAST_SERVICE_TOKEN.get(key);
    }

    @Override
    public Map<String, String> start() {
        String url = serve("/internal/v1/credentials/verify", this::verify);
        return Map.of("voicecoach.auth.gateway-url", url,
                "voicecoach.auth.service-token", SERVICE_TOKEN);
    }

    private void verify(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "application/problem+json", "{\"status\":405,\"detail\":\"POST only\"}");
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String key = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        CALLS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        String service = exchange.getRequestHeaders().getFirst("X-VoiceCoach-Service-Token");
        if (service != null) {
            LAST_SERVICE_TOKEN.put(key, service);
        }
        boolean known = key.startsWith(KEY_PREFIX) && key.length() > KEY_PREFIX.length() && !key.equals(UNKNOWN_KEY);
        if (service == null) {
            // the gateway authenticates the tenant's key instead: not a service, or refused as a tenant
            problem(exchange, known ? Problem.of(Response.Status.FORBIDDEN, "forbidden",
                    "this credential may not use this endpoint") : UNKNOWN_WITHOUT_SERVICE);
        } else if (refuseServiceCredential || !SERVICE_TOKEN.equals(service)) {
            problem(exchange, AuthFailures.serviceRefused());
        } else if (BROKEN_KEY.equals(key)) {
            respond(exchange, 500, "application/problem+json", "{\"status\":500,\"detail\":\"boom\"}");
        } else if (SLOW_KEY.equals(key)) {
            try {
                Thread.sleep(SLOW_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "application/json", "{\"tenantId\":\"demo\"}");
        } else if (!known) {
            problem(exchange, UNKNOWN);
        } else if (REVOKED.contains(key)) {
            problem(exchange, REVOKED_KEY);
        } else if (SUSPENDED_KEY.equals(key)) {
            problem(exchange, SUSPENDED);
        } else {
            respond(exchange, 200, "application/json", "{\"tenantId\":\"" + key.substring(KEY_PREFIX.length()) + "\"}");
        }
    }

    private static void problem(HttpExchange exchange, Problem problem) throws IOException {
        if (problem.status() == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        }
        respond(exchange, problem.status(), Problem.MEDIA_TYPE, JSON.writeValueAsString(problem));
    }
}
