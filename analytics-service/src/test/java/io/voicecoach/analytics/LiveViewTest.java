package io.voicecoach.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.SharedInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class LiveViewTest {

    private static final String DEMO_KEY = GatewayCredentialStub.keyOf("demo");
    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/api/v1/live")
    URI live;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        kafka.close();
        http.close();
    }

    @Test
    void viewersFollowTheirOwnTenantsCallsOnly() {
        try (var demo = new SseViewer(DEMO_KEY); var other = new SseViewer(OTHER_KEY)) {
            demo.await(e -> e.name().equals("ready"));
            other.await(e -> e.name().equals("ready"));
            var call = DemoCall.of("demo");
            var otherCall = DemoCall.of("other");

            kafka.send(Topics.SESSIONS, call.started());
            kafka.send(Topics.SESSIONS, otherCall.started());
            var started = demo.await(e -> e.is("session.started", call.session()));
            assertThat(started.data().getString("repId")).isEqualTo("rep_7");
            assertThat(started.data().getString("callId")).isEqualTo("call_" + call.session());

            kafka.send(Topics.TRANSCRIPTS, call.u1());
            var spoke = demo.await(e -> e.is("utterance", call.session()));
            assertThat(spoke.data().getString("speaking")).isEqualTo("customer");
            assertThat(spoke.data().getString("latestUtterance.text")).isEqualTo("honestly the price is too high for us");

            kafka.send(Topics.SUGGESTIONS, call.s1());
            var prompted = demo.await(e -> e.is("prompt", call.session()));
            assertThat(prompted.data().getString("latestPrompt.category")).isEqualTo("price");
            assertThat(prompted.data().getString("speaking")).isEqualTo("customer");

            kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.STAGE_CHANGED, "demo", call.session(), 2,
                    call.at(2800), new StageChanged("spin", "problem", "situation", "u1", 2500)));
            var staged = demo.await(e -> e.is("stage", call.session()));
            assertThat(staged.data().getString("stage")).isEqualTo("problem");
            assertThat(staged.data().getString("latestPrompt.category")).isEqualTo("price");

            // another tenant's checklist naming this session is never shown; the call's own is, whole
            kafka.send(Topics.SUGGESTIONS, checklist("other", call.session(), call, ComplianceChecklist.BROKEN));
            kafka.send(Topics.SUGGESTIONS, checklist("demo", call.session(), call, ComplianceChecklist.KEPT));
            var checked = demo.await(e -> e.is("checklist", call.session()));
            assertThat(checked.data().getList("checklist.items.status")).containsExactly("said", "kept");
            assertThat(checked.data().getString("stage")).isEqualTo("problem");
            assertThat(demo.events()).filteredOn(e -> e.name().equals("checklist")).hasSize(1);

            kafka.send(Topics.TRANSCRIPTS, call.u2());
            var repSpoke = demo.await(e -> e.is("utterance", call.session())
                    && "agent".equals(e.data().getString("speaking")));
            assertThat(repSpoke.data().getString("latestPrompt.title")).isEqualTo("Objection: price");
            assertThat(repSpoke.data().getString("stage")).isEqualTo("problem");
            assertThat(repSpoke.data().getList("checklist.items.ruleId")).containsExactly("recording_notice", "guarantee");

            // a viewer that connects now is told about the call in progress
            try (var late = new SseViewer(DEMO_KEY)) {
                late.await(e -> e.is("call", call.session()) && "agent".equals(e.data().getString("speaking")));
            }

            kafka.send(Topics.SESSIONS, call.ended());
            kafka.send(Topics.SESSIONS, otherCall.ended());
            assertThat(demo.await(e -> e.is("session.ended", call.session())).data().getString("endedAt")).isNotNull();
            other.await(e -> e.is("session.ended", otherCall.session()));

            assertThat(demo.events()).noneMatch(e -> e.raw().contains(otherCall.session()));
            assertThat(other.events()).noneMatch(e -> e.raw().contains(call.session()));
        }
    }

    /**
     * Another replica joins the ingestion group and takes some partitions: this instance no longer ingests the calls
     * on them, yet its viewers still see every call, because the live view has its own per-instance group.
     */
    @Test
    void aViewerSeesCallsWhosePartitionsAnotherReplicaIngests() {
        var props = new java.util.Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "analytics-service");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        var calls = java.util.stream.IntStream.range(0, 12).mapToObj(i -> DemoCall.of("demo")).toList();
        var sessions = calls.stream().map(DemoCall::session).collect(java.util.stream.Collectors.toSet());
        var takenByOther = new java.util.HashSet<String>();
        try (var otherReplica = new KafkaConsumer<String, String>(props)) {
            otherReplica.subscribe(List.of(Topics.SESSIONS, Topics.TRANSCRIPTS));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                otherReplica.poll(Duration.ofMillis(200));
                return otherReplica.assignment().stream().anyMatch(p -> p.topic().equals(Topics.SESSIONS));
            });
            try (var viewer = new SseViewer(DEMO_KEY)) {
                viewer.await(e -> e.name().equals("ready"));
                for (var call : calls) {
                    kafka.send(Topics.SESSIONS, call.started());
                    kafka.send(Topics.TRANSCRIPTS, call.u1());
                }
                org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
                    otherReplica.poll(Duration.ofMillis(100))
                            .forEach(r -> { if (sessions.contains(r.key())) takenByOther.add(r.key()); });
                    return calls.stream().allMatch(call -> viewer.events().stream()
                            .anyMatch(e -> e.is("utterance", call.session())));
                });
                org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
                    otherReplica.poll(Duration.ofMillis(100))
                            .forEach(r -> { if (sessions.contains(r.key())) takenByOther.add(r.key()); });
                    return !takenByOther.isEmpty();
                });
            }
        }
        // the calls the other replica consumed were shown here all the same
        assertThat(takenByOther).isNotEmpty().isSubsetOf(sessions);
    }

    private static io.voicecoach.events.Envelope checklist(String tenant, String session, DemoCall call,
                                                          String guarantee) {
        return DemoCall.envelope(EventTypes.COMPLIANCE_CHECKLIST, tenant, session, 3, call.at(2900),
                new ComplianceChecklist(List.of(
                        new ComplianceChecklist.Item("recording_notice", ComplianceChecklist.MUST_SAY,
                                ComplianceChecklist.SAID, "Say the call is recorded.", 60_000, "u1"),
                        new ComplianceChecklist.Item("guarantee", ComplianceChecklist.MUST_NOT_SAY, guarantee,
                                "Never promise results.", 0, null)), false));
    }

    @Test
    void theLiveViewNeedsAKey() {
        given().get("/api/v1/live").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer key-nobody").get("/api/v1/live").then().statusCode(401);
    }

    record SseEvent(String name, String raw) {
        JsonPath data() {
            return JsonPath.from(raw);
        }

        boolean is(String type, String sessionId) {
            return name.equals(type) && sessionId.equals(data().getString("sessionId"));
        }
    }

    /** A real SSE client: reads the stream line by line on its own thread. */
    final class SseViewer implements AutoCloseable {

        private final List<SseEvent> events = new CopyOnWriteArrayList<>();
        private final Stream<String> lines;

        SseViewer(String key) {
            var request = HttpRequest.newBuilder(live).header("Authorization", "Bearer " + key)
                    .header("Accept", "text/event-stream").GET().build();
            try {
                var response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("text/event-stream"));
                lines = response.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Thread.ofVirtual().start(this::read);
        }

        private void read() {
            String[] name = {null};
            var data = new StringBuilder();
            try {
                lines.forEach(line -> {
                    if (line.startsWith("event:")) {
                        name[0] = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    } else if (line.isEmpty() && name[0] != null) {
                        events.add(new SseEvent(name[0], data.toString()));
                        name[0] = null;
                        data.setLength(0);
                    }
                });
            } catch (RuntimeException e) {
                // closed by the test
            }
        }

        SseEvent await(Predicate<SseEvent> match) {
            return org.awaitility.Awaitility.await().atMost(WAIT).until(() -> events.stream().filter(match).findFirst().orElse(null),
                    e -> e != null);
        }

        List<SseEvent> events() {
            return events;
        }

        @Override
        public void close() {
            lines.close();
        }
    }
}
