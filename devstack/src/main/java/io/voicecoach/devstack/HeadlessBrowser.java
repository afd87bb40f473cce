package io.voicecoach.devstack;

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
 * Runs a Node.js Playwright script against Debian's {@code chromium} for browser tests.
 * <p>
 * {@code playwright-core} is installed from npm once per machine into the temp folder. Tests call
 * {@link #missingTools()} first and skip, naming what to install, when the machine lacks a tool.
 * The script gets {@code CHROMIUM_PATH} and, through {@code NODE_PATH}, {@code require('playwright-core')}.
 */
public final class HeadlessBrowser {

    public static final String PLAYWRIGHT_VERSION = "1.65.1";
    private static final List<String> CHROMIUM_CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private HeadlessBrowser() {
    }

    /** Empty when the browser tests can run; otherwise a sentence naming the Debian packages to install. */
    public static Optional<String> missingTools() {
        var missing = new ArrayList<String>();
        if (chromium().isEmpty()) {
            missing.add("chromium");
        }
        if (!onPath("node")) {
            missing.add("nodejs");
        }
        if (!onPath("npm")) {
            missing.add("npm");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("browser test skipped: install " + String.join(" ", missing)
                + " (apt-get install " + String.join(" ", missing) + "); .ci/run installs them in CI");
    }

    /** Runs {@code script} with node; returns its exit code and combined output. */
    public static Result run(Path script, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        var modules = installPlaywright();
        var process = new ProcessBuilder("node", script.toAbsolutePath().toString())
                .redirectErrorStream(true);
        process.environment().put("NODE_PATH", modules.toString());
        process.environment().put("CHROMIUM_PATH", chromium().orElseThrow().toString());
        process.environment().putAll(env);
        var started = process.start();
        var output = new StringBuilder();
        var reader = Thread.ofVirtual().start(() -> {
            try (var in = started.getInputStream()) {
                output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("\n(output lost: ").append(e.getMessage()).append(')');
            }
        });
        if (!started.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            started.destroyForcibly();
            reader.join(2000);
            return new Result(-1, output + "\n(timed out after " + timeout + ")");
        }
        reader.join(5000);
        return new Result(started.exitValue(), output.toString());
    }

    /** Installs {@code playwright-core} once; returns the {@code node_modules} folder to put on {@code NODE_PATH}. */
    static synchronized Path installPlaywright() throws IOException, InterruptedException {
        var home = Path.of(System.getProperty("java.io.tmpdir"), "voicecoach-playwright-" + PLAYWRIGHT_VERSION);
        var modules = home.resolve("node_modules");
        if (Files.isDirectory(modules.resolve("playwright-core"))) {
            return modules;
        }
        var staging = Files.createTempDirectory("voicecoach-playwright-");
        var install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix",
                staging.toString(), "playwright-core@" + PLAYWRIGHT_VERSION)
                .redirectErrorStream(true);
        install.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var process = install.start();
        var log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("npm install playwright-core@" + PLAYWRIGHT_VERSION + " failed:\n" + log);
        }
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException alreadyThere) {
            if (!Files.isDirectory(modules.resolve("playwright-core"))) {
                throw alreadyThere;
            }
        }
        return modules;
    }

    static Optional<Path> chromium() {
        return CHROMIUM_CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    private static boolean onPath(String tool) {
        var path = System.getenv().getOrDefault("PATH", "");
        for (var dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Exit code and combined stdout/stderr of a browser script. */
    public record Result(int exitCode, String output) {
        public boolean passed() {
            return exitCode == 0;
        }
    }
}
