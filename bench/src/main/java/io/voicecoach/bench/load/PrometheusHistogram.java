package io.voicecoach.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The cumulative buckets of one Prometheus histogram ({@code <name>_bucket{le="..."}}), summed over its label sets
 * and over instances. The difference of two readings is the histogram of what happened between them, and its
 * quantiles are read as the upper bound of the bucket they fall in (the micrometer buckets of a timer are ~10% apart).
 */
record PrometheusHistogram(TreeMap<Double, Double> buckets) {

    private static final Pattern BUCKET = Pattern.compile("^(\\w+)_bucket\\{(.*)}\\s+(\\S+)$");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    static PrometheusHistogram parse(String exposition, String name) {
        var buckets = new TreeMap<Double, Double>();
        for (String line : exposition.split("\n")) {
            var bucket = BUCKET.matcher(line.trim());
            if (!bucket.matches() || !bucket.group(1).equals(name)) {
                continue;
            }
            var le = LE.matcher(bucket.group(2));
            if (le.find()) {
                double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                buckets.merge(bound, Double.parseDouble(bucket.group(3)), Double::sum);
            }
        }
        return new PrometheusHistogram(buckets);
    }

    /** The histogram summed over the {@code /q/metrics} of every URL; URLs that do not answer are left out. */
    static PrometheusHistogram scrape(HttpClient http, List<URI> metrics, String name) {
        var sum = new PrometheusHistogram(new TreeMap<>());
        for (URI uri : metrics) {
            try {
                var response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    sum = sum.plus(parse(response.body(), name));
                }
            } catch (Exception e) {
                // an instance that does not answer adds nothing
            }
        }
        return sum;
    }

    PrometheusHistogram plus(PrometheusHistogram other) {
        var out = new TreeMap<>(buckets);
        other.buckets.forEach((bound, count) -> out.merge(bound, count, Double::sum));
        return new PrometheusHistogram(out);
    }

    /** What was observed after {@code earlier}. */
    PrometheusHistogram minus(PrometheusHistogram earlier) {
        var out = new TreeMap<Double, Double>();
        buckets.forEach((bound, count) -> out.put(bound, count - earlier.buckets.getOrDefault(bound, 0.0)));
        return new PrometheusHistogram(out);
    }

    double count() {
        return buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    }

    /** Upper bound of the bucket holding quantile {@code q} (0..1), NaN when empty. */
    double quantile(double q) {
        double total = count();
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= q * total) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
