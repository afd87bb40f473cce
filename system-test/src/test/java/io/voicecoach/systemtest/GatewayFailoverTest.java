package io.voicecoach.systemtest;

import io.voicecoach.devstack.Database;
import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.ManagedProcess;
import io.voicecoach.devstack.SampleCall;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.SuiteConfig;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

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
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two packaged gateway processes on one broker and database; the test stands in for coaching (a suggestion, and for
 * objections a battle card, for every coached turn, on {@code coach.suggestions}). First the sample call plays through
 * gateway-a with gateway-b as its fallback, and gateway-a is SIGKILLed once it published the transcript of turn 8,
 * before that turn's suggestion exists; then, gateway-a restarted, a second call plays through gateway-b, which gets
 * SIGTERM at the same point (it drains: close 1012). Each time the client resumes on the other instance with its last
 * event id and must get every suggestion and card exactly once; the session ends once, when the call closes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayFailoverTest {

    private static final String KEY = SuiteConfig.DEFAULT_DEMO_API_KEY;
    private static final int KILLED_AFTER_TURN = 8;

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;
    private static Path logDir;
    private static final Map<String, ManagedProcess> gateways = new LinkedHashMap<>();
    private static final Map<String, List<String>> commands = new LinkedHashMap<>();
    private static final Map<String, Integer> ports = new LinkedHashMap<>();

    @RegisterExtension
    static final SystemTests.Failures FAILURES = new SystemTests.Failures();

    @BeforeAll
    static void startTwoGateways() {
        var jar = Service.GATEWAY.jarIn(SystemTests.modulesDir());
        if (!jar.toFile().isFile()) {
            fail("this test runs the packaged gateway-service, but " + jar + " is missing. Package it first.");
        }
        kafka = EmbeddedKafka.startEphemeral();
        postgres = EmbeddedPostgresServer.startEphemeral();
        logDir = Path.of("target/gateway-failover-logs").toAbsolutePath();
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
            commands.put(name, command);
            start(name);
        }
        awaitReady();
    }

    private static void start(String name) {
        gateways.put(name, ManagedProcess.start(name, commands.get(name), logDir.resolve(name + ".log"),
                SystemTests.modulesDir()));
    }

    private static void awaitReady() {
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
        if (FAILURES.any()) {
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
    @Order(1)
    void killingTheGatewayMidCallLosesNoSuggestionAndShowsNoneTwice() throws Exception {
        playThroughAFault("gateway-a", "gateway-b", () -> kill("gateway-a"));
        assertThat(gateways.get("gateway-a").alive()).isFalse();
    }

    @Test
    @Order(2)
    void drainingTheGatewayMidCallHandsTheCallOver() throws Exception {
        start("gateway-a");
        awaitReady();
        playThroughAFault("gateway-b", "gateway-a", () -> {
            gateways.get("gateway-b").requestStop(); // SIGTERM: the drain closes the client with 1012 first
            return Instant.now();
        });
        var drained = gateways.get("gateway-b");
        assertThat(drained.awaitExit(Duration.ofSeconds(30))).as("gateway-b exits by itself").isTrue();
        assertThat(drained.logContains("drained: 1 sessions handed over")).as(drained.tail(30)).isTrue();
    }

    /** The sample call through {@code first} (falling back to {@code second}); {@code fault} after turn 8's transcript. */
    private static void playThroughAFault(String first, String second, Supplier<Instant> fault) throws Exception {
        var expectedByText = new LinkedHashMap<String, SampleCall.Turn>();
        SampleCall.turns().stream().filter(t -> t.expect() != null).forEach(t -> expectedByText.put(t.text(), t));
        var faultAt = new AtomicReference<Instant>();
        try (var client = new KafkaTestClient(kafka.bootstrapServers());
             var sessions = client.read(Topics.SESSIONS);
             var coach = new FakeCoach(client, expectedByText, turn -> {
                 if (turn == KILLED_AFTER_TURN && faultAt.get() == null) {
                     faultAt.set(fault.get());
                 }
             })) {
            var options = new SampleCall.Options(url(first), KEY, Duration.ofSeconds(20),
                    Duration.ofMillis(300), System.out, List.of(url(second)));
            var call = SampleCall.run(options);
            System.out.printf("gateway failover: fault on %s at %s, %d reconnect(s), errors %s%n", first, faultAt.get(),
                    call.reconnects(), call.errors());

            assertThat(faultAt.get()).as("the fault happened mid-call").isNotNull();
            assertThat(call.errors()).isEmpty();
            assertThat(call.reconnects()).isEqualTo(1);
            var coached = call.turnSuggestions();
            assertThat(coached).extracting(SampleCall.Received::turn).containsExactly(4, 6, 8, 10, 12, 14);
            assertThat(coached).extracting(SampleCall.Received::suggestionId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(coach.published());
            assertThat(call.suggestions()).hasSameSizeAs(coached);
            var objections = coached.stream().filter(r -> "objection".equals(r.kind()))
                    .map(SampleCall.Received::suggestionId).toList();
            assertThat(call.cards()).extracting(SampleCall.CardReceived::suggestionId)
                    .containsExactlyInAnyOrderElementsOf(objections);
            assertThat(call.cards()).allSatisfy(card -> assertThat(card.afterSuggestion()).isTrue());

            // the call closed normally on the other instance: one session.ended (a repeat would have the same id)
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
     * transcript's event id, so a repeated transcript yields no second one), then a battle card for an objection.
     * {@code beforePublishing} runs first.
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
            if ("objection".equals(turn.expect().kind())) {
                var card = new BattleCard("card_" + turn.expect().category(), turn.expect().category(), null,
                        "Card " + turn.turn(), "Reframe.", List.of("Ask why"));
                client.send(Topics.SUGGESTIONS, Envelope.of(EventTypes.BATTLE_CARD, envelope.tenantId(),
                        envelope.sessionId(), 2, "fake-coach",
                        new SuggestionCard(suggestionId, transcript.utteranceId(), card)));
            }
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
