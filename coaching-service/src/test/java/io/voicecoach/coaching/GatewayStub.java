package io.voicecoach.coaching;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Speaks the gateway's credential check ({@code POST /internal/v1/credentials/verify}: 200 {@code {"tenantId"}} or
 * 401 problem+json) on a free port and points {@code voicecoach.auth.gateway-url} at it.
 */
public class GatewayStub implements QuarkusTestResourceLifecycleManager {

    /** Tenant {@code alpha}. */
    public static final String ALPHA_KEY = "key-alpha";
    /** Tenant {@code beta}. */
    public static final String BETA_KEY = "key-beta";
    /** Tenant {@code gamma}. */
    public static final String GAMMA_KEY = "key-gamma";
    /** Tenant {@code delta}. */
    public static final String DELTA_KEY = "key-delta";
    /** The stub answers 500. */
    public static final String BROKEN_KEY = "key-broken";

    private static final Map<String, String> TENANTS = Map.of(ALPHA_KEY, "alpha", BETA_KEY, "beta", GAMMA_KEY, "gamma",
            DELTA_KEY, "delta");

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
        server.start();
        return Map.of("voicecoach.auth.gateway-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void verify(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String key = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "application/problem+json", "{\"status\":405,\"detail\":\"POST only\"}");
        } else if (BROKEN_KEY.equals(key)) {
            respond(exchange, 500, "application/problem+json", "{\"status\":500,\"detail\":\"boom\"}");
        } else if (TENANTS.containsKey(key)) {
            respond(exchange, 200, "application/json", "{\"tenantId\":\"" + TENANTS.get(key) + "\"}");
        } else {
            respond(exchange, 401, "application/problem+json", "{\"status\":401,\"detail\":\"unknown API key\"}");
        }
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
