package io.voicecoach.bench.vad;

import io.voicecoach.bench.load.AppendFrames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 16 kHz track of espeak-ng sentences separated by silences, with the true speech segment of each sentence
 * (first to last 20 ms frame above -50 dBFS of the sentence on its own), and noise mixed in by sox.
 */
public record SpeechTrack(short[] clean, List<long[]> truth, Path dir) {

    static final int RATE = 16000;

    private static final String[][] SENTENCES = {
            {"en-us", "160", "Honestly the price is too high for us this quarter."},
            {"en-gb", "150", "We already work with another vendor and we are happy with them."},
            {"en-us+f3", "170", "Can you send me the contract by Friday?"},
            {"en-us", "140", "I need to talk to my manager before we sign anything."},
            {"en-gb+m3", "165", "What kind of warranty comes with the extended plan?"},
            {"en-us+f2", "155", "That sounds interesting, tell me more about the onboarding."},
            {"en-us", "175", "No."},
            {"en-gb", "160", "We looked at this last year and the timing was not right."},
            {"en-us+m2", "150", "How long does the installation usually take?"},
            {"en-us+f4", "165", "Okay, let's book a demo for next Tuesday afternoon."},
            {"en-gb+f3", "145", "Our budget is already allocated until January."},
            {"en-us", "170", "Sure, thanks."},
    };
    private static final double[] GAPS_S = {0.7, 1.2, 2.0, 0.9, 1.5, 1.0};

    static long voices() {
        return Arrays.stream(SENTENCES).map(s -> s[0]).distinct().count();
    }

    /** Synthesizes the sentences into {@code dir}. */
    public static SpeechTrack synthesize(Path dir) throws Exception {
        var parts = new ArrayList<short[]>();
        var truth = new ArrayList<long[]>();
        long at = RATE; // 1 s of leading silence
        parts.add(new short[RATE]);
        for (int i = 0; i < SENTENCES.length; i++) {
            var wav = dir.resolve("s" + i + ".wav");
            var raw = dir.resolve("s" + i + ".raw");
            run("espeak-ng", "-v", SENTENCES[i][0], "-s", SENTENCES[i][1], "-w", wav.toString(), SENTENCES[i][2]);
            run("sox", wav.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L",
                    "-t", "raw", raw.toString());
            var sentence = read(raw);
            var extent = AppendFrames.speechExtent(sentence, RATE);
            truth.add(new long[] {(at + extent[0]) * 1000 / RATE, (at + extent[1]) * 1000 / RATE});
            parts.add(sentence);
            at += sentence.length;
            int gap = (int) (GAPS_S[i % GAPS_S.length] * RATE);
            parts.add(new short[gap]);
            at += gap;
        }
        parts.add(new short[RATE / 2]);
        var clean = concat(parts);
        write(dir.resolve("clean.raw"), clean);
        return new SpeechTrack(clean, truth, dir);
    }

    /** The clean track with sox {@code whitenoise} or {@code pinknoise} mixed in at {@code snrDb} (over speech). */
    public short[] withNoise(String colour, double snrDb) throws Exception {
        var noise = dir.resolve(colour + ".raw");
        if (!Files.exists(noise)) {
            run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-t", "raw",
                    noise.toString(), "synth", String.format("%.3f", clean.length / (double) RATE), colour, "vol", "0.1");
        }
        double noiseRms = rms(read(noise));
        double gain = speechRms() / noiseRms / Math.pow(10, snrDb / 20);
        var mixed = dir.resolve(colour + "-" + snrDb + ".raw");
        run("sox", "-m", "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-v", "1",
                dir.resolve("clean.raw").toString(),
                "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-v",
                String.format("%.6f", gain), noise.toString(),
                "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", mixed.toString());
        return read(mixed);
    }

    /** RMS of the samples inside the true speech segments. */
    double speechRms() {
        double energy = 0;
        long n = 0;
        for (var segment : truth) {
            for (long i = segment[0] * RATE / 1000; i < segment[1] * RATE / 1000 && i < clean.length; i++) {
                energy += (double) clean[(int) i] * clean[(int) i];
                n++;
            }
        }
        return Math.sqrt(energy / n);
    }

    double seconds() {
        return clean.length / (double) RATE;
    }

    private static double rms(short[] samples) {
        double energy = 0;
        for (short s : samples) {
            energy += (double) s * s;
        }
        return Math.sqrt(energy / samples.length);
    }

    private static short[] concat(List<short[]> parts) {
        var out = new short[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (var part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    static short[] read(Path raw) throws IOException {
        var buffer = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        var samples = new short[buffer.remaining()];
        buffer.get(samples);
        return samples;
    }

    private static void write(Path raw, short[] samples) throws IOException {
        var buffer = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asShortBuffer().put(samples);
        Files.write(raw, buffer.array());
    }

    static boolean onPath(String tool) {
        try {
            return new ProcessBuilder("which", tool).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static void run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
