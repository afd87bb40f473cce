package io.voicecoach.bench.gateway;

import io.voicecoach.bench.ServiceProcesses;
import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Streams N concurrent two-track calls (an agent leg with role {@code rep} and a customer leg with role
 * {@code customer}, joined by {@code voicecoach.call_id}) of espeak-ng speech at real-time pace into ONE gateway-service
 * process, for each N in {@code bench.calls}, adding calls between levels. Per level it reports sessions held,
 * frames/s, the time from the gateway receiving a frame to the chunk's record on {@code voice.audio}, the gateway's
 * RSS and CPU. Not a test: run by hand (bench/README.md).
 */
public final class GatewayBench {

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int[] levels = Arrays.stream(System.getProperty("bench.calls", "100,250,500").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int warmupS = Integer.getInteger("bench.warmup-s", 15);
        int measureS = Integer.getInteger("bench.measure-s", 30);
        int rampPerS = Integer.getInteger("bench.ramp-calls-per-s", 10);
        var jar = Path.of(System.getProperty("bench.jar", "gateway-service/target/quarkus-app/quarkus-run.jar"));
        var work = Files.createTempDirectory("gateway-bench");

        System.out.println("synthesizing the call audio with espeak-ng and sox ...");
        var audio = CallAudio.synthesize(work);

        EmbeddedKafka kafka = null;
        EmbeddedPostgresServer postgres = null;
        GatewayProcess gateway = null;
        String bootstrap = System.getProperty("bench.kafka");
        String gatewayUrl = System.getProperty("bench.gateway-url");
        String apiKey = System.getProperty("bench.api-key", "vc_bench_" + UUID.randomUUID());
        try {
            if (bootstrap == null) {
                kafka = EmbeddedKafka.startEphemeral();
                kafka.createTopics(EmbeddedKafka.PIPELINE_TOPICS, Integer.getInteger("bench.partitions", 6));
                bootstrap = kafka.bootstrapServers();
                useLogAppendTime(bootstrap);
            }
            if (gatewayUrl == null) {
                postgres = EmbeddedPostgresServer.startEphemeral();
                var extra = new ArrayList<String>();
                for (var entry : System.getProperties().entrySet()) {
                    if (entry.getKey().toString().startsWith("gateway.")) {
                        extra.add("-D" + entry.getKey().toString().substring("gateway.".length()) + "="
                                + entry.getValue());
                    }
                }
                gateway = GatewayProcess.start(jar, bootstrap, postgres.jdbcUrlForSchema("gateway"), apiKey, extra,
                        work.resolve("gateway.log"));
                gatewayUrl = "http://127.0.0.1:" + gateway.port;
                System.out.println("gateway pid " + gateway.pid() + " on " + gatewayUrl + ", log " + work.resolve(
                        "gateway.log"));
            }
            run(audio, URI.create(gatewayUrl), apiKey, bootstrap, gateway, levels, warmupS, measureS, rampPerS);
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
        System.exit(0);
    }

    private static void run(CallAudio audio, URI gatewayUrl, String apiKey, String bootstrap, GatewayProcess gateway,
                            int[] levels, int warmupS, int measureS, int rampPerS) throws Exception {
        var realtime = URI.create(gatewayUrl.toString().replaceFirst("^http", "ws") + "/v1/realtime");
        var http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
        var latency = new AudioLatency(bootstrap);
        var legs = new ArrayList<Leg>();
        var buckets = new ArrayList<List<Leg>>();
        int bucketCount = CallAudio.FRAME_MS / 10;
        for (int i = 0; i < bucketCount; i++) {
            buckets.add(new java.util.concurrent.CopyOnWriteArrayList<>());
        }
        var pacer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("pacer").unstarted(r));
        long[] tick = {0};
        pacer.scheduleAtFixedRate(() -> buckets.get((int) (tick[0]++ % bucketCount)).forEach(Leg::tick),
                10, 10, TimeUnit.MILLISECONDS);
        var random = new Random(42);
        double baselineRss = gateway == null ? Double.NaN : gateway.rssMiB();

        System.out.printf("audio: %.1f s loop per track, speech %.0f%% of each track, %d ms append frames (%d B of "
                        + "24 kHz PCM16)%n", audio.loopSeconds(), 100 * audio.speechShare(), CallAudio.FRAME_MS,
                CallAudio.FRAME_MS * 48);
        System.out.printf("machine: %d cores, load average at start %s; gateway RSS at start %.0f MiB%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), baselineRss);
        System.out.println("latency: frame received by the gateway (vc-received-at) -> record appended to voice.audio"
                + " (broker LogAppendTime) | -> read by this process");
        System.out.println();
        System.out.println("| calls | sessions held | frames/s | records/s | to topic p50/p95/p99 ms | to consumer "
                + "p50/p95/p99 ms | gateway CPU | gateway RSS MiB | RSS per 100 sessions | bench CPU | load avg | "
                + "errors | send backlog |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");

        for (int level : levels) {
            int calls = legs.size() / 2;
            long rampStart = System.nanoTime();
            var opening = new ArrayList<CompletableFuture<Leg>>();
            for (int call = calls; call < level; call++) {
                String callId = "call_bench_" + call;
                int offset = random.nextInt(audio.agentFrames().size());
                opening.add(Leg.open(http, realtime, apiKey, callId, "rep", audio.agentFrames(), offset));
                opening.add(Leg.open(http, realtime, apiKey, callId, "customer", audio.customerFrames(), offset));
                long due = rampStart + (long) ((call - calls + 1) * 1e9 / rampPerS);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            int failed = 0;
            for (var future : opening) {
                try {
                    var leg = future.get(120, TimeUnit.SECONDS);
                    legs.add(leg);
                    buckets.get(legs.size() % bucketCount).add(leg);
                } catch (Exception e) {
                    failed++;
                    if (failed == 1) {
                        System.out.println("(a leg failed to open: " + e.getMessage() + ")");
                    }
                }
            }
            TimeUnit.SECONDS.sleep(warmupS);

            long errorsBefore = Leg.ERRORS.get();
            long backlogBefore = Leg.BACKLOG.get();
            long framesBefore = Leg.FRAMES_SENT.get();
            long gatewayCpuBefore = gateway == null ? 0 : gateway.cpuMillis();
            long benchCpuBefore = ServiceProcesses.cpuMillis(ProcessHandle.current().pid());
            long start = System.nanoTime();
            var windowStart = Instant.now();
            latency.open(windowStart);
            TimeUnit.SECONDS.sleep(measureS);
            latency.close(Instant.now());
            double seconds = (System.nanoTime() - start) / 1e9;
            long frames = Leg.FRAMES_SENT.get() - framesBefore;
            double gatewayCpu = gateway == null ? Double.NaN
                    : (gateway.cpuMillis() - gatewayCpuBefore) / 10.0 / seconds;
            double benchCpu = (ServiceProcesses.cpuMillis(ProcessHandle.current().pid()) - benchCpuBefore) / 10.0
                    / seconds;
            TimeUnit.MILLISECONDS.sleep(1000); // records of the window's last frames
            var p = latency.percentiles();
            long held = legs.stream().filter(Leg::isOpen).count();
            double rss = gateway == null ? Double.NaN : gateway.rssMiB();
            var metrics = metrics(gatewayUrl);
            System.out.printf("| %d | %d (gateway gauge %s) | %.0f | %.0f | %s | %s | %.0f%% | %.0f | %.1f MiB | %.0f%% | "
                            + "%s | %d | %d |%n",
                    level, held, metrics.getOrDefault("sessions", "?"), frames / seconds, p[0].records() / seconds,
                    p[0], p[1], gatewayCpu, rss, (rss - baselineRss) / (legs.size() / 100.0), benchCpu,
                    loadAverage(), Leg.ERRORS.get() - errorsBefore, Leg.BACKLOG.get() - backlogBefore);
            if (failed > 0) {
                System.out.println("  (" + failed + " legs did not open)");
            }
            if (!latency.logAppendTime()) {
                System.out.println("  (voice.audio uses CreateTime: 'to topic' is the producer's send time)");
            }
            if (Leg.ERRORS.get() > errorsBefore) {
                System.out.println("  last error event: " + Leg.lastError);
            }
        }
        pacer.shutdownNow();
        legs.forEach(Leg::close);
        latency.close();
    }

    /** {@code voice.audio} stamps records with the broker's append time: "on the topic" is then exact. */
    private static void useLogAppendTime(String bootstrap) throws Exception {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUDIO);
            var op = new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                    AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> metrics(URI gateway) {
        try {
            var body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.resolve("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            var out = new java.util.HashMap<String, String>();
            for (var line : body.split("\n")) {
                if (line.startsWith("voicecoach_gateway_sessions_open")) {
                    out.put("sessions", line.substring(line.lastIndexOf(' ') + 1).replaceAll("\\.0$", ""));
                }
            }
            return out;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static String loadAverage() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private GatewayBench() {
    }
}
