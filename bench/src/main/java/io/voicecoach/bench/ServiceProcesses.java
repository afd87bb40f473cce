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
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / CLOCK_TICKS;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
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
