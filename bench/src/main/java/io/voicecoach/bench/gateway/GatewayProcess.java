package io.voicecoach.bench.gateway;

import io.voicecoach.bench.ServiceProcesses;

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

/** The packaged gateway-service ({@code quarkus-run.jar}) as a child process, with its CPU time and RSS from /proc. */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    final int port;

    private GatewayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static GatewayProcess start(Path jar, String kafka, String jdbcUrl, String apiKey, List<String> extraProperties,
                                Path log) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: ./mvnw -B -q package -pl gateway-service -DskipTests");
        }
        int port = ServiceProcesses.freePort();
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + kafka,
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                "-Dvoicecoach.bootstrap.api-key=" + apiKey,
                "-Dvoicecoach.gateway.instance-id=bench",
                // every leg belongs to the one bench tenant: lift the per-tenant cap (default 100) above the levels
                "-Dvoicecoach.limits.sessions-per-tenant=100000",
                "-Dquarkus.log.level=WARN"));
        // a fixed heap, so RSS reflects sessions rather than how far G1 chose to grow a 1/4-of-RAM default
        command.addAll(1, List.of(System.getProperty("bench.gateway-heap", "-Xmx1g").split(" ")));
        command.addAll(extraProperties);
        command.addAll(List.of("-jar", jar.toString()));
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // a benchmark stopped by a signal (e.g. `timeout`) must not leave its gateway running and taking CPU
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "gateway-child-stop"));
        var gateway = new GatewayProcess(process, port);
        gateway.awaitReady(Duration.ofMinutes(3), log);
        return gateway;
    }

    private void awaitReady(Duration timeout, Path log) throws Exception {
        var http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited: " + Files.readString(log));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("gateway not ready after " + timeout + ", log: " + log);
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU time of the process so far, in milliseconds. */
    long cpuMillis() {
        return ServiceProcesses.cpuMillis(process.pid());
    }

    /** Resident set size in MiB. */
    double rssMiB() {
        return ServiceProcesses.rssBytes(process.pid()) / (1024.0 * 1024);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
