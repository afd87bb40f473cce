package io.voicecoach.bench.coaching;

import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.events.Event;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The design's "final transcript -> suggestion on {@code coach.suggestions}" hop (budget p95 30 ms, rules +
 * embeddings): starts an embedded Kafka broker and PostgreSQL (devstack), runs the packaged coaching-service against
 * them (no LLM, no tool-service: battle card requests time out), publishes {@code transcript.final} envelopes at a
 * fixed rate over concurrent sessions and, for every {@code coaching.suggestion} whose transcript was sent in the
 * measured period, records {@code envelope.occurredAt - suggestion.transcriptAt} (docs/contracts.md). Prints the
 * percentiles by suggestion kind, by kind and source, and per 10-second window; not a test: run by hand
 * (bench/README.md).
 */
public final class SuggestionHopBench {

    static final String TENANT = "demo";
    private static final String PRODUCER = "gateway-service";

    record Sent(long nanos, Instant occurredAt, boolean measured, int window, String intended) {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path jar = Path.of(System.getProperty("bench.jar", "../coaching-service/target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath().normalize();
        int rate = Integer.getInteger("bench.rate", 20);
        int sessions = Integer.getInteger("bench.sessions", 50);
        int warmup = Integer.getInteger("bench.warmup", 30);
        int seconds = Integer.getInteger("bench.seconds", 60);
        int partitions = Integer.getInteger("bench.partitions", 4);
        int drain = Integer.getInteger("bench.drain", 60);
        var options = Arrays.stream(System.getProperty("bench.service-options", "").split("\\s+"))
                .filter(o -> !o.isBlank()).toList();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -B -q package -pl coaching-service -DskipTests");
        }
        System.out.printf("transcript -> suggestion hop: %d transcripts/s over %d sessions, %d s warm-up + %d s "
                + "measured, %d partitions, service options %s%n", rate, sessions, warmup, seconds, partitions, options);
        String loadBefore = loadAverage();
        System.out.println("load average before: " + loadBefore);

        try (var teardown = new Teardown()) {
            var kafka = teardown.add("kafka", EmbeddedKafka.startEphemeral());
            kafka.createTopics(EmbeddedKafka.PIPELINE_TOPICS, partitions);
            var postgres = teardown.add("postgres", EmbeddedPostgresServer.startEphemeral());
            var coaching = CoachingProcess.start(jar, kafka.bootstrapServers(), postgres.jdbcUrlForSchema("coaching"),
                    Path.of("target", "djl-cache").toAbsolutePath(), options, teardown);
            var stats = new HopStats();
            var sent = new ConcurrentHashMap<String, Sent>();
            var bus = teardown.add("kafka clients", new HopKafka(kafka.bootstrapServers()));
            var reader = teardown.add("suggestion reader", new SuggestionReader(bus.suggestionsConsumer(), sent, stats));

            var sessionIds = startSessions(bus, sessions);
            long cpuMs = send(bus, coaching, sessionIds, sent, rate, warmup, seconds);
            long lag = bus.awaitProcessed(Duration.ofSeconds(drain));
            reader.awaitQuiet(Duration.ofSeconds(2));
            String loadAfter = loadAverage();

            Report.print(new Report.Run(rate, sessions, warmup, seconds, options, loadBefore, loadAfter, cpuMs, lag,
                    coaching.log()), sent, reader, stats.snapshot());
        }
    }

    private static String[] startSessions(HopKafka bus, int sessions) {
        var ids = new String[sessions];
        for (int i = 0; i < sessions; i++) {
            ids[i] = "hop-" + i + "-" + UUID.randomUUID();
            bus.send(Event.of(UUID.randomUUID(), TENANT, ids[i], 1, Instant.now(), PRODUCER,
                    new SessionStarted("coach", "call-" + ids[i], "rep-" + (i % 10), List.of(Track.AGENT,
                            Track.CUSTOMER), "en", "pcm16", Map.of())));
        }
        return ids;
    }

    /** Publishes the transcripts at a fixed rate; returns the service's CPU time while sending the measured ones. */
    private static long send(HopKafka bus, CoachingProcess coaching, String[] sessionIds, Map<String, Sent> sent,
                             int rate, int warmup, int seconds) throws InterruptedException {
        int sessions = sessionIds.length;
        var seqs = new long[sessions];
        Arrays.fill(seqs, 1);
        var clocks = new long[sessions];
        var random = new Random(42);
        long total = (long) rate * (warmup + seconds);
        long warmupCount = (long) rate * warmup;
        var cpuAtStart = new AtomicLong();
        var count = new AtomicLong();
        var done = new CountDownLatch(1);
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        scheduler.scheduleAtFixedRate(() -> {
            long n = count.getAndIncrement();
            if (n >= total) {
                done.countDown();
                return;
            }
            if (n == warmupCount) {
                cpuAtStart.set(coaching.cpuMillis());
                System.out.println("warm-up over, measuring");
            }
            int s = (int) (n % sessions);
            var line = HopUtterances.ALL.get(random.nextInt(HopUtterances.ALL.size()));
            long start = clocks[s];
            clocks[s] += line.durationMs() + 700;
            var now = Instant.now();
            var transcript = new Transcript("item_" + UUID.randomUUID(), line.track(), line.text(), true, start,
                    start + line.durationMs(), 0.93, "bench", now);
            var event = Event.of(UUID.randomUUID(), TENANT, sessionIds[s], ++seqs[s], now, PRODUCER, transcript);
            boolean measured = n >= warmupCount;
            sent.put(transcript.utteranceId(), new Sent(System.nanoTime(), now, measured,
                    measured ? (int) ((n - warmupCount) / (rate * 10L)) : -1, line.intended()));
            bus.send(event);
        }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        done.await();
        long cpuMs = coaching.cpuMillis() - cpuAtStart.get();
        scheduler.shutdownNow();
        bus.flush();
        return cpuMs;
    }

    static String loadAverage() {
        try {
            var fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** Counts keyed by a label, for the report. */
    static final class Counts extends TreeMap<String, Integer> {
        void increment(String key) {
            merge(key, 1, Integer::sum);
        }
    }

    private SuggestionHopBench() {
    }
}
