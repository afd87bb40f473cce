package io.voicecoach.analytics;

import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.ManagedProcess;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.SharedInfrastructure;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.eclipse.microprofile.config.ConfigProvider;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The packaged coaching-service (built before this module in the reactor) as a process of its own, on this test
 * JVM's broker and PostgreSQL, authenticating tenant keys with the test's {@link GatewayCredentialStub}: the real
 * replay API behind analytics' pass-through. Its stream starts at the end of {@code voice.transcripts}, so it coaches
 * only what a test sends once it runs, and the other tests' seeded calls keep exactly the suggestions they sent.
 */
final class PackagedCoaching implements AutoCloseable {

    private final ManagedProcess process;
    private final int port;

    private PackagedCoaching(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param properties more system properties for coaching, e.g. a tenant's LLM */
    static PackagedCoaching start(Duration readyWithin, Map<String, String> properties) {
        Path modules = Path.of("..").toAbsolutePath().normalize();
        Path jar = Service.COACHING.jarIn(modules);
        if (!Files.isRegularFile(jar)) {
            fail("the replay panel test runs the packaged coaching-service, but " + jar + " is missing: package it "
                    + "first (./mvnw -B verify builds it before this module, or ./mvnw -B package -DskipTests "
                    + "-pl coaching-service)");
        }
        var config = ConfigProvider.getConfig();
        int port = Port.reserved;
        Path work = Path.of("target", "packaged-coaching").toAbsolutePath();
        var postgres = SharedInfrastructure.postgres();
        var command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(), "-Xms64m", "-Xmx384m",
                "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + SharedInfrastructure.kafka().bootstrapServers(),
                "-Dkafka-streams.auto.offset.reset=latest",
                "-Dkafka-streams.client.id=coaching-dashboard-test",
                "-Dkafka-streams.state.dir=" + work.resolve("state-" + port),
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrlForSchema("coaching"),
                "-Dquarkus.datasource.username=" + EmbeddedPostgresServer.USER,
                "-Dquarkus.datasource.password=" + EmbeddedPostgresServer.PASSWORD,
                "-Dvoicecoach.auth.gateway-url=" + config.getValue("voicecoach.auth.gateway-url", String.class),
                "-Dvoicecoach.auth.service-token=" + GatewayCredentialStub.SERVICE_TOKEN,
                "-Dvoicecoach.coaching.embeddings.cache-dir=" + work.resolve("djl-cache"),
                "-Dquarkus.shutdown.timeout=0s"));
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        var process = ManagedProcess.start("coaching-service", command, work.resolve("coaching-service.log"), modules);
        var coaching = new PackagedCoaching(process, port);
        try {
            await().atMost(readyWithin).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.alive()) {
                    fail("coaching-service exited:\n" + process.tail(80));
                }
                return coaching.ready();
            });
        } catch (RuntimeException | AssertionError e) {
            System.out.println("coaching-service log tail:\n" + process.tail(80));
            coaching.close();
            throw e;
        }
        return coaching;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String logTail() {
        return process.tail(80);
    }

    private boolean ready() {
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            var answer = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Chooses coaching's port before analytics starts, so analytics' {@code quarkus.rest-client.coaching.url} points
     * at it; the process itself starts only when a test asks for it.
     */
    public static final class Port implements QuarkusTestResourceLifecycleManager {
        private static volatile int reserved;

        @Override
        public Map<String, String> start() {
            reserved = freePort();
            return Map.of("quarkus.rest-client.coaching.url", "http://127.0.0.1:" + reserved);
        }

        @Override
        public void stop() {
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }
}
