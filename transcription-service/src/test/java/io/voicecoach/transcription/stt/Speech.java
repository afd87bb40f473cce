package io.voicecoach.transcription.stt;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Synthesised test speech: espeak-ng, resampled by sox to PCM16 LE mono 16 kHz. Skips the test without the tools. */
public final class Speech {

    public static void assumeTools(String... tools) {
        for (String tool : tools) {
            Assumptions.assumeTrue(onPath(tool), tool + " is not installed: apt-get install espeak-ng sox pocketsphinx pocketsphinx-en-us");
        }
    }

    /** The voice the bundled engine recognises best of espeak-ng's (see README: WER per voice). */
    public static final String VOICE = "en-us+f2";

    public static byte[] pcm(String text) {
        return pcm(text, VOICE, 160);
    }

    /** Raw PCM16 LE mono 16 kHz of {@code text} spoken by espeak-ng's {@code voice} at {@code wordsPerMinute}. */
    public static byte[] pcm(String text, String voice, int wordsPerMinute) {
        assumeTools("espeak-ng", "sox");
        try {
            Path wav = Files.createTempFile("speech", ".wav");
            Path raw = Files.createTempFile("speech", ".raw");
            try {
                run(List.of("espeak-ng", "-v", voice, "-s", Integer.toString(wordsPerMinute), "-w", wav.toString(), text));
                // -R: repeatable dither; without it every run adds different noise and the decoder's answer varies
                run(List.of("sox", "-R", wav.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
                        "-t", "raw", raw.toString()));
                return Files.readAllBytes(raw);
            } finally {
                Files.deleteIfExists(wav);
                Files.deleteIfExists(raw);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] silence(int millis) {
        return new byte[millis * 32];
    }

    private static void run(List<String> command) throws IOException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.getFirst() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private Speech() {
    }
}
