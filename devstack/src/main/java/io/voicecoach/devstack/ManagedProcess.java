package io.voicecoach.devstack;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child JVM (or any program) whose stdout and stderr go to one log file. */
public final class ManagedProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with its output in {@code log} (truncated). Where {@code setsid} exists the child gets
     * its own session, so a Ctrl-C in the terminal reaches only the launcher, which then stops the children in order.
     */
    public static ManagedProcess start(String name, List<String> command, Path log, Path workDir) {
        return start(name, command, log, workDir, Map.of(), false);
    }

    /**
     * Like {@link #start(String, List, Path, Path)}, with extra environment variables; {@code appendLog} keeps what
     * the log already holds (a restarted instance continues the log of the one that died).
     */
    public static ManagedProcess start(String name, List<String> command, Path log, Path workDir,
                                       Map<String, String> environment, boolean appendLog) {
        var full = new ArrayList<String>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        try {
            Files.createDirectories(log.getParent());
            var builder = new ProcessBuilder(full)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile())
                            : ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            var process = builder.start();
            return new ManagedProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** The java executable of this JVM, so children run on the same JDK. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL, as {@code kill -9} does: no shutdown hook runs. Returns once the process is gone (at most 10 s). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the process to stop (SIGTERM); see {@link #awaitExit}. */
    public void requestStop() {
        process.destroy();
    }

    /** Waits up to {@code grace} for the process to exit, then kills it. Returns true if it stopped by itself. */
    public boolean awaitExit(Duration grace) {
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    public boolean stop(Duration grace) {
        requestStop();
        return awaitExit(grace);
    }

    public boolean logContains(String text) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** The last {@code lines} lines of the log (reads at most the last 256 KiB). */
    public String tail(int lines) {
        return tail(log, lines);
    }

    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.max(0, length - 256 * 1024);
            var bytes = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(bytes);
            var all = new String(bytes, StandardCharsets.UTF_8).split("\n");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", Arrays.asList(all).subList(from, all.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
