package io.voicecoach.bench.load;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * espeak-ng speech as raw PCM16 little-endian mono at {@link #RATE} Hz (sox resamples it), made once per voice, pace
 * and text and kept in a folder, so later runs start at once and every run streams the same samples.
 */
public final class SpeechCache {

    public static final int RATE = 24_000;
    public static final List<String> TOOLS = List.of("espeak-ng", "sox");
    public static final String INSTALL = "apt-get install espeak-ng sox";

    private final Path dir;

    public SpeechCache(Path dir) {
        this.dir = dir;
    }

    /** The tools this machine lacks; empty when speech can be made. */
    public static List<String> missingTools() {
        var missing = new ArrayList<String>();
        for (String tool : TOOLS) {
            boolean found = false;
            for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                found |= !folder.isEmpty() && Files.isExecutable(Path.of(folder, tool));
            }
            if (!found) {
                missing.add(tool);
            }
        }
        return missing;
    }

    /** {@code text} said by espeak-ng {@code voice} at {@code wordsPerMinute}. */
    public byte[] pcm(String voice, int wordsPerMinute, String text) throws IOException {
        var file = dir.resolve(key(voice, wordsPerMinute, text) + ".pcm");
        if (Files.isRegularFile(file)) {
            return Files.readAllBytes(file);
        }
        Files.createDirectories(dir);
        var wav = Files.createTempFile(dir, "speech", ".wav");
        var raw = Files.createTempFile(dir, "speech", ".raw");
        try {
            run(List.of("espeak-ng", "-v", voice, "-s", Integer.toString(wordsPerMinute), "-w", wav.toString(), text));
            // -R: repeatable dither, so the cache holds the same samples on every machine
            run(List.of("sox", "-R", wav.toString(), "-r", Integer.toString(RATE), "-c", "1", "-b", "16",
                    "-e", "signed-integer", "-L", "-t", "raw", raw.toString()));
            Files.move(raw, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(wav);
            Files.deleteIfExists(raw);
        }
    }

    static String key(String voice, int wordsPerMinute, String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest((voice + "|" + wordsPerMinute + "|" + RATE + "|"
                    + text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> command) throws IOException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
