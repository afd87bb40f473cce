package io.voicecoach.devstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The embedded broker ({@link EmbeddedKafka#main}) as a process of its own, on fixed ports and a data folder that
 * outlive it: the launcher's broker, and the fault suite's, which restarts it mid-call.
 */
public final class KafkaProcess implements AutoCloseable {

    static final String READY_LINE = "kafka ready on";
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final Path log;
    private final Path workDir;
    private ManagedProcess process;
    private long logOffset;

    private KafkaProcess(int port, int controllerPort, Path dataDir, Path log, Path workDir) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.log = log;
        this.workDir = workDir;
    }

    /** Starts the broker process; call {@link #awaitReady} next. */
    public static KafkaProcess start(int port, int controllerPort, Path dataDir, Path log, Path workDir) {
        var kafka = new KafkaProcess(port, controllerPort, dataDir, log, workDir);
        kafka.launch(false);
        return kafka;
    }

    /** On free ports with its data under {@code dataDir}, started and ready, as tests want it. */
    public static KafkaProcess startOnFreePorts(Path dataDir, Path log, Duration timeout) {
        var kafka = start(Ports.free(), Ports.free(), dataDir, log, Path.of("").toAbsolutePath());
        kafka.awaitReady(timeout);
        return kafka;
    }

    private synchronized void launch(boolean appendLog) {
        var command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(), "-Xms64m", "-Xmx512m",
                "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", LauncherClasspath.forChildProcess(),
                EmbeddedKafka.class.getName(), Integer.toString(port), Integer.toString(controllerPort),
                dataDir.toString()));
        try {
            logOffset = appendLog && Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            logOffset = 0;
        }
        process = ManagedProcess.start("kafka", command, log, workDir, Map.of(), appendLog);
    }

    /**
     * Waits until the broker has created the pipeline topics and says it is ready.
     *
     * @throws IllegalStateException if it exits or is not ready within {@code timeout}
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        var current = process();
        while (!loggedSinceStart(READY_LINE)) {
            if (!current.alive()) {
                throw new IllegalStateException("Kafka exited during startup; see " + log + "\n" + current.tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka not ready after " + timeout.toSeconds() + " s; see " + log);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Whether this start of the broker has logged {@code text} (a restart appends to the earlier log). */
    private boolean loggedSinceStart(String text) {
        long from;
        synchronized (this) {
            from = logOffset;
        }
        try (var in = new RandomAccessFile(log.toFile(), "r")) {
            if (in.length() <= from) {
                return false;
            }
            var bytes = new byte[(int) Math.min(in.length() - from, 4 * 1024 * 1024)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker (SIGTERM, a controlled shutdown) and starts it again on the same ports and data. */
    public void restart(Duration readyTimeout) {
        stop();
        start();
        awaitReady(readyTimeout);
    }

    /** Starts a stopped broker again on the same ports and data; its log continues. Call {@link #awaitReady} next. */
    public synchronized void start() {
        if (process != null && process.alive()) {
            throw new IllegalStateException("Kafka is still running (pid " + process.pid() + ")");
        }
        launch(true);
    }

    /** SIGTERM and up to 15 s for the broker's controlled shutdown, then SIGKILL. */
    public void stop() {
        process().stop(STOP_GRACE);
    }

    public synchronized ManagedProcess process() {
        return process;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        stop();
    }
}
