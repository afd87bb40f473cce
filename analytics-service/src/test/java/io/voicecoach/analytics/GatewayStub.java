package io.voicecoach.analytics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Speaks the gateway's credential check ({@code POST /internal/v1/credentials/verify}) on a free port and points
 * {@code voicecoach.auth.gateway-url} at it. {@code GET /stub/calls/<key>} tells how often a key was verified.
 */
public class GatewayStub implements QuarkusTestResourceLifecycleManager {

    public static final String DEMO_KEY = "key-demo";
    public static final String OTHER_KEY = "key-other";
    /** Tenant {@code acme}: only the tenant-wide API tests write its data, so their figures are exact. */
    public static final String ACME_KEY = "key-acme";
    /** Tenant {@code globex}: only {@code CallActivityTest} writes its data. */
    public static final String GLOBEX_KEY = "key-globex";
    /** Tenant {@code initech}: only {@code DashboardTest} writes its data. */
    public static final String INITECH_KEY = "key-initech";
    /** Valid (tenant {@code cached}); used to observe the cache. */
    public static final String CACHED_KEY = "key-cached";
    /** The stub answers 500. */
    public static final String BROKEN_KEY = "key-broken";
    /** The stub answers after 8 s, past the service's timeout (4 s in tests). */
    public static final String SLOW_KEY = "key-slow";

    private static final Map<String, String> TENANTS = Map.of(DEMO_KEY, "demo", OTHER_KEY, "other",
            CACHED_KEY, "cached", SLOW_KEY, "demo", ACME_KEY, "acme", GLOBEX_KEY, "globex", INITECH_KEY, "initech");

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/internal/v1/credentials/verify", this::verify);
        server.createContext("/stub/calls/", this::calls);
        server.start();
        return Map.of("voicecoach.auth.gateway-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void verify(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "application/problem+json", problem(405, "POST only"));
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String key = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (BROKEN_KEY.equals(key)) {
            respond(exchange, 500, "application/problem+json", problem(500, "boom"));
            return;
        }
        if (SLOW_KEY.equals(key)) {
            try {
                Thread.sleep(8000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String tenant = TENANTS.get(key);
        if (tenant == null) {
            respond(exchange, 401, "application/problem+json", problem(401, "unknown API key"));
        } else {
            respond(exchange, 200, "application/json", "{\"tenantId\":\"" + tenant + "\"}");
        }
    }

    private void calls(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getPath().substring("/stub/calls/".length());
        var count = calls.get(key);
        respond(exchange, 200, "text/plain", Integer.toString(count == null ? 0 : count.get()));
    }

    private static String problem(int status, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"error\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
