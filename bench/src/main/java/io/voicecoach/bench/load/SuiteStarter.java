package io.voicecoach.bench.load;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ./voicecoach up} for the benchmark and stops it afterwards ({@code ./voicecoach stop}, then the child
 * itself if it is still there). The per-tenant session cap is lifted through its environment, since every simulated
 * call belongs to the demo tenant.
 */
final class SuiteStarter implements AutoCloseable {

    static final String READY_LINE = "VoiceCoach is up";

    private final Path home;
    private final Process process;
    private final Path log;

    private SuiteStarter(Path home, Process process, Path log) {
        this.home = home;
        this.process = process;
        this.log = log;
    }

    static SuiteStarter up(Path home, List<String> args, Path log, Duration timeout) throws IOException,
            InterruptedException {
        var command = new ArrayList<>(List.of(home.resolve("voicecoach").toString(), "up"));
        command.addAll(args);
        Files.createDirectories(log.getParent());
        var builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putIfAbsent("VOICECOACH_LIMITS_SESSIONS_PER_TENANT", "100000");
        // every simulated call is the demo tenant's: hundreds of typed calls are more than one honest tenant types
        builder.environment().putIfAbsent("VOICECOACH_LIMITS_TENANT_ITEMS_PER_MINUTE", "1000000");
        var suite = new SuiteStarter(home, builder.start(), log);
        Runtime.getRuntime().addShutdownHook(new Thread(suite::close, "suite-stop"));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log).contains(READY_LINE)) {
            if (!suite.process.isAlive()) {
                throw new IllegalStateException("./voicecoach up exited (" + suite.process.exitValue() + "), see " + log
                        + ":\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                suite.close();
                throw new IllegalStateException("./voicecoach up not ready after " + timeout + ", see " + log);
            }
            Thread.sleep(500);
        }
        return suite;
    }

    private static String tail(Path log) throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    Path log() {
        return log;
    }

    @Override
    public synchronized void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            var stop = new ProcessBuilder(home.resolve("voicecoach").toString(), "stop").directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            stop.waitFor(90, TimeUnit.SECONDS);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }
}
