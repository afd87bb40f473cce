package io.voicecoach.gateway.audio;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both VAD engines (energy and Silero) on real synthesized speech (espeak-ng), with silences and white noise mixed by
 * sox. Ground truth: the speech segments of the clean signal (20 ms frames above -50 dBFS, gaps under the silence
 * duration merged). Tolerances: start within 100 ms, end within 200 ms of the truth, no missed or extra utterance.
 */
class SynthesizedSpeechVadTest {

    private static SileroModel silero;

    private static final String[] PHRASES = {
            "Honestly the price is too high for us this quarter.",
            "We already work with another vendor and we are happy with them.",
            "Can you send me the contract by Friday?"};

    @TempDir
    static Path dir;

    @BeforeAll
    static void synthesize() throws Exception {
        assumeTrue(onPath("espeak-ng") && onPath("sox"), "install espeak-ng and sox to run the VAD on real speech");
        var parts = new ArrayList<String>();
        for (int i = 0; i < PHRASES.length; i++) {
            run("espeak-ng", "-v", "en-us", "-s", "160", "-w", dir.resolve("p" + i + ".wav").toString(), PHRASES[i]);
            run("sox", dir.resolve("p" + i + ".wav").toString(), "-r", "16000", "-c", "1", "-b", "16",
                    dir.resolve("s" + i + ".wav").toString(), "pad", "1.5", "0");
            parts.add(dir.resolve("s" + i + ".wav").toString());
        }
        var concat = new ArrayList<>(List.of("sox"));
        concat.addAll(parts);
        concat.addAll(List.of(dir.resolve("clean.wav").toString(), "pad", "0", "1.5"));
        run(concat.toArray(String[]::new));
        run("sox", dir.resolve("clean.wav").toString(), "-t", "raw", "-e", "signed-integer", "-b", "16", "-L",
                dir.resolve("clean.raw").toString());
    }

    @AfterAll
    static void closeModel() {
        if (silero != null) {
            silero.close();
        }
    }

    static Stream<Arguments> enginesAndNoise() {
        return Stream.of("energy", "silero").flatMap(engine -> Stream.of("0", "0.005", "0.02", "0.05")
                .map(volume -> Arguments.of(engine, volume)));
    }

    private static TurnDetectors engine(String name) {
        if (name.equals("energy")) {
            return TurnDetectors.energy(TurnDetector.VadTuning.DEFAULT);
        }
        var model = SileroModelFile.fetch();
        assumeTrue(model.isPresent(), SileroModelFile.MISSING);
        if (silero == null) {
            silero = SileroModel.load(model.get(), 1);
        }
        return settings -> new TurnDetector(settings, new SileroClassifier(silero),
                TurnDetector.VadTuning.DEFAULT.minSpeechMs());
    }

    @ParameterizedTest(name = "{0} engine, white noise at sox vol {1}")
    @MethodSource("enginesAndNoise")
    void findsEachSentenceOnceAtTheRightTime(String engine, String noiseVolume) throws Exception {
        var detectors = engine(engine);
        var clean = read(dir.resolve("clean.raw"));
        var audio = noiseVolume.equals("0") ? clean : mixNoise(noiseVolume, clean.length);
        var truth = segments(clean, TurnDetection.DEFAULT.silenceDurationMs());
        assertThat(truth).hasSize(PHRASES.length);

        var recorder = Recorder.run(audio, TurnDetection.DEFAULT, detectors);

        var starts = recorder.ofKind("started");
        var stops = recorder.ofKind("stopped");
        double snr = Signals.db(Signals.rms(clean, 0, clean.length) / Math.max(1e-9,
                noiseRms(audio, clean)));
        var report = new StringBuilder(engine + " VAD on espeak-ng speech, noise vol " + noiseVolume + String.format(
                " (overall SNR %.1f dB):", snr));
        assertThat(starts).as("utterances found").hasSize(truth.size());
        assertThat(stops).hasSize(truth.size());
        for (int i = 0; i < truth.size(); i++) {
            long detectedStart = starts.get(i).ms() + TurnDetection.DEFAULT.prefixPaddingMs();
            long detectedEnd = stops.get(i).ms() - TurnDetection.DEFAULT.silenceDurationMs();
            long startError = detectedStart - truth.get(i)[0];
            long endError = detectedEnd - truth.get(i)[1];
            report.append(String.format(" [%d: start %+d ms, end %+d ms]", i, startError, endError));
            assertThat(Math.abs(startError)).as("start error of utterance " + i).isLessThanOrEqualTo(100);
            assertThat(Math.abs(endError)).as("end error of utterance " + i).isLessThanOrEqualTo(200);
        }
        System.out.println(report);
    }

    private static short[] mixNoise(String volume, int samples) throws Exception {
        var noise = dir.resolve("noise-" + volume + ".wav");
        run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", noise.toString(), "synth",
                String.format("%.3f", samples / 16000.0), "whitenoise", "vol", volume);
        var mixed = dir.resolve("mixed-" + volume + ".raw");
        run("sox", "-m", "-v", "1", dir.resolve("clean.wav").toString(), "-v", "1", noise.toString(),
                "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", mixed.toString());
        return read(mixed);
    }

    private static double noiseRms(short[] audio, short[] clean) {
        double energy = 0;
        int n = Math.min(audio.length, clean.length);
        for (int i = 0; i < n; i++) {
            double d = audio[i] - clean[i];
            energy += d * d;
        }
        return Math.sqrt(energy / n);
    }

    /** [startMs, endMs] of speech in a clean signal. */
    private static List<long[]> segments(short[] clean, int mergeGapMs) {
        var segments = new ArrayList<long[]>();
        int frame = EnergyClassifier.FRAME_SAMPLES;
        for (int at = 0; at + frame <= clean.length; at += frame) {
            if (EnergyClassifier.levelDbfs(clean, at, frame) < -50) {
                continue;
            }
            long start = at / 16;
            long end = start + EnergyClassifier.FRAME_MS;
            if (!segments.isEmpty() && start - segments.getLast()[1] < mergeGapMs) {
                segments.getLast()[1] = end;
            } else {
                segments.add(new long[] {start, end});
            }
        }
        return segments;
    }

    private static short[] read(Path raw) throws IOException {
        var buffer = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        var samples = new short[buffer.remaining()];
        buffer.get(samples);
        return samples;
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder("which", tool).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
