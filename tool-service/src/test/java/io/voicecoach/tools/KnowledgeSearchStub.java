package io.voicecoach.tools;

import com.sun.net.httpserver.HttpExchange;
import io.voicecoach.platform.security.ServiceCredentials;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.platform.testing.LocalHttpStub;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Plays coaching-service's knowledge-base search ({@code GET /internal/v1/tenants/{t}/kb/search?q=&k=}) on a free
 * port and points {@code voicecoach.tools.knowledge.base-url} at it. Like coaching, it refuses a call without the
 * service credential ({@link GatewayCredentialStub#SERVICE_TOKEN}, which that stub gives tool-service). Each hit
 * names the tenant it was searched for; a query containing {@code slow} is answered after 10 s, one containing
 * {@code boom} with a 500.
 */
public class KnowledgeSearchStub extends LocalHttpStub {

    private static final Pattern SEARCH = Pattern.compile("^/internal/v1/tenants/([^/]+)/kb/search$");

    @Override
    public Map<String, String> start() {
        return Map.of("voicecoach.tools.knowledge.base-url", serve("/internal/v1/tenants/", this::search));
    }

    private void search(HttpExchange exchange) throws IOException {
        var matcher = SEARCH.matcher(exchange.getRequestURI().getPath());
        if (!"GET".equals(exchange.getRequestMethod()) || !matcher.matches()) {
            respond(exchange, 404, "application/problem+json", problem(404, "no such endpoint"));
            return;
        }
        String credential = exchange.getRequestHeaders().getFirst(ServiceCredentials.HEADER);
        if (!GatewayCredentialStub.SERVICE_TOKEN.equals(credential)) {
            respond(exchange, 401, "application/problem+json",
                    problem(401, "internal endpoint: service credential required"));
            return;
        }
        String tenant = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        var query = new HashMap<String, String>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
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

    private static String problem(int status, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"error\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
    }
}
