package io.voicecoach.bench.load;

import io.voicecoach.devstack.SampleCall;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline under load: N simulated calls through the gateway's public Realtime WebSocket, level after level,
 * with a live progress line, a table per level and the curve at the end, written as JSON (and a PNG of the curve when
 * there are several levels). Run by hand ({@code bench/load}, docs/benchmarks.md); never by {@code verify}.
 */
public final class LoadBench {

    /** Target CPU of a pod in the capacity model: headroom for bursts, GC and a replacement's catch-up. */
    static final double POD_UTILISATION = 0.65;

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("bench/load: " + e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(run(options));
        } catch (IllegalStateException e) {
            System.err.println("bench/load: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(LoadOptions options) throws Exception {
        var script = Script.of(options.mode());
        List<TurnAudio> audio = List.of();
        if (options.input() == LoadOptions.Input.SPEECH) {
            var missing = SpeechCache.missingTools();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("speech input needs " + missing + " (" + SpeechCache.INSTALL
                        + "), or use --input text");
            }
            audio = TurnAudio.synthesize(script, new SpeechCache(options.speechCache()));
            double seconds = audio.stream().mapToInt(TurnAudio::frameCount).sum() * AppendFrames.FRAME_MS / 1000.0;
            System.out.printf("speech: %d turns, %.1f s of espeak-ng speech (rep %s, customer %s), cached in %s%n",
                    audio.size(), seconds, Script.AGENT_VOICE, Script.CUSTOMER_VOICE, options.speechCache());
        }
        SuiteStarter suite = null;
        DeliveryTap deliveries = null;
        try {
            long readyNanos = System.nanoTime();
            if (options.startSuite()) {
                System.out.println("starting the suite: ./voicecoach up " + String.join(" ", options.suiteArgs())
                        + " (log " + options.home().resolve("bench/target/load/suite.log") + ")");
                long start = System.nanoTime();
                suite = SuiteStarter.up(options.home(), options.suiteArgs(),
                        options.home().resolve("bench/target/load/suite.log"), Duration.ofMinutes(20));
                readyNanos = System.nanoTime();
                System.out.printf("suite ready after %.1f s%n", (readyNanos - start) / 1e9);
            }
            checkGateway(options);
            boolean local = LoadOptions.isLocal(options.gateway());
            var processes = ProcessTable.discover(local ? options.home() : Path.of("/nonexistent"));
            var gatewayMetrics = new ArrayList<URI>();
            processes.ports("gateway-service").forEach(port ->
                    gatewayMetrics.add(URI.create("http://127.0.0.1:" + port + "/q/metrics")));
            if (gatewayMetrics.isEmpty()) {
                gatewayMetrics.add(URI.create(options.realtimeUrl().toString().replaceFirst("^ws", "http")
                        .replace("/v1/realtime", "/q/metrics")));
            }
            if (options.kafka().isPresent()) {
                try {
                    deliveries = new DeliveryTap(options.kafka().get());
                } catch (RuntimeException e) {
                    System.out.println("(Kafka at " + options.kafka().get() + " not readable, suggestion.delivered "
                            + "receipts are not read: " + e.getMessage() + ")");
                }
            }
            String runId = "load_" + UUID.randomUUID().toString().substring(0, 8);
            var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            var plan = CallPlan.of(options, http, script, audio, "rep_" + runId);
            var probe = new LevelRun.SuiteProbe(processes, gatewayMetrics, deliveries, readyNanos, suite != null);
            var run = describe(options, processes, runId);
            System.out.println("run " + runId + ": " + run);
            if (suite != null) {
                if (options.jfr().isPresent()) {
                    Profiler.start(processes, options.jfr().get(), 30, "cold-probe")
                            .forEach(file -> System.out.println("  JFR of the cold probes: " + file));
                }
                var first = ColdProbe.run(options, http, plan.repId(), readyNanos);
                var second = ColdProbe.run(options, http, plan.repId(), readyNanos);
                System.out.println("first typed objection after the suite was ready: " + ColdProbe.describe(first));
                System.out.println("the same on a second new session:                " + ColdProbe.describe(second));
                run.put("coldProbe", List.of(first, second));
            }

            var results = new ArrayList<LevelResult>();
            for (int calls : options.levels()) {
                var level = new LevelRun(options, plan, probe, runId + "_" + calls).run(calls, results.isEmpty());
                Report.level(level, plan.speech(), System.out);
                results.add(level);
                Report.write(options.json(), run, results, null);
                if (level.bound() != null) {
                    break;
                }
                TimeUnit.SECONDS.sleep(5);
            }
            Report.curve(results, plan.agent(), System.out);
            CapacityModel capacity = null;
            if (CapacityModel.fits(results)) {
                capacity = CapacityModel.of(results, options.sizeFor(), options.podCores(), POD_UTILISATION,
                        options.partitions());
                capacity.print(System.out);
            } else {
                System.out.println("(no capacity model: it needs two or more levels to see what a call costs)");
            }
            Report.write(options.json(), run, results, capacity);
            System.out.println();
            System.out.println("results: " + options.json());
            if (results.size() > 1) {
                var png = Path.of(options.json().toString().replaceAll("\\.json$", "") + ".png");
                ScalingChart.write(results, plan.agent(), png);
                System.out.println("curve: " + png);
            }
            return 0;
        } finally {
            if (deliveries != null) {
                deliveries.close();
            }
            if (suite != null) {
                System.out.println("stopping the suite ...");
                suite.close();
            }
        }
    }

    private static void checkGateway(LoadOptions options) {
        int status = SampleCall.handshakeStatus(options.realtimeUrl(), options.apiKey());
        if (status == -1) {
            throw new IllegalStateException("no gateway answers at " + options.realtimeUrl() + ": start the suite ("
                    + "VOICECOACH_LIMITS_SESSIONS_PER_TENANT=100000 ./voicecoach up) or pass --start-suite or --url");
        }
        if (status != 101) {
            throw new IllegalStateException("the gateway refused the API key (HTTP " + status + "): pass --api-key");
        }
    }

    private static Map<String, Object> describe(LoadOptions options, ProcessTable processes, String runId) {
        var run = new LinkedHashMap<String, Object>();
        run.put("id", runId);
        run.put("started", Instant.now().toString());
        run.put("gateway", options.realtimeUrl().toString());
        run.put("mode", options.mode().name().toLowerCase());
        run.put("input", options.input().name().toLowerCase());
        run.put("legs", options.legs());
        run.put("levels", options.levels());
        run.put("rampUpS", options.rampUp().toSeconds());
        run.put("steadyS", options.steady().toSeconds());
        run.put("silenceMs", options.silenceMs());
        run.put("gapMs", options.gapMs());
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("loadAverageAtStart", String.format("%.1f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        run.put("java", System.getProperty("java.version"));
        var found = new TreeMap<String, Integer>();
        processes.members().forEach(member -> found.merge(member.service(), 1, Integer::sum));
        run.put("processes", found);
        return run;
    }

    private LoadBench() {
    }
}
