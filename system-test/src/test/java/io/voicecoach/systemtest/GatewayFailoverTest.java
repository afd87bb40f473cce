package io.voicecoach.systemtest;

import io.voicecoach.devstack.Database;
import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.ManagedProcess;
import io.voicecoach.devstack.SampleCall;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.SuiteConfig;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two packaged gateway processes on one broker and database. The sample call plays through gateway-a with gateway-b
 * as its fallback; the test stands in for coaching (a suggestion for every coached turn, on {@code coach.suggestions})
 * and SIGKILLs gateway-a once it has published the transcript of turn 8 and before that turn's suggestion exists. The
 * client resumes on gateway-b with its last event id and must get every suggestion exactly once; the session ends
 * once, when the call closes.
 */
class GatewayFailoverTest {

    private static final String KEY = SuiteConfig.DEFAULT_DEMO_API_KEY;
    private static final int KILLED_AFTER_TURN = 8;

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;
    private static final Map<String, ManagedProcess> gateways = new LinkedHashMap<>();
    private static final Map<String, Integer> ports = new LinkedHashMap<>();
    private static volatile boolean failed;

    @RegisterExtension
    static final TestWatcher FAILURES = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    };

    @BeforeAll
    static void startTwoGateways() {
        var jar = Service.GATEWAY.jarIn(SystemTests.modulesDir());
        if (!jar.toFile().isFile()) {
            fail("this test runs the packaged gateway-service, but " + jar + " is missing. Package it first.");
        }
        kafka = EmbeddedKafka.startEphemeral();
        postgres = EmbeddedPostgresServer.startEphemeral();
        var logDir = Path.of("target/gateway-failover-logs").toAbsolutePath();
        for (String name : List.of("gateway-a", "gateway-b")) {
            var config = SuiteConfig.withFreePorts(SystemTests.modulesDir(), logDir, kafka.bootstrapServers(),
                    Database.of(postgres), KEY).withProperty(Service.GATEWAY, "voicecoach.gateway.instance-id", name);
            var command = new ArrayList<String>();
            command.add(ManagedProcess.javaExecutable());
            command.addAll(config.jvmOptions());
            command.addAll(config.systemProperties(Service.GATEWAY));
            command.add("-jar");
            command.add(jar.toString());
            ports.put(name, config.port(Service.GATEWAY));
            gateways.put(name, ManagedProcess.start(name, command, logDir.resolve(name + ".log"),
                    SystemTests.modulesDir()));
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (var gateway : gateways.values()) {
                if (!gateway.alive()) {
                    throw new IllegalStateException(gateway.name() + " exited:\n" + gateway.tail(40));
                }
            }
            return gateways.keySet().stream().allMatch(GatewayFailoverTest::ready);
        });
    }

    @AfterAll
    static void stopEverything() {
        if (failed) {
            gateways.values().forEach(g -> System.out.println("----- " + g.log() + "\n" + g.tail(80)));
        }
        gateways.values().forEach(ManagedProcess::requestStop);
        gateways.values().forEach(g -> g.awaitExit(Duration.ofSeconds(15)));
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void killingTheGatewayMidCallLosesNoSuggestionAndShowsNoneTwice() throws Exception {
        var expectedByText = new LinkedHashMap<String, SampleCall.Turn>();
        SampleCall.turns().stream().filter(t -> t.expect() != null).forEach(t -> expectedByText.put(t.text(), t));
        var killedAt = new AtomicReference<Instant>();
        try (var client = new KafkaTestClient(kafka.bootstrapServers());
             var sessions = client.read(Topics.SESSIONS);
             var coach = new FakeCoach(client, expectedByText, turn -> {
                 if (turn == KILLED_AFTER_TURN && killedAt.get() == null) {
                     killedAt.set(kill("gateway-a"));
                 }
             })) {
            var options = new SampleCall.Options(url("gateway-a"), KEY, Duration.ofSeconds(20),
                    Duration.ofMillis(300), System.out, List.of(url("gateway-b")));
            var call = SampleCall.run(options);
            System.out.printf("gateway failover: killed gateway-a at %s, %d reconnect(s), errors %s%n", killedAt.get(),
                    call.reconnects(), call.errors());

            assertThat(killedAt.get()).as("gateway-a was killed mid-call").isNotNull();
            assertThat(gateways.get("gateway-a").alive()).isFalse();
            assertThat(call.errors()).isEmpty();
            assertThat(call.reconnects()).isEqualTo(1);
            var coached = call.turnSuggestions();
            assertThat(coached).extracting(SampleCall.Received::turn).containsExactly(4, 6, 8, 10, 12, 14);
            assertThat(coached).extracting(SampleCall.Received::suggestionId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(coach.published());
            assertThat(call.suggestions()).hasSameSizeAs(coached);

            // the call closed normally on gateway-b: one session.ended (a repeat would carry the same event id)
            String session = call.sessionId();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    !sessions.envelopes(session, EventTypes.SESSION_ENDED).isEmpty());
            var ended = sessions.envelopes(session, EventTypes.SESSION_ENDED);
            assertThat(ended.stream().map(Envelope::eventId).distinct()).hasSize(1);
            assertThat(ended.getFirst().payloadAs(SessionEnded.class).reason()).isEqualTo("client_closed");
        }
    }

    /**
     * Stands in for coaching-service: one suggestion per coached turn's final transcript (its id derived from the
     * transcript's event id, so a repeated transcript yields no second one). {@code beforePublishing} runs first.
     */
    private static final class FakeCoach implements AutoCloseable {
        private final KafkaTestClient client;
        private final Map<String, SampleCall.Turn> expectedByText;
        private final IntConsumer beforePublishing;
        private final Set<String> published = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean positioned;

        FakeCoach(KafkaTestClient client, Map<String, SampleCall.Turn> expectedByText,
                  IntConsumer beforePublishing) {
            this.client = client;
            this.expectedByText = expectedByText;
            this.beforePublishing = beforePublishing;
            this.thread = Thread.ofPlatform().daemon().name("fake-coach").start(this::run);
            await().atMost(Duration.ofSeconds(20)).until(() -> positioned);
        }

        Set<String> published() {
            return Set.copyOf(published);
        }

        private void run() {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                    new StringDeserializer())) {
                var partitions = consumer.partitionsFor(Topics.TRANSCRIPTS, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(Topics.TRANSCRIPTS, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                positioned = true;
                while (running) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        onTranscript(EventJson.decode(record.value()));
                    }
                }
            }
        }

        private void onTranscript(Envelope envelope) {
            if (!EventTypes.TRANSCRIPT_FINAL.equals(envelope.type())) {
                return;
            }
            var transcript = envelope.payloadAs(Transcript.class);
            var turn = expectedByText.get(transcript.text());
            String suggestionId = "sug_" + envelope.eventId();
            if (turn == null || published.contains(suggestionId)) {
                return;
            }
            beforePublishing.accept(turn.turn());
            var suggestion = new Suggestion(suggestionId, transcript.utteranceId(), turn.expect().kind(),
                    turn.expect().category(), "Turn " + turn.turn(), "Answer it.", 0.9, "rules", 1, null,
                    envelope.occurredAt(), transcript.receivedAt());
            client.send(Topics.SUGGESTIONS, Envelope.of(EventTypes.SUGGESTION, envelope.tenantId(),
                    envelope.sessionId(), 1, "fake-coach", suggestion));
            published.add(suggestionId);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    private static Instant kill(String name) {
        var process = gateways.get(name);
        var handle = ProcessHandle.of(process.pid()).orElseThrow();
        handle.destroyForcibly(); // SIGKILL: no drain, no snapshot update, no liveness tombstone
        await().atMost(Duration.ofSeconds(10)).until(() -> !handle.isAlive());
        return Instant.now();
    }

    private static URI url(String name) {
        return URI.create("ws://127.0.0.1:" + ports.get(name) + "/v1/realtime");
    }

    private static boolean ready(String name) {
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(name) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
