package io.voicecoach.systemtest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Synthesised speech for the system tests: espeak-ng, converted by sox to raw PCM16 LE mono at a chosen rate. */
final class Speech {

    /** The espeak-ng voice the bundled engine recognises best (see transcription-service/README.md). */
    static final String VOICE = "en-us+f2";
    static final List<String> TOOLS = List.of("espeak-ng", "sox", "pocketsphinx_continuous");
    static final String INSTALL = "apt-get install espeak-ng sox pocketsphinx pocketsphinx-en-us";

    /** The speech tools this machine lacks; empty when the speech tests can run. */
    static List<String> missingTools() {
        var missing = new ArrayList<String>();
        for (String tool : TOOLS) {
            if (!onPath(tool)) {
                missing.add(tool);
            }
        }
        return missing;
    }

    static String skipMessage() {
        return "needs " + missingTools() + " for synthesised speech and the bundled engine: " + INSTALL;
    }

    /** {@code text} spoken by {@link #VOICE} at 160 words per minute, PCM16 LE mono at {@code rate} Hz. */
    static byte[] pcm(String text, int rate) {
        try {
            Path wav = Files.createTempFile("speech", ".wav");
            Path raw = Files.createTempFile("speech", ".raw");
            try {
                run(List.of("espeak-ng", "-v", VOICE, "-s", "160", "-w", wav.toString(), text));
                // -R: repeatable dither, so every run feeds the decoder the same samples
                run(List.of("sox", "-R", wav.toString(), "-r", Integer.toString(rate), "-c", "1", "-b", "16",
                        "-e", "signed-integer", "-t", "raw", raw.toString()));
                return Files.readAllBytes(raw);
            } finally {
                Files.deleteIfExists(wav);
                Files.deleteIfExists(raw);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot synthesise speech", e);
        }
    }

    static byte[] silence(int millis, int rate) {
        return new byte[millis * rate / 1000 * 2];
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        var out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static void run(List<String> command) throws IOException {
        var process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " failed: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String tool) {
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
