package io.voicecoach.bench.stt;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Debian tools the speech evaluation needs (espeak-ng, sox). */
final class Tools {

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command}; returns its stdout and stderr together, or throws if it fails. */
    static String run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("failed: " + String.join(" ", command) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads the samples of a PCM16 mono WAV file (the {@code data} chunk). */
    static byte[] wavSamples(Path wav) throws IOException {
        byte[] bytes = Files.readAllBytes(wav);
        int at = 12;
        while (at + 8 <= bytes.length) {
            String id = new String(bytes, at, 4, StandardCharsets.US_ASCII);
            int size = (bytes[at + 4] & 0xff) | (bytes[at + 5] & 0xff) << 8 | (bytes[at + 6] & 0xff) << 16
                    | (bytes[at + 7] & 0xff) << 24;
            if (id.equals("data")) {
                int length = Math.min(size, bytes.length - at - 8) & ~1;
                var samples = new byte[length];
                System.arraycopy(bytes, at + 8, samples, 0, length);
                return samples;
            }
            at += 8 + size + (size & 1);
        }
        throw new IOException("no data chunk in " + wav);
    }

    private Tools() {
    }
}
