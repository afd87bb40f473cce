package io.voicecoach.bench;

import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.ManagedProcess;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tool-call latency under load: starts an embedded Kafka broker and PostgreSQL (devstack), runs the packaged
 * tool-service ({@code tool-service/target/quarkus-app/quarkus-run.jar}) against them on free ports, publishes
 * {@code tool.call} envelopes for a database tool at a fixed rate and measures, per call, the time from just before
 * the {@code tool.calls} produce to the receipt of its {@code tool.result}. Prints p50/p95/p99/max.
 * <p>
 * System properties: {@code bench.jar}, {@code bench.tool} ({@code get_available_slots} or {@code lookup_customer}),
 * {@code bench.rate} (calls/s, 100), {@code bench.seconds} (measured, 60), {@code bench.warmup} (seconds, 30: long
 * enough for the JIT to compile the hot path), {@code bench.sessions} (concurrent sessions, i.e. record keys, 20), {@code bench.service-options} (extra
 * {@code -D} options for the service, space-separated).
 */
public final class ToolLatencyBench {

    private static final String TENANT = "demo";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private record Sent(long nanos, boolean measured, int second) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "../tool-service/target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath().normalize();
        String tool = System.getProperty("bench.tool", "get_available_slots");
        int rate = Integer.getInteger("bench.rate", 100);
        int seconds = Integer.getInteger("bench.seconds", 60);
        int warmup = Integer.getInteger("bench.warmup", 30);
        int sessions = Integer.getInteger("bench.sessions", 20);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -B -q package -pl tool-service -DskipTests");
        }
        System.out.printf("tool-call latency: %s, %d calls/s, %d s warm-up + %d s measured, %d sessions%n",
                tool, rate, warmup, seconds, sessions);

        try (var kafka = EmbeddedKafka.startEphemeral(); var postgres = EmbeddedPostgresServer.startEphemeral()) {
            kafka.createTopics(List.of(Topics.TOOL_CALLS, Topics.TOOL_RESULTS), 3);
            var service = startToolService(jar, kafka.bootstrapServers(), postgres.jdbcUrlForSchema("tool"));
            try {
                run(kafka.bootstrapServers(), tool, rate, seconds, warmup, sessions, service.pid());
            } finally {
                service.stop(Duration.ofSeconds(20));
            }
        }
    }

    private static ManagedProcess startToolService(Path jar, String bootstrap, String jdbcUrl) throws Exception {
        int port = ServiceProcesses.freePort();
        var command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(),
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                "-Dvoicecoach.tools.seed-tenant=" + TENANT,
                // the benchmark measures latency, not the limiter: 100 calls/s is over the default 50/s
                "-Dvoicecoach.tools.rate-limit.calls-per-second=10000",
                "-Dvoicecoach.tools.rate-limit.burst=10000",
                "-Dvoicecoach.auth.gateway-url=http://127.0.0.1:" + ServiceProcesses.freePort()));
        // extra service settings, e.g. -Dsmallrye.messaging.worker.tool-calls.max-concurrency=16
        for (String option : System.getProperty("bench.service-options", "").split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-jar", jar.toString()));
        var log = Files.createTempDirectory("vc-bench-").resolve("tool-service.log");
        var process = ManagedProcess.start("tool-service", command, log, jar.getParent());
        double seconds = ServiceProcesses.awaitReady(process, port, Duration.ofSeconds(180));
        System.out.printf("tool-service ready on port %d after %.1f s (log %s)%n", port, seconds, log);
        return process;
    }

    private static void run(String bootstrap, String tool, int rate, int seconds, int warmup, int sessions,
                            long servicePid) throws Exception {
        var cpuAtMeasureStart = new AtomicLong(-1);
        var sent = new ConcurrentHashMap<String, Sent>();
        var latencies = new ArrayList<Long>();
        var serverLatencies = new ArrayList<Long>();
        var statuses = new TreeMap<String, Integer>();
        var bySecond = new TreeMap<Integer, List<Long>>();
        var received = new AtomicLong();
        var running = new AtomicBoolean(true);

        var consumer = TopicTail.of(bootstrap, Topics.TOOL_RESULTS);
        var reader = Thread.ofPlatform().name("results").start(() -> {
            while (running.get()) {
                for (var record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    var payload = EventJson.decode(record.value()).payload();
                    var call = sent.remove(payload.path("callId").asText());
                    if (call == null) {
                        continue;
                    }
                    received.incrementAndGet();
                    if (!call.measured()) {
                        continue;
                    }
                    String status = payload.path("status").asText();
                    String code = payload.path("error").path("code").asText("");
                    synchronized (latencies) {
                        latencies.add(now - call.nanos());
                        bySecond.computeIfAbsent(call.second() / 10, k -> new ArrayList<>()).add(now - call.nanos());
                        serverLatencies.add(payload.path("latencyMs").asLong());
                        statuses.merge(code.isEmpty() ? status : status + ":" + code, 1, Integer::sum);
                    }
                }
            }
            consumer.close();
        });

        var producer = TopicTail.producer(bootstrap);
        var sessionIds = new String[sessions];
        var seqs = new long[sessions];
        for (int i = 0; i < sessions; i++) {
            sessionIds[i] = "bench-" + i + "-" + System.nanoTime();
        }
        long total = (long) rate * (warmup + seconds);
        long warmupCalls = (long) rate * warmup;
        var count = new AtomicLong();
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        var done = new java.util.concurrent.CountDownLatch(1);
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        scheduler.scheduleAtFixedRate(() -> {
            long n = count.getAndIncrement();
            if (n >= total) {
                done.countDown();
                return;
            }
            if (n == warmupCalls) {
                cpuAtMeasureStart.set(ServiceProcesses.cpuMillis(servicePid));
            }
            int s = (int) (n % sessions);
            String callId = "call-" + n + "-" + System.nanoTime();
            var envelope = Envelope.of(EventTypes.TOOL_CALL, TENANT, sessionIds[s], ++seqs[s], "bench",
                    new ToolCall(callId, tool, EventJson.MAPPER.valueToTree(arguments(tool, n)), "bench", 10_000));
            sent.put(callId, new Sent(System.nanoTime(), n >= warmupCalls, (int) (n / rate)));
            producer.send(new ProducerRecord<>(Topics.TOOL_CALLS, sessionIds[s], EventJson.encode(envelope)));
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        done.await();
        scheduler.shutdownNow();
        long serviceCpuMillis = ServiceProcesses.cpuMillis(servicePid) - cpuAtMeasureStart.get();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        producer.flush();
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sent.isEmpty() && System.nanoTime() < waitUntil) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        running.set(false);
        reader.join();
        producer.close();

        long[] sorted;
        long[] server;
        synchronized (latencies) {
            sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            server = serverLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        System.out.printf("sent %d calls in %.1f s (%.1f calls/s), %d answered, %d unanswered after 60 s%n",
                total, sendSeconds, total / sendSeconds, received.get(), sent.size());
        System.out.printf("measured calls: %d, results by status: %s%n", sorted.length, statuses);
        System.out.printf("tool.calls produce -> tool.results receipt: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms%n", pct(sorted, 50) / 1e6, pct(sorted, 95) / 1e6, pct(sorted, 99) / 1e6,
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        synchronized (latencies) {
            bySecond.forEach((window, values) -> {
                long[] w = values.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("  calls sent in second %3d-%3d: %4d calls, p50 %7.1f ms, p95 %7.1f ms, max %7.1f ms%n",
                        window * 10, window * 10 + 9, w.length, pct(w, 50) / 1e6, pct(w, 95) / 1e6,
                        w[w.length - 1] / 1e6);
            });
        }
        System.out.printf("tool-service CPU while sending the measured calls: %.1f s = %.2f cores, %.2f ms per call%n",
                serviceCpuMillis / 1e3, serviceCpuMillis / 1e3 / seconds, (double) serviceCpuMillis / ((long) rate * seconds));
        System.out.printf("tool run inside the service (ToolResult.latencyMs): p50 %d ms, p95 %d ms, p99 %d ms%n",
                pct(server, 50), pct(server, 95), pct(server, 99));
    }

    private static Map<String, Object> arguments(String tool, long n) {
        return switch (tool) {
            case "lookup_customer" -> Map.of("phone", n % 2 == 0 ? "+16175550101" : "(617) 555-0103");
            case "get_available_slots" -> {
                var from = LocalDate.now(NEW_YORK).plusDays(1 + n % 14);
                yield Map.of("service_type", List.of("oil_change", "tire_rotation", "brake_inspection").get((int) (n % 3)),
                        "from_date", from.toString(), "to_date", from.plusDays(2).toString(), "limit", 10);
            }
            default -> throw new IllegalArgumentException("bench.tool must be get_available_slots or lookup_customer");
        };
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private ToolLatencyBench() {
    }
}
