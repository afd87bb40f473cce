package io.voicecoach.bench;

import io.voicecoach.devstack.ManagedProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What the benchmarks need around a service process they start: a port, its readiness, its CPU time. */
public final class ServiceProcesses {

    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    public static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** User + system CPU time of a process so far, in milliseconds (Linux {@code /proc}). */
    public static long cpuMillis(long pid) {
        long[] ticks = cpuTicks(pid);
        if (ticks == null) {
            throw new UncheckedIOException(new IOException("cannot read the CPU time of process " + pid));
        }
        return (ticks[0] + ticks[1]) * 1000 / CLOCK_TICKS;
    }

    /**
     * CPU time of a process and everything it started, in milliseconds: its own user + system time, that of its
     * children that have exited (cutime, cstime), and that of its live descendants; 0 if the process is gone.
     */
    public static long treeCpuMillis(long pid) {
        long ticks = allTicks(pid);
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            ticks += handle.get().descendants().mapToLong(child -> allTicks(child.pid())).sum();
        }
        return ticks * 1000 / CLOCK_TICKS;
    }

    private static long allTicks(long pid) {
        long[] ticks = cpuTicks(pid);
        return ticks == null ? 0 : ticks[0] + ticks[1] + ticks[2] + ticks[3];
    }

    /** utime, stime, cutime, cstime in clock ticks, or null if the process is gone. */
    private static long[] cpuTicks(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                    Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Resident set size of a process in bytes ({@code VmRSS}), 0 if it is gone. */
    public static long rssBytes(long pid) {
        try {
            for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0; // the process has just exited
        }
        return 0;
    }

    /** Resident set size of a process and its live descendants, in bytes. */
    public static long treeRssBytes(long pid) {
        var handle = ProcessHandle.of(pid);
        return rssBytes(pid) + (handle.isEmpty() ? 0
                : handle.get().descendants().mapToLong(child -> rssBytes(child.pid())).sum());
    }

    /** Waits for the process to answer 200 on {@code /q/health/ready}. */
    /**
     * @return seconds until ready
     * @throws IllegalStateException with the tail of the service's log if it exits or is not ready within
     *                               {@code timeout} (the process is then stopped)
     */
    public static double awaitReady(ManagedProcess process, int port, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        var http = HttpClient.newHttpClient();
        var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!process.alive()) {
                throw new IllegalStateException(process.name() + " exited:\n" + process.tail(40));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - started) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - started > timeout.toNanos()) {
                process.stop(Duration.ofSeconds(5));
                throw new IllegalStateException(process.name() + " not ready after " + timeout + ":\n"
                        + process.tail(40));
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private ServiceProcesses() {
    }
}
