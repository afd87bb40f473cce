package io.voicecoach.bench.analytics;

import io.voicecoach.bench.ServiceProcesses;
import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.ManagedProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ingestion and query benchmark of analytics-service: publishes N sessions of about 100 events each onto the real
 * topics, starts the packaged analytics-service against the embedded broker and database, and reports the
 * sustained ingestion rate, query latency (session list, a tenant's 30-day aggregate) and database size.
 * <p>
 * {@code ./mvnw -B -q package -pl analytics-service -DskipTests && ./mvnw -B -q -pl bench exec:java
 * -Dexec.mainClass=io.voicecoach.bench.analytics.IngestionBench -Dexec.args="--sessions 10000"}
 */
public final class IngestionBench {

    static final String TENANT = "bench";
    static final String API_KEY = "bench-key";

    public static void main(String[] args) throws Exception {
        var options = Options.parse(args);
        var jar = options.analyticsJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: run ./mvnw -B -q package -pl analytics-service -DskipTests");
        }
        var work = Files.createTempDirectory("vc-ingest-bench");
        try (var kafka = EmbeddedKafka.startEphemeral();
             var postgres = EmbeddedPostgresServer.startEphemeral();
             var gateway = CredentialStub.start(API_KEY, TENANT)) {
            var generated = publish(kafka.bootstrapServers(), options);
            var jdbc = postgres.jdbcUrlForSchema("analytics");
            int port = freePort();
            var analytics = ManagedProcess.start("analytics-service", concat(List.of(ManagedProcess.javaExecutable(),
                    "-Xmx" + options.heap(),
                    "-Dquarkus.http.port=" + port,
                    "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                    "-Dquarkus.datasource.jdbc.url=" + jdbc,
                    "-Dvoicecoach.auth.gateway-url=" + gateway.url(),
                    "-Dquarkus.log.level=WARN"), options.serviceOptions(), List.of("-jar", jar.toString())),
                    work.resolve("analytics.log"), work);
            try {
                var ingest = awaitIngestion(postgres, generated.events(), analytics, port, options.timeout());
                var queries = new QueryBench(URI.create("http://127.0.0.1:" + port), API_KEY).run(options.queries());
                var size = DatabaseSize.of(postgres);
                Report.print(options, generated, ingest, queries, size, ServiceProcesses.rssBytes(analytics.pid()));
            } catch (Exception e) {
                System.err.println("analytics-service log:\n" + analytics.tail(60));
                throw e;
            } finally {
                analytics.stop(Duration.ofSeconds(20));
            }
        } finally {
            deleteTree(work);
        }
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        var all = new ArrayList<String>();
        for (var part : parts) {
            all.addAll(part);
        }
        return all;
    }

    static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (var path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static Generated publish(String bootstrap, Options options) {
        var started = System.nanoTime();
        long events;
        try (var publisher = new EventPublisher(bootstrap)) {
            var calls = new SyntheticCalls(TENANT, options.sessions(), options.utterancesPerSession(),
                    LocalDate.now(ZoneOffset.UTC).minusDays(30).atStartOfDay().toInstant(ZoneOffset.UTC));
            events = calls.publishTo(publisher);
        }
        return new Generated(options.sessions(), events, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Polls the service's {@code voicecoach_analytics_ingested_total} (records whose handling is committed) rather than
     * counting {@code processed_events}, whose repeated full count would take CPU from the service being measured;
     * the sustained rate is taken between 10% and 90% of the events. At the end the stored ids are counted once.
     */
    static Ingest awaitIngestion(EmbeddedPostgresServer postgres, long expected, ManagedProcess analytics, int port,
                                 Duration timeout) throws Exception {
        var samples = new ArrayList<long[]>();
        long deadline = System.nanoTime() + timeout.toNanos();
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        long count = 0;
        while (count < expected) {
            if (!analytics.alive()) {
                throw new IllegalStateException("analytics-service exited:\n" + analytics.tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count + " of " + expected + " events ingested in " + timeout);
            }
            count = ingested(http, metrics);
            samples.add(new long[]{System.nanoTime(), count});
            Thread.sleep(1000);
        }
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl(EmbeddedPostgresServer.DATABASE),
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)) {
            long stored = processedEvents(connection);
            if (stored != expected) {
                throw new IllegalStateException(stored + " event ids stored, " + expected + " published");
            }
        }
        return Ingest.from(samples, expected);
    }

    private static long ingested(HttpClient http, HttpRequest metrics) throws InterruptedException {
        try {
            var body = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
            return (long) body.lines().filter(l -> l.startsWith("voicecoach_analytics_ingested_total"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (java.io.IOException notListeningYet) {
            return 0;
        }
    }

    private static long processedEvents(java.sql.Connection connection) throws java.sql.SQLException {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM analytics.processed_events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    record Generated(int sessions, long events, Duration publishTime) {
    }

    record Ingest(double sustainedPerSecond, double overallPerSecond, Duration firstToLast) {
        static Ingest from(List<long[]> samples, long expected) {
            long[] first = samples.stream().filter(s -> s[1] > 0).findFirst().orElseThrow();
            long[] last = samples.getLast();
            long[] from = firstAtLeast(samples, expected / 10);
            long[] to = firstAtLeast(samples, expected * 9 / 10);
            double sustained = (to[1] - from[1]) / seconds(to[0] - from[0]);
            double overall = (last[1] - first[1]) / seconds(last[0] - first[0]);
            return new Ingest(sustained, overall, Duration.ofNanos(last[0] - first[0]));
        }

        private static long[] firstAtLeast(List<long[]> samples, long count) {
            return samples.stream().filter(s -> s[1] >= count).findFirst().orElseThrow();
        }

        private static double seconds(long nanos) {
            return Math.max(nanos, 1) / 1e9;
        }
    }

    record Options(int sessions, int utterancesPerSession, int queries, String heap, Duration timeout, Path analyticsJar,
                   List<String> serviceOptions) {
        static Options parse(String[] args) {
            int sessions = 10_000;
            int utterances = 80;
            int queries = 200;
            String heap = "1g";
            Duration timeout = Duration.ofMinutes(20);
            var serviceOptions = new ArrayList<String>();
            Path jar = Path.of("analytics-service/target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                jar = Path.of("../analytics-service/target/quarkus-app/quarkus-run.jar");
            }
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--sessions" -> sessions = Integer.parseInt(args[i + 1]);
                    case "--utterances" -> utterances = Integer.parseInt(args[i + 1]);
                    case "--queries" -> queries = Integer.parseInt(args[i + 1]);
                    case "--heap" -> heap = args[i + 1];
                    case "--timeout-minutes" -> timeout = Duration.ofMinutes(Long.parseLong(args[i + 1]));
                    case "--jar" -> jar = Path.of(args[i + 1]);
                    case "--service-option" -> serviceOptions.add(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(sessions, utterances, queries, heap, timeout, jar.toAbsolutePath().normalize(),
                    List.copyOf(serviceOptions));
        }
    }

    static final class Report {
        static void print(Options options, Generated generated, Ingest ingest, QueryBench.Results queries,
                          DatabaseSize size, long rssBytes) {
            var out = System.out;
            out.println();
            out.println("analytics ingestion benchmark, " + Instant.now() + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores, heap " + options.heap()
                    + (options.serviceOptions().isEmpty() ? "" : ", service options " + options.serviceOptions()));
            out.printf(Locale.ROOT, "events published       %,d (%,d sessions) in %.1f s%n", generated.events(),
                    generated.sessions(), generated.publishTime().toMillis() / 1000.0);
            out.printf(Locale.ROOT, "ingestion sustained    %,.0f events/s (10%%..90%% of the events)%n",
                    ingest.sustainedPerSecond());
            out.printf(Locale.ROOT, "ingestion overall      %,.0f events/s, first to last event %.1f s%n",
                    ingest.overallPerSecond(), ingest.firstToLast().toMillis() / 1000.0);
            queries.print(out);
            out.printf(Locale.ROOT, "database size          %,.1f MB (analytics schema %,.1f MB)%n",
                    size.databaseBytes() / 1e6, size.schemaBytes() / 1e6);
            size.tables().forEach(t -> out.printf(Locale.ROOT, "  %-28s %,10.1f MB%n", t.name(), t.bytes() / 1e6));
            out.printf(Locale.ROOT, "analytics-service RSS  %,.0f MB after the run%n", rssBytes / 1e6);
        }
    }

    private IngestionBench() {
    }
}
