package io.voicecoach.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks every operation of a running service's OpenAPI document ({@code /q/openapi}) and calls it with chosen
 * headers, so a deny-by-default test covers the routes that exist, including the ones added after the test was
 * written. Path parameters get placeholder values: the security layer answers before any parameter is read.
 */
public final class RouteAudit {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Route(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** The operations of the OpenAPI document served at {@code base}. */
    public static List<Route> routes(URI base) throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(base.resolve("/q/openapi?format=json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/q/openapi answered " + response.statusCode());
        }
        var routes = new ArrayList<Route>();
        JsonNode paths = JSON.readTree(response.body()).path("paths");
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
            for (var operation : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                if (METHODS.contains(operation.getKey())) {
                    routes.add(new Route(operation.getKey().toUpperCase(Locale.ROOT), path.getKey()));
                }
            }
        }
        return routes;
    }

    /** The status each route answers when called with {@code headers} (and an empty JSON body where it takes one). */
    public static Map<Route, Integer> statuses(URI base, List<Route> routes, Map<String, String> headers)
            throws IOException, InterruptedException {
        var statuses = new LinkedHashMap<Route, Integer>();
        for (var route : routes) {
            var uri = base.resolve(route.path().replaceAll("\\{[^}]+}", "1"));
            var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
            headers.forEach(request::header);
            boolean body = route.method().equals("POST") || route.method().equals("PUT") || route.method().equals("PATCH");
            if (body) {
                request.header("Content-Type", "application/json");
            }
            request.method(route.method(), body ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody());
            statuses.put(route, HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }

    /** The routes of {@code statuses} that did not answer {@code refusal}: empty when every one was refused. */
    public static List<String> admitted(Map<Route, Integer> statuses, int refusal) {
        return statuses.entrySet().stream().filter(entry -> entry.getValue() != refusal)
                .map(entry -> entry.getKey() + " answered " + entry.getValue()).toList();
    }

    private RouteAudit() {
    }
}
