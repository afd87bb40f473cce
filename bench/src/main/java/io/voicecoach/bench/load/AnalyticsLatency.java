package io.voicecoach.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * analytics-service's own view of the run: {@code GET /api/v1/latency} (transcript -> suggestion, suggestion -> client,
 * end to end; count, p50, p95, max) for the sessions of this run's rep id that started in the level. Asked until two
 * answers a second apart agree, since ingestion runs behind the calls.
 */
final class AnalyticsLatency {

    static JsonNode fetch(HttpClient http, URI base, String apiKey, String repId, Instant from, Instant to,
                          Duration patience) {
        var uri = base.resolve("/api/v1/latency?from=" + encode(from.toString()) + "&to=" + encode(to.toString())
                + "&rep=" + encode(repId));
        var request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode last = null;
        try {
            while (true) {
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    return Leg.JSON.createObjectNode().put("error", "HTTP " + response.statusCode() + " from " + uri);
                }
                var answer = Leg.JSON.readTree(response.body());
                if (answer.equals(last) || System.nanoTime() > deadline) {
                    return answer;
                }
                last = answer;
                Thread.sleep(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Leg.JSON.createObjectNode().put("error", "interrupted");
        } catch (Exception e) {
            return Leg.JSON.createObjectNode().put("error", e + " (" + uri + ")");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private AnalyticsLatency() {
    }
}
