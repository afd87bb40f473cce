package io.voicecoach.gateway;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The official Realtime clients from npm, run by node: {@code openai} ({@code OpenAIRealtimeWS}) and
 * {@code @openai/agents-realtime} ({@code RealtimeSession}), pinned, installed once per machine into the temp folder
 * (as devstack's HeadlessBrowser installs Playwright). Tests call {@link #missingTools()} first and skip, naming the
 * Debian packages, when node or npm is missing; an npm install that fails fails the test. The Python {@code openai}
 * package cannot be had from this machine's registries, so only the Node clients are covered.
 */
final class RealtimeSdks {

    static final String OPENAI = "openai@7.60.0";
    static final String AGENTS_REALTIME = "@openai/agents-realtime@0.20.0";
    /** {@code OpenAIRealtimeWS} needs the {@code ws} peer; the Agents SDK uses it in node too. */
    static final String WS = "ws@8.23.1";

    private RealtimeSdks() {
    }

    /** Empty when node and npm are on the PATH; otherwise the skip message naming what to install. */
    static Optional<String> missingTools() {
        var missing = new ArrayList<String>();
        if (!onPath("node")) {
            missing.add("nodejs");
        }
        if (!onPath("npm")) {
            missing.add("npm");
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("Realtime SDK conformance skipped: install " + String.join(" ", missing) + " (apt-get "
                + "install " + String.join(" ", missing) + "); .ci/run installs them in CI");
    }

    /** Runs {@code script} with node, the SDKs on {@code NODE_PATH}; returns its exit code and output. */
    static Run run(Path script, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        var modules = install();
        var builder = new ProcessBuilder("node", script.toAbsolutePath().toString()).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", modules.toString());
        builder.environment().put("SDK_MODULES", modules.toString());
        builder.environment().putAll(env);
        var process = builder.start();
        var output = new StringBuilder();
        var reader = Thread.ofVirtual().start(() -> {
            try (var in = process.getInputStream()) {
                output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("\n(output lost: ").append(e.getMessage()).append(')');
            }
        });
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(5000);
        return new Run(finished ? process.exitValue() : -1, output + (finished ? "" : "\n(timed out after " + timeout
                + ")"));
    }

    /** The {@code node_modules} folder holding the pinned SDKs, installed the first time. */
    private static synchronized Path install() throws IOException, InterruptedException {
        var home = Path.of(System.getProperty("java.io.tmpdir"), "voicecoach-realtime-sdks-"
                + (OPENAI + "-" + AGENTS_REALTIME + "-" + WS).replaceAll("[^A-Za-z0-9.]+", "_"));
        var modules = home.resolve("node_modules");
        if (Files.isDirectory(modules.resolve("@openai/agents-realtime")) && Files.isDirectory(modules.resolve("openai"))) {
            return modules;
        }
        var staging = Files.createTempDirectory("voicecoach-realtime-sdks-");
        var npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix",
                staging.toString(), OPENAI, AGENTS_REALTIME, WS)).redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (npm.waitFor() != 0) {
            throw new IOException("npm install " + OPENAI + " " + AGENTS_REALTIME + " " + WS + " failed:\n" + log);
        }
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.isDirectory(modules.resolve("openai"))) {
                throw raced;
            }
        }
        return modules;
    }

    private static boolean onPath(String tool) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    record Run(int exitCode, String output) {
    }
}
