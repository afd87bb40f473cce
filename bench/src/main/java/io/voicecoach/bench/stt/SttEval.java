package io.voicecoach.bench.stt;

import io.voicecoach.devstack.EmbeddedKafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Speech-to-text evaluation: runs the corpus {@link SpeechCorpus} wrote through the packaged transcription-service
 * (its own JVM on an embedded Kafka broker, audio on {@code voice.audio}, transcripts read back from
 * {@code voice.transcripts}), once per available engine with and without the phrase list, and prints WER, RTF,
 * first-partial and final latency, the concurrent real-time streams one instance sustains, and memory.
 * See bench/README.md for the settings and how each figure is measured.
 */
public final class SttEval {

    record Utterance(String id, String group, String voice, int wpm, String noise, long ms, String text, byte[] pcm) {
    }

    /** An engine with or without the phrase list; each condition is its own tenant in the service's config. */
    record Condition(String engine, boolean phrases) {
        String tenant() {
            return "eval-" + engine + (phrases ? "-phrases" : "");
        }

        String label() {
            return engine + (phrases ? " + phrases" : "");
        }
    }

    record Accuracy(Condition condition, Wer wer, double wallRtf, double cpuRtf, int failed, long peakJvmMb,
                    long peakTreeMb, Map<String, Wer> byVoice, Map<String, Wer> byNoise, Map<String, Wer> byGroup) {
    }

    record Latency(Condition condition, List<Long> firstPartialMs, List<Long> finalMs, int utterances, int failed) {
    }

    record Load(int streams, int utterances, int lost, long lagP50Ms, long lagP95Ms, double lagRatioP95,
                long lagGrowthMs, double cpuRtf, long peakTreeMb, boolean keepsUp) {
    }

    private static final Duration FINAL_TIMEOUT = Duration.ofSeconds(60);
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    public static void main(String[] args) throws Exception {
        Path corpusDir = Path.of(System.getProperty("eval.corpus", SpeechCorpus.defaultDir().toString()));
        if (!Files.isRegularFile(corpusDir.resolve(SpeechCorpus.MANIFEST))) {
            System.err.println("no corpus in " + corpusDir + ": run io.voicecoach.bench.stt.SpeechCorpus first "
                    + "(see bench/README.md)");
            System.exit(2);
        }
        var corpus = readCorpus(corpusDir);
        var engines = engines();
        if (engines.isEmpty()) {
            System.err.println("no engine can run here");
            System.exit(2);
        }
        var phrases = phraseList();
        var properties = serviceProperties(engines, phrases);
        var modulesDir = modulesDir();
        System.out.printf("corpus: %d utterances, %.1f s of audio, %s; engines %s; phrase list %d phrases; %d cores, "
                        + "load average at start %s%n", corpus.size(), corpus.stream().mapToLong(Utterance::ms).sum() / 1000.0,
                corpusDir, engines, phrases.size(), CORES, loadAverage());

        var accuracy = new ArrayList<Accuracy>();
        var latency = new ArrayList<Latency>();
        var load = new ArrayList<Load>();
        var log = Path.of(System.getProperty("eval.log", "target/stt-eval/transcription-service.log")).toAbsolutePath();
        try (var kafka = EmbeddedKafka.startEphemeral();
             var service = TranscriptionProcess.start(modulesDir, kafka.bootstrapServers(), properties, log);
             var tap = new TranscriptTap(kafka.bootstrapServers());
             var feed = new AudioFeed(kafka.bootstrapServers())) {
            System.out.println("transcription-service up, log " + service.log());
            var run = new Run(corpus, service, tap, feed);
            for (String engine : engines) {
                for (boolean withPhrases : List.of(false, true)) {
                    var condition = new Condition(engine, withPhrases);
                    run.warmUp(condition);
                    accuracy.add(run.accuracy(condition));
                    latency.add(run.latency(condition, Integer.getInteger("eval.latency-utterances", 16)));
                }
            }
            if (engines.contains("pocketsphinx")) {
                for (int streams : integers(System.getProperty("eval.streams", "1,2,4,6,8,10,12,16"))) {
                    var result = run.load(new Condition("pocketsphinx", true), streams);
                    load.add(result);
                    if (!result.keepsUp()) {
                        break;
                    }
                }
            }
        }
        Report.print(accuracy, latency, load, CORES, loadAverage());
    }

    /** The measurements against one running service. */
    private record Run(List<Utterance> corpus, TranscriptionProcess service, TranscriptTap tap, AudioFeed feed) {

        void warmUp(Condition condition) {
            String session = session(condition, "warmup");
            long offset = 0;
            for (var utterance : corpus.subList(0, 3)) {
                feed.send(condition.tenant(), session, utterance.id(), offset, utterance.pcm(), false);
                tap.awaitFinal(session, utterance.id(), FINAL_TIMEOUT);
                offset += utterance.ms() + 500;
            }
        }

        /** Every utterance, one at a time, audio sent as fast as Kafka takes it: WER and processing speed. */
        Accuracy accuracy(Condition condition) {
            String session = session(condition, "accuracy");
            service.resetPeaks();
            double cpuBefore = service.cpuSeconds();
            long processingNanos = 0;
            long audioMs = 0;
            int failed = 0;
            var total = Wer.ZERO;
            var byVoice = new TreeMap<String, Wer>();
            var byNoise = new TreeMap<String, Wer>();
            var byGroup = new TreeMap<String, Wer>();
            long offset = 0;
            for (var utterance : corpus) {
                var sent = feed.send(condition.tenant(), session, utterance.id(), offset, utterance.pcm(), false);
                offset += utterance.ms() + 500;
                var outcome = tap.awaitFinal(session, utterance.id(), FINAL_TIMEOUT);
                String hypothesis = outcome.map(o -> o.text).orElse("");
                if (outcome.isEmpty() || outcome.get().failure != null) {
                    failed++;
                    System.out.printf("  %s %s: no transcript (%s)%n", condition.label(), utterance.id(),
                            outcome.map(o -> o.failure).orElse("timed out"));
                } else {
                    processingNanos += outcome.get().finalNanos - sent.firstChunkNanos();
                    audioMs += utterance.ms();
                }
                var wer = Wer.of(utterance.text(), hypothesis);
                total = total.plus(wer);
                byVoice.merge(utterance.voice(), wer, Wer::plus);
                byNoise.merge(utterance.noise(), wer, Wer::plus);
                byGroup.merge(utterance.group(), wer, Wer::plus);
                if (Boolean.getBoolean("eval.verbose")) {
                    System.out.printf("  %-28s %s %-8s %-10s %3.0f%%  [%s] -> [%s]%n", condition.label(),
                            utterance.id(), utterance.voice(), utterance.noise(), 100 * wer.rate(), utterance.text(),
                            hypothesis);
                }
            }
            double cpu = service.cpuSeconds() - cpuBefore;
            long[] peak = service.peakRssMb();
            double allAudioSeconds = corpus.stream().mapToLong(Utterance::ms).sum() / 1000.0;
            var result = new Accuracy(condition, total, audioMs == 0 ? Double.NaN : processingNanos / 1e6 / audioMs,
                    cpu / allAudioSeconds, failed, peak[0], peak[1], byVoice, byNoise, byGroup);
            System.out.printf("%-28s WER %5.1f%% (%d/%d words), wall RTF %.2f, CPU RTF %.2f, %d failed, load %s%n",
                    condition.label(), 100 * total.rate(), total.errors(), total.referenceWords(), result.wallRtf(),
                    result.cpuRtf(), failed, loadAverage());
            return result;
        }

        /** The first {@code count} utterances streamed at real-time pace, one at a time: partial and final latency. */
        Latency latency(Condition condition, int count) {
            String session = session(condition, "latency");
            var firstPartial = new ArrayList<Long>();
            var finals = new ArrayList<Long>();
            int failed = 0;
            long offset = 0;
            var subset = corpus.subList(0, Math.min(count, corpus.size()));
            for (var utterance : subset) {
                var sent = feed.send(condition.tenant(), session, utterance.id(), offset, utterance.pcm(), true);
                offset += utterance.ms() + 500;
                var outcome = tap.awaitFinal(session, utterance.id(), FINAL_TIMEOUT);
                if (outcome.isEmpty() || outcome.get().failure != null) {
                    failed++;
                    continue;
                }
                finals.add(TimeUnit.NANOSECONDS.toMillis(outcome.get().finalNanos - sent.commitNanos()));
                if (outcome.get().firstPartialNanos != 0) {
                    firstPartial.add(TimeUnit.NANOSECONDS.toMillis(outcome.get().firstPartialNanos
                            - sent.firstChunkNanos()));
                }
            }
            var result = new Latency(condition, firstPartial, finals, subset.size(), failed);
            System.out.printf("%-28s final latency p50 %d ms p95 %d ms; first partial in %d of %d utterances, "
                            + "p50 %d ms after the first chunk; load %s%n", condition.label(), percentile(finals, 50),
                    percentile(finals, 95), firstPartial.size(), subset.size(), percentile(firstPartial, 50),
                    loadAverage());
            return result;
        }

        /**
         * {@code streams} sessions at once, each streaming four utterances at real-time pace with 400 ms pauses, the
         * way calls arrive. Keeps up when every final arrives, the commit -> final lag stays within the utterance's
         * length (DESIGN.md's budget) at p95, and no stream's lag grows by more than a second over its call.
         */
        Load load(Condition condition, int streams) {
            int perStream = 4;
            service.resetPeaks();
            double cpuBefore = service.cpuSeconds();
            var lags = new CopyOnWriteArrayList<long[]>(); // {stream, index, lagMs, utteranceMs}
            var lost = new CopyOnWriteArrayList<String>();
            var threads = new ArrayList<Thread>();
            long audioMs = 0;
            String round = UUID.randomUUID().toString().substring(0, 6);
            for (int s = 0; s < streams; s++) {
                var script = new ArrayList<Utterance>();
                for (int i = 0; i < perStream; i++) {
                    script.add(corpus.get((s * perStream + i) % corpus.size()));
                }
                audioMs += script.stream().mapToLong(Utterance::ms).sum();
                int stream = s;
                String session = "sess-load-" + streams + "-" + stream + "-" + round;
                threads.add(Thread.ofPlatform().name("stream-" + s).start(() -> {
                    var sent = new ArrayList<AudioFeed.Sent>();
                    long offset = 0;
                    long start = System.nanoTime();
                    Pause.millis(stream * 137L % 1000); // calls do not start in lockstep
                    for (var utterance : script) {
                        sent.add(feed.send(condition.tenant(), session, utterance.id(), offset, utterance.pcm(), true));
                        offset += utterance.ms() + 400;
                        Pause.until(start + TimeUnit.MILLISECONDS.toNanos(offset));
                    }
                    for (int i = 0; i < script.size(); i++) {
                        var outcome = tap.awaitFinal(session, script.get(i).id(), FINAL_TIMEOUT);
                        if (outcome.isEmpty() || outcome.get().failure != null) {
                            lost.add(session + "/" + script.get(i).id());
                        } else {
                            lags.add(new long[]{stream, i, TimeUnit.NANOSECONDS.toMillis(
                                    outcome.get().finalNanos - sent.get(i).commitNanos()), script.get(i).ms()});
                        }
                    }
                }));
            }
            for (var thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            double cpu = service.cpuSeconds() - cpuBefore;
            var lagMs = lags.stream().map(l -> l[2]).toList();
            var ratios = lags.stream().map(l -> (double) l[2] / l[3]).sorted().toList();
            double ratioP95 = ratios.isEmpty() ? Double.NaN
                    : ratios.get(Math.max(0, (int) Math.ceil(0.95 * ratios.size()) - 1));
            long growth = 0;
            for (int s = 0; s < streams; s++) {
                int stream = s;
                var ofStream = lags.stream().filter(l -> l[0] == stream).sorted((a, b) -> Long.compare(a[1], b[1]))
                        .toList();
                if (ofStream.size() >= 2) {
                    growth = Math.max(growth, ofStream.getLast()[2] - ofStream.getFirst()[2]);
                }
            }
            boolean keepsUp = lost.isEmpty() && ratioP95 <= 1.0 && growth <= 1000;
            var result = new Load(streams, streams * perStream, lost.size(), percentile(lagMs, 50),
                    percentile(lagMs, 95), ratioP95, growth, cpu / (audioMs / 1000.0), service.peakRssMb()[1], keepsUp);
            System.out.printf("%2d streams: %d utterances, %d lost, lag p50 %d ms p95 %d ms (p95 %.2f x utterance), "
                            + "lag growth %d ms, CPU RTF per stream %.2f, peak RSS %d MB -> %s; load %s%n", streams,
                    result.utterances(), result.lost(), result.lagP50Ms(), result.lagP95Ms(), ratioP95, growth,
                    result.cpuRtf(), result.peakTreeMb(), keepsUp ? "keeps up" : "falls behind", loadAverage());
            return result;
        }

        private static String session(Condition condition, String pass) {
            return "sess-" + condition.tenant() + "-" + pass + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    /** Engines to run: {@code eval.engines}, those that cannot run here are skipped with the reason. */
    private static List<String> engines() {
        var requested = Arrays.stream(System.getProperty("eval.engines", "pocketsphinx,openai-compatible").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        var engines = new ArrayList<String>();
        for (String engine : requested) {
            switch (engine) {
                case "pocketsphinx" -> {
                    if (Tools.onPath("pocketsphinx_continuous")) {
                        engines.add(engine);
                    } else {
                        System.out.println("skipping pocketsphinx: apt-get install pocketsphinx pocketsphinx-en-us");
                    }
                }
                case "openai-compatible" -> {
                    if (System.getProperty("eval.openai.url") != null) {
                        engines.add(engine);
                    } else {
                        System.out.println("skipping openai-compatible: no server, set -Deval.openai.url=... "
                                + "(and -Deval.openai.key, -Deval.openai.model)");
                    }
                }
                default -> engines.add(engine); // e.g. whisper: its settings come through eval.service-properties
            }
        }
        if (!requested.contains("whisper")) {
            System.out.println("skipping whisper: needs a ggml model file, and no registry reachable here ships one; "
                    + "add it to -Deval.engines with its model setting in -Deval.service-properties when you have one");
        }
        if (!requested.contains("deepgram")) {
            System.out.println("skipping deepgram: a paid cloud service, needs an API key and network access");
        }
        return engines;
    }

    private static Map<String, String> serviceProperties(List<String> engines, List<String> phrases) {
        var properties = new LinkedHashMap<String, String>();
        for (String engine : engines) {
            // tenant ids of the harness have no dots, so the map key needs no quotes
            properties.put("voicecoach.stt.tenants." + new Condition(engine, false).tenant() + ".engine", engine);
            properties.put("voicecoach.stt.tenants." + new Condition(engine, true).tenant() + ".engine", engine);
            properties.put("voicecoach.stt.tenants." + new Condition(engine, true).tenant() + ".phrases",
                    String.join(",", phrases));
        }
        if (engines.contains("openai-compatible")) {
            properties.put("voicecoach.stt.openai.base-url", System.getProperty("eval.openai.url"));
            properties.put("voicecoach.stt.openai.api-key",
                    System.getProperty("eval.openai.key", System.getenv().getOrDefault("OPENAI_API_KEY", "none")));
            properties.put("voicecoach.stt.openai.model", System.getProperty("eval.openai.model", "whisper-1"));
        }
        // enough decoders for the largest concurrency step; 8 (the default) would queue streams beyond it
        properties.put("voicecoach.stt.pocketsphinx.max-decoders", "32");
        // the accuracy pass sends a session's whole corpus as fast as Kafka takes it: no audio-rate limit
        properties.put("voicecoach.stt.max-audio-rate", "0");
        for (String pair : System.getProperty("eval.service-properties", "").split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                properties.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            }
        }
        return properties;
    }

    static List<String> phraseList() throws IOException {
        try (var in = SttEval.class.getResourceAsStream("/stt/phrase-list.txt")) {
            return new BufferedReader(new InputStreamReader(Objects.requireNonNull(in, "stt/phrase-list.txt"),
                    StandardCharsets.UTF_8)).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    static List<Utterance> readCorpus(Path dir) throws IOException {
        var utterances = new ArrayList<Utterance>();
        var lines = Files.readAllLines(dir.resolve(SpeechCorpus.MANIFEST), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            var f = line.split("\t", 7);
            utterances.add(new Utterance(f[0], f[1], f[2], Integer.parseInt(f[3]), f[4], Long.parseLong(f[5]), f[6],
                    Tools.wavSamples(dir.resolve(f[0] + ".wav"))));
        }
        return utterances;
    }

    /** {@code eval.modules-dir}, else the nearest folder above the working directory holding transcription-service. */
    private static Path modulesDir() {
        String configured = System.getProperty("eval.modules-dir");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("transcription-service"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find transcription-service; set -Deval.modules-dir");
    }

    private static List<Integer> integers(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::parseInt)
                .toList();
    }

    static long percentile(List<Long> values, int percent) {
        if (values.isEmpty()) {
            return -1;
        }
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** The tables. */
    static final class Report {

        static void print(List<Accuracy> accuracy, List<Latency> latency, List<Load> load, int cores, String loadAvg) {
            System.out.println();
            System.out.println("| engine | WER | WER clean / noisy | wall RTF | CPU RTF | failed | first partial p50 (n) | "
                    + "final latency p50 / p95 | peak RSS JVM / with decoders |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (var a : accuracy) {
                var l = latency.stream().filter(x -> x.condition().equals(a.condition())).findFirst().orElseThrow();
                var noisy = a.byNoise().entrySet().stream().filter(e -> !e.getKey().equals("clean"))
                        .map(Map.Entry::getValue).reduce(Wer.ZERO, Wer::plus);
                System.out.printf(Locale.ROOT, "| %s | %.1f%% | %.1f%% / %.1f%% | %.2f | %.2f | %d | %s | %d / %d ms | "
                                + "%d / %d MB |%n", a.condition().label(), 100 * a.wer().rate(),
                        100 * a.byNoise().getOrDefault("clean", Wer.ZERO).rate(), 100 * noisy.rate(), a.wallRtf(),
                        a.cpuRtf(), a.failed(), l.firstPartialMs().isEmpty() ? "none"
                                : percentile(l.firstPartialMs(), 50) + " ms (" + l.firstPartialMs().size() + "/"
                                + l.utterances() + ")", percentile(l.finalMs(), 50), percentile(l.finalMs(), 95),
                        a.peakJvmMb(), a.peakTreeMb());
            }
            breakdown("WER by voice", accuracy, Accuracy::byVoice);
            breakdown("WER by noise", accuracy, Accuracy::byNoise);
            breakdown("WER by utterance group", accuracy, Accuracy::byGroup);
            if (!load.isEmpty()) {
                System.out.println();
                System.out.println("| streams | utterances | lost | lag p50 / p95 | lag p95 / utterance | lag growth | "
                        + "CPU RTF per stream | peak RSS | verdict |");
                System.out.println("|---|---|---|---|---|---|---|---|---|");
                for (var l : load) {
                    System.out.printf(Locale.ROOT, "| %d | %d | %d | %d / %d ms | %.2f | %d ms | %.2f | %d MB | %s |%n",
                            l.streams(), l.utterances(), l.lost(), l.lagP50Ms(), l.lagP95Ms(), l.lagRatioP95(),
                            l.lagGrowthMs(), l.cpuRtf(), l.peakTreeMb(), l.keepsUp() ? "keeps up" : "falls behind");
                }
                int sustained = load.stream().filter(Load::keepsUp).mapToInt(Load::streams).max().orElse(0);
                System.out.printf("sustained: %d concurrent real-time streams (pocketsphinx + phrases) on %d cores%n",
                        sustained, cores);
            }
            System.out.println("load average at the end: " + loadAvg);
        }

        private static void breakdown(String title, List<Accuracy> accuracy, Function<Accuracy, Map<String, Wer>> by) {
            var keys = accuracy.stream().flatMap(a -> by.apply(a).keySet().stream()).distinct().sorted().toList();
            System.out.println();
            System.out.println("| " + title + " | " + String.join(" | ", keys) + " |");
            System.out.println("|---" + "|---".repeat(keys.size()) + "|");
            for (var a : accuracy) {
                var cells = keys.stream().map(k -> String.format(Locale.ROOT, "%.1f%%",
                        100 * by.apply(a).getOrDefault(k, Wer.ZERO).rate())).toList();
                System.out.println("| " + a.condition().label() + " | " + String.join(" | ", cells) + " |");
            }
        }
    }

    private SttEval() {
    }
}
