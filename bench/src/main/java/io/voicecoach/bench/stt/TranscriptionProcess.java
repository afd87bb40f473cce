package io.voicecoach.bench.stt;

import io.voicecoach.bench.ServiceProcesses;
import io.voicecoach.devstack.ManagedProcess;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.SuiteConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.GroupState;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The packaged transcription-service as its own JVM on a given broker, with the engine settings of the evaluation,
 * plus what it costs: CPU seconds of the JVM and its (reaped) decoder children from {@code /proc/<pid>/stat}, and
 * the peak resident memory of the JVM and of the JVM with its child processes, sampled every 100 ms.
 */
final class TranscriptionProcess implements AutoCloseable {

    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private final ManagedProcess process;
    private final int port;
    private final String bootstrap;
    private final AtomicLong peakJvmKb = new AtomicLong();
    private final AtomicLong peakTreeKb = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    private TranscriptionProcess(ManagedProcess process, int port, String bootstrap) {
        this.process = process;
        this.port = port;
        this.bootstrap = bootstrap;
        this.sampler = Thread.ofPlatform().daemon().name("rss-sampler").start(this::sample);
    }

    static TranscriptionProcess start(Path modulesDir, String bootstrap, Map<String, String> properties, Path log) {
        var jar = Service.TRANSCRIPTION.jarIn(modulesDir);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -B -q package -pl transcription-service "
                    + "-DskipTests");
        }
        var free = SuiteConfig.withFreePorts(modulesDir, log.getParent(), bootstrap, null, "unused");
        int port = free.port(Service.TRANSCRIPTION);
        var command = new ArrayList<String>();
        command.add(ManagedProcess.javaExecutable());
        command.addAll(SuiteConfig.DEFAULT_JVM_OPTIONS);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dkafka.bootstrap.servers=" + bootstrap);
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        var started = new TranscriptionProcess(ManagedProcess.start("transcription-service", command, log, modulesDir),
                port, bootstrap);
        started.awaitReady(Duration.ofMinutes(3));
        return started;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException("transcription-service exited:\n" + process.tail(40));
            }
            try {
                var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).GET().build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && groupStable()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Pause.millis(250);
        }
        throw new IllegalStateException("transcription-service not ready after " + timeout + "; log " + process.log());
    }

    private boolean groupStable() {
        String group = Service.TRANSCRIPTION.module();
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var description = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return description.groupState() == GroupState.STABLE && description.members().stream()
                    .anyMatch(m -> m.assignment().topicPartitions().size() > 0);
        } catch (Exception e) {
            return false;
        }
    }

    /** CPU seconds so far: user + system of the JVM and of its children that have exited. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
            return (double) ticks / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Peak RSS in MB since the last reset: {JVM alone, JVM + decoder processes}. */
    long[] peakRssMb() {
        return new long[]{peakJvmKb.get() / 1024, peakTreeKb.get() / 1024};
    }

    void resetPeaks() {
        peakJvmKb.set(0);
        peakTreeKb.set(0);
    }

    private void sample() {
        while (running) {
            var handle = ProcessHandle.of(process.pid());
            if (handle.isEmpty()) {
                return;
            }
            long jvm = rssKb(process.pid());
            long tree = jvm + handle.get().descendants().mapToLong(p -> rssKb(p.pid())).sum();
            peakJvmKb.accumulateAndGet(jvm, Math::max);
            peakTreeKb.accumulateAndGet(tree, Math::max);
            Pause.millis(100);
        }
    }

    private static long rssKb(long pid) {
        return ServiceProcesses.rssBytes(pid) / 1024;
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        running = false;
        process.stop(Duration.ofSeconds(10));
    }
}
