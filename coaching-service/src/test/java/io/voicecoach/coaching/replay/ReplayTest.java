package io.voicecoach.coaching.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.voicecoach.coaching.playbook.PlaybookSource;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.HeadlessBrowser;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.KafkaTestClient.Received;
import io.voicecoach.devstack.SampleCall;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The sample call, coached live, then replayed through a changed playbook version in shadow mode. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class ReplayTest {

    /** A tenant per test: each stores (and activates) its own playbook version. */
    private final String tenant = "replay-" + UUID.randomUUID().toString().substring(0, 8);
    private final String key = GatewayCredentialStub.keyOf(tenant);
    private static final String INTRUDER_KEY = GatewayCredentialStub.keyOf("intruder");
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Inject
    PlaybookSource defaults;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    URI base;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final String session = "sess_" + UUID.randomUUID();

    @BeforeEach
    void ready() {
        await().atMost(BOUND).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aChangedPlaybookReportsExactlyTheSuggestionsItChangesAndPublishesNothing() {
        var turns = SampleCall.turns();
        var utterances = new ArrayList<String>();
        var live = recordSampleCall(utterances);
        int version = storeChangedPlaybook();

        var same = replay(Map.of("sessionId", session, "playbookVersion", 0));
        assertThat(same.changes()).as("the version that ran live changes nothing").isEmpty();
        assertThat(same.counts().unchanged()).isEqualTo(live.size());
        assertThat(same.complete()).isTrue();
        assertThat(same.latency().liveP50Ms()).isNotNull();

        var changed = replay(Map.of("sessionId", session, "playbookVersion", version));
        assertThat(changed.playbookVersion()).isEqualTo(version);
        assertThat(changed.sessions()).isEqualTo(1);
        // turn 2 now matches a need phrase; price is called budget; with authority gone, the boss turn reads as a
        // buying signal to the embeddings; and turn 12's need objection now repeats turn 2's within the cool-down
        assertThat(changed.changes()).extracting(ReplayReport.Change::utteranceId, ReplayReport.Change::change)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(utterances.get(1), "added"),
                        org.assertj.core.groups.Tuple.tuple(utterances.get(3), "recategorised"),
                        org.assertj.core.groups.Tuple.tuple(utterances.get(7), "recategorised"),
                        org.assertj.core.groups.Tuple.tuple(utterances.get(11), "removed"));
        var added = changed.changes().get(0);
        assertThat(added.live()).isNull();
        assertThat(added.replayed().category()).isEqualTo("need");
        assertThat(added.text()).isEqualTo(turns.get(1).text());
        assertThat(changed.changes().get(1).live().category()).isEqualTo("price");
        assertThat(changed.changes().get(1).replayed().category()).isEqualTo("budget");
        assertThat(changed.changes().get(2).live().category()).isEqualTo("authority");
        assertThat(changed.changes().get(2).replayed().kind()).isEqualTo("buying_signal");
        assertThat(changed.changes().get(3).live().category()).isEqualTo("need");
        assertThat(changed.changes().get(3).replayed()).isNull();
        assertThat(changed.counts()).isEqualTo(new ReplayReport.Counts(1, 1, 2, live.size() - 3));

        // shadow mode: after a marker coached after the replays, no suggestion for a replayed utterance came again
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            var marker = new Transcript("item_marker", Track.CUSTOMER, "To be honest, now is not a good time.", true,
                    90_000, 92_000, 1.0, "text", Instant.now());
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, tenant, session, 99,
                    "gateway-service", marker));
            suggestions.awaitOne(r -> isSuggestion(r, session)
                    && "item_marker".equals(r.envelope().payloadAs(Suggestion.class).utteranceId()), BOUND);
            assertThat(suggestions.all().stream().filter(r -> isSuggestion(r, session)
                    && utterances.contains(r.envelope().payloadAs(Suggestion.class).utteranceId())))
                    .as("no suggestion for a replayed utterance").isEmpty();
        }
    }

    @Test
    void anotherTenantReadsNothingOfTheSessionAndCannotUseTheVersion() {
        int version = storeChangedPlaybook();
        kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, tenant, session, 1, "gateway-service",
                new Transcript("item_p", Track.CUSTOMER, "Honestly the price is too high for us this quarter.", true, 0,
                        2_000, 1.0, "text", Instant.now())));
        await().atMost(BOUND).until(() -> replay(Map.of("sessionId", session, "playbookVersion", 0)).utterances() == 1);

        var intruder = given().auth().oauth2(INTRUDER_KEY).contentType(ContentType.JSON)
                .body(Map.of("sessionId", session)).post("/api/v1/replays").then().statusCode(200)
                .extract().as(ReplayReport.class);
        assertThat(intruder.sessions()).isZero();
        assertThat(intruder.changes()).isEmpty();
        given().auth().oauth2(INTRUDER_KEY).contentType(ContentType.JSON)
                .body(Map.of("sessionId", session, "playbookVersion", version)).post("/api/v1/replays").then()
                .statusCode(404).contentType("application/problem+json").body("code", equalTo("playbook_version_not_found"));
    }

    @Test
    void aRequestWithoutSessionOrRangeOrWithTooLongARangeIsRefusedNamingTheField() {
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of()).post("/api/v1/replays").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid_replay"))
                .body("errors.path", hasItem("$.sessionId"));
        given().auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-03-01T00:00:00Z")).post("/api/v1/replays")
                .then().statusCode(400).body("errors.path", hasItem("$.to"));
        given().contentType(ContentType.JSON).body(Map.of("sessionId", session)).post("/api/v1/replays").then()
                .statusCode(401);
    }

    @Test
    void theReplayPageShowsTheChangedSuggestionsSideBySide() throws Exception {
        var missing = HeadlessBrowser.missingTools();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
        var utterances = new ArrayList<String>();
        recordSampleCall(utterances);
        int version = storeChangedPlaybook();

        var dir = Files.createTempDirectory("replay-page-test");
        var script = dir.resolve("replay-page-test.js");
        try (InputStream in = getClass().getResourceAsStream("/replay-page-test.js")) {
            Files.copy(in, script);
        }
        var run = HeadlessBrowser.run(script, Map.of("REPLAY_URL", base.resolve("/replay/").toString(), "API_KEY", key,
                "SESSION_ID", session, "VERSION", String.valueOf(version)), Duration.ofMinutes(5));
        assertThat(run.exitCode()).as("browser script output:%n%s", run.output()).isZero();
        var line = run.output().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        var result = EventJson.MAPPER.readTree(line.substring("RESULT ".length()));

        assertThat(result.get("versions").toString()).contains("v" + version + " replay check (active)");
        assertThat(result.get("summary").asText()).contains("v" + version, "1 session");
        assertThat(result.get("counts").asText()).isEqualTo("1 added, 1 removed, 2 re-categorised, 3 unchanged");
        assertThat(result.get("replayedHead").asText()).isEqualTo("with v" + version);
        var rows = result.get("rows");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1).get("utterance").asText()).isEqualTo(utterances.get(3));
        assertThat(rows.get(1).get("change").asText()).isEqualTo("recategorised");
        assertThat(rows.get(1).get("cells").get(2).asText()).startsWith("objection/price");
        assertThat(rows.get(1).get("cells").get(3).asText()).startsWith("objection/budget");
        assertThat(rows.get(0).get("cells").get(2).asText()).isEqualTo("no suggestion");
        assertThat(result.get("llmShown").asBoolean()).as("no LLM model asked for").isFalse();
        assertThat(result.get("consoleErrors")).isEmpty();
    }

    /** Plays the sample call's turns as final transcripts and waits for the suggestions it is coached with live. */
    private List<Received> recordSampleCall(List<String> utterances) {
        var turns = SampleCall.turns();
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            long t = 0;
            for (var turn : turns) {
                var transcript = new Transcript("item_" + turn.turn() + "_" + UUID.randomUUID(), turn.track(),
                        turn.text(), true, t, t + 3_000, 1.0, "text", Instant.now());
                utterances.add(transcript.utteranceId());
                kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, tenant, session, turn.turn(),
                        "gateway-service", transcript));
                t += 4_000;
            }
            long expected = turns.stream().filter(turn -> turn.expect() != null).count();
            return suggestions.await(r -> isSuggestion(r, session), (int) expected, BOUND);
        }
    }

    private ReplayReport replay(Map<String, Object> body) {
        return given().auth().oauth2(key).contentType(ContentType.JSON).body(body).post("/api/v1/replays").then()
                .statusCode(200).extract().as(ReplayReport.class);
    }

    /** Version n of the tenant: price renamed budget, authority removed, the sample call's second turn a need. */
    private int storeChangedPlaybook() {
        var tree = (ObjectNode) EventJson.MAPPER.valueToTree(defaults.playbook());
        tree.put("name", "replay check");
        var objections = (ArrayNode) tree.get("objections");
        for (int i = objections.size() - 1; i >= 0; i--) {
            var objection = (ObjectNode) objections.get(i);
            switch (objection.get("category").asText()) {
                case "price" -> objection.put("category", "budget");
                case "authority" -> objections.remove(i);
                case "need" -> ((ArrayNode) objection.get("phrases")).add("onboarding new people is slow");
                default -> {
                }
            }
        }
        return given().auth().oauth2(key).contentType(ContentType.JSON).body(tree.toString()).put("/api/v1/playbook")
                .then().statusCode(201).extract().path("version");
    }

    private static boolean isSuggestion(Received record, String session) {
        return session.equals(record.key()) && record.envelope() != null
                && EventTypes.SUGGESTION.equals(record.envelope().type());
    }
}
