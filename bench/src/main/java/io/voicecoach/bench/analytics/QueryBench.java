package io.voicecoach.bench.analytics;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Times the dashboard's main queries through the REST API, sequentially, after a warm-up. */
final class QueryBench {

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    QueryBench(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    Results run(int repetitions) throws Exception {
        var today = LocalDate.now(ZoneOffset.UTC);
        var from = today.minusDays(30);
        var queries = new LinkedHashMap<String, String>();
        queries.put("session list (first page of 20)", "/api/v1/sessions?limit=20");
        queries.put("session list, one rep, 30 days", "/api/v1/sessions?limit=20&rep=rep_7&from=" + from);
        queries.put("session list, objection=price", "/api/v1/sessions?limit=20&objection=price");
        queries.put("30-day aggregate per day", "/api/v1/aggregates/days?from=" + from + "&to=" + today);
        queries.put("30-day aggregate per rep", "/api/v1/aggregates/reps?from=" + from + "&to=" + today);
        queries.put("latency percentiles, 30 days", "/api/v1/latency?from=" + from + "&to=" + today);
        awaitAuthenticated(queries.values().iterator().next());
        var timings = new LinkedHashMap<String, long[]>();
        for (var query : queries.entrySet()) {
            for (int i = 0; i < Math.max(5, repetitions / 10); i++) {
                time(query.getValue());
            }
            var nanos = new long[repetitions];
            for (int i = 0; i < repetitions; i++) {
                nanos[i] = time(query.getValue());
            }
            timings.put(query.getKey(), nanos);
        }
        return new Results(timings);
    }

    /** The first call verifies the key with the gateway (cached afterwards); on a busy machine it may time out once. */
    private void awaitAuthenticated(String path) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                time(path);
                return;
            } catch (IllegalStateException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private long time(String path) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(30)).GET().build();
        long started = System.nanoTime();
        var response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long elapsed = System.nanoTime() - started;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": "
                    + new String(response.body()));
        }
        return elapsed;
    }

    record Results(Map<String, long[]> nanos) {
        void print(PrintStream out) {
            out.println("query latency (ms)               p50      p95      p99   (n per query: "
                    + nanos.values().iterator().next().length + ")");
            nanos.forEach((name, values) -> {
                var sorted = values.clone();
                Arrays.sort(sorted);
                out.printf(Locale.ROOT, "  %-30s %7.1f  %7.1f  %7.1f%n", name, pct(sorted, 50), pct(sorted, 95),
                        pct(sorted, 99));
            });
        }

        private static double pct(long[] sorted, int percentile) {
            int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, index)] / 1e6;
        }
    }
}
