package io.voicecoach.tools;

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
 * <p>
 * It also plays coaching-service's knowledge-base search ({@code GET /internal/v1/tenants/{t}/kb/search?q=&k=},
 * {@code voicecoach.tools.knowledge.base-url}): each hit names the tenant it was searched for; a query containing
 * {@code slow} is answered after 10 s, one containing {@code boom} with a 500. One stub, so the test classes that use
 * it share one application start.
 */
public class GatewayStub implements QuarkusTestResourceLifecycleManager {

    public static final String DEMO_KEY = "key-demo";
    public static final String OTHER_KEY = "key-other";
    /** Tenant {@code acme}: only the tenant-wide API tests write its data, so their figures are exact. */
    public static final String ACME_KEY = "key-acme";
    /** Valid (tenant {@code cached}); used to observe the cache. */
    public static final String CACHED_KEY = "key-cached";
    /** The stub answers 500. */
    public static final String BROKEN_KEY = "key-broken";
    /** The stub answers after 4 s, past the service's timeout. */
    public static final String SLOW_KEY = "key-slow";

    /** Tenant {@code saas-demo}. */
    public static final String SAAS_KEY = "key-saas";

    private static final Map<String, String> TENANTS = Map.of(DEMO_KEY, "demo", OTHER_KEY, "other",
            CACHED_KEY, "cached", SLOW_KEY, "demo", ACME_KEY, "acme", SAAS_KEY, "saas-demo");

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
        server.createContext("/internal/v1/tenants/", this::searchKnowledge);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("voicecoach.auth.gateway-url", url, "voicecoach.tools.knowledge.base-url", url,
                "voicecoach.auth.service-token", SERVICE_TOKEN);
    }

    /** The service credential tool-service must present on coaching's internal search, as coaching requires. */
    static final String SERVICE_TOKEN = "svc-test-token";

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
                Thread.sleep(4000);
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

    private void searchKnowledge(HttpExchange exchange) throws IOException {
        var matcher = java.util.regex.Pattern.compile("^/internal/v1/tenants/([^/]+)/kb/search$")
                .matcher(exchange.getRequestURI().getPath());
        if (!"GET".equals(exchange.getRequestMethod()) || !matcher.matches()) {
            respond(exchange, 404, "application/problem+json", problem(404, "no such endpoint"));
            return;
        }
        if (!SERVICE_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-VoiceCoach-Service-Token"))) {
            respond(exchange, 401, "application/problem+json", problem(401, "internal endpoint: service credential required"));
            return;
        }
        String tenant = java.net.URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        var query = new java.util.HashMap<String, String>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String q = query.getOrDefault("q", "");
        int k = Integer.parseInt(query.getOrDefault("k", "5"));
        if (q.contains("boom")) {
            respond(exchange, 500, "application/problem+json", problem(500, "index broken"));
            return;
        }
        if (q.contains("slow")) {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var body = new StringBuilder("{\"results\":[");
        for (int i = 0; i < Math.min(k, 4); i++) {
            body.append(i == 0 ? "" : ",").append("{\"documentId\":\"doc-").append(tenant).append("-").append(i)
                    .append("\",\"documentTitle\":\"").append(tenant).append(" handbook\",\"chunkIndex\":").append(i)
                    .append(",\"excerpt\":\"about ").append(q.replace("\"", "")).append("\",\"score\":")
                    .append(0.9 - i * 0.1).append("}");
        }
        respond(exchange, 200, "application/json", body.append("]}").toString());
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
