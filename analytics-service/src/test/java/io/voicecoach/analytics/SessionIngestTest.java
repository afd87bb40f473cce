package io.voicecoach.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Citation;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class SessionIngestTest {

    private static final String DEMO_KEY = GatewayCredentialStub.keyOf("demo");
    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Generous: the build machine is shared and sometimes very busy; the bound only matters when a test fails. */
    static final Duration SESSION_WAIT = Duration.ofSeconds(90);

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aFullSessionIsReportedInOrderWithItsLatency() {
        var call = DemoCall.of("demo");
        call.send(kafka);

        // a receipt (voice.sessions) can make a suggestion's row before the suggestion itself (coach.suggestions) is in
        var session = awaitSession(DEMO_KEY, call.session(), s -> s.getString("endedAt") != null
                && s.getList("utterances").size() == 3 && s.getList("suggestions.deliveredAt").stream().allMatch(d -> d != null)
                && s.getList("suggestions").size() == 2 && s.getList("suggestions.kind").stream().allMatch(k -> k != null));
        assertComplete(call, session);
    }

    @Test
    void redeliveredEventsChangeNothing() {
        var call = DemoCall.of("demo");
        call.send(kafka);
        awaitSession(DEMO_KEY, call.session(), s -> s.getString("endedAt") != null
                && s.getList("suggestions.deliveredAt").stream().filter(d -> d != null).count() == 2
                && s.getList("utterances").size() == 3);

        double duplicatesBefore = eventsCounted("duplicate");
        double ingestedBefore = eventsCounted("ingested");
        call.send(kafka);
        // the same event id with other content must be recognised as already applied
        var replayedEnd = new Envelope(call.ended().eventId(), EventTypes.SESSION_ENDED, 1, "demo", call.session(), 9,
                call.at(99_000), "test", EventJson.tree(new SessionEnded("error", 99_000)));
        kafka.send(Topics.SESSIONS, replayedEnd);
        // markers behind the redeliveries on every topic's partition of this session
        kafka.send(Topics.TRANSCRIPTS, DemoCall.utterance("demo", call.session(), call.t0(), "u4", Track.AGENT,
                "marker", 7000, 7500, 7600, 7700));
        kafka.send(Topics.SUGGESTIONS, DemoCall.suggestion("demo", call.session(), call.t0(), call.suggestionId("s3"),
                "u4", "need", 7600, 7700, 7750));
        kafka.send(Topics.SESSIONS, DemoCall.receipt("demo", call.session(), call.t0(), call.suggestionId("s3"),
                "u4", 7750, 7800));

        var session = awaitSession(DEMO_KEY, call.session(), s -> s.getList("utterances").size() == 4
                && s.getList("suggestions.deliveredAt").stream().filter(d -> d != null).count() == 3);
        assertThat(session.getList("utterances.utteranceId")).containsExactly("u1", "u2", "u3", "u4");
        assertThat(session.getList("suggestions.suggestionId")).containsExactly(
                call.suggestionId("s1"), call.suggestionId("s2"), call.suggestionId("s3"));
        assertThat(session.getString("endReason")).isEqualTo("client_closed");
        assertThat(session.getLong("durationMs")).isEqualTo(10_000);
        assertThat(session.getInt("latency.endToEndMs.count")).isEqualTo(3);
        // the 9 events sent again and the replayed end were each recognised as duplicates
        await().atMost(WAIT).until(() -> eventsCounted("duplicate") >= duplicatesBefore + 10);
        assertThat(eventsCounted("ingested")).isGreaterThanOrEqualTo(ingestedBefore + 13);
    }

    @Test
    void aRedeliveryMixedWithARepublishedAndANewUtteranceCountsOnlyTheChanges() {
        String rep = "rep_" + UUID.randomUUID();
        var call = DemoCall.of("demo", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), rep);
        call.send(kafka);
        awaitSession(DEMO_KEY, call.session(), s -> s.getString("endedAt") != null
                && s.getList("utterances").size() == 3);

        double duplicatesBefore = eventsCounted("duplicate");
        // back to back on the session's partition: u1 and u2 again (same event ids), u3 re-published longer
        // (same utterance id, new event id: replaces the row), and a new agent utterance u4
        kafka.send(Topics.TRANSCRIPTS, call.u1());
        kafka.send(Topics.TRANSCRIPTS, call.u2());
        kafka.send(Topics.TRANSCRIPTS, DemoCall.utterance("demo", call.session(), call.t0(), "u3", Track.CUSTOMER,
                "we are also talking to Acme and Globex", 5000, 6500, 6600, 6700));
        kafka.send(Topics.TRANSCRIPTS, DemoCall.utterance("demo", call.session(), call.t0(), "u4", Track.AGENT,
                "who else is on your shortlist", 7000, 7500, 7600, 7700));

        var session = awaitSession(DEMO_KEY, call.session(), s -> s.getList("utterances").size() == 4
                && s.getString("utterances[2].text").endsWith("Globex"));
        assertThat(session.getList("utterances.utteranceId")).containsExactly("u1", "u2", "u3", "u4");
        assertThat(session.getInt("utterances[2].endMs")).isEqualTo(6500);
        await().atMost(WAIT).until(() -> eventsCounted("duplicate") >= duplicatesBefore + 2);

        var listed = given().header("Authorization", "Bearer " + DEMO_KEY)
                .get("/api/v1/sessions?rep={rep}", rep).then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("sessions.sessionId")).containsExactly(call.session());
        assertThat(listed.getInt("sessions[0].utteranceCount")).isEqualTo(4);
        // agent u2 + u4 = 1500 ms of u1 1500 + u2 1000 + u3 1500 (not its old 1000 as well) + u4 500 = 4500 ms
        var byRep = given().header("Authorization", "Bearer " + DEMO_KEY)
                .get("/api/v1/aggregates/reps?rep={rep}", rep).then().statusCode(200).extract().jsonPath();
        assertThat(byRep.getFloat("groups[0].repTalkShare")).isEqualTo(0.333f);
    }

    /** {@code voicecoach_analytics_events_total} of an outcome over all topics, or {@code ingested_total}. */
    static double eventsCounted(String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> "ingested".equals(outcome) ? l.startsWith("voicecoach_analytics_ingested_total")
                        : l.startsWith("voicecoach_analytics_events_total{") && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void eventsArrivingOutOfOrderAcrossTopicsStillAddUp() {
        var call = DemoCall.of("demo");

        kafka.send(Topics.TRANSCRIPTS, call.u1());
        var early = awaitSession(DEMO_KEY, call.session(), s -> s.getList("utterances").size() == 1);
        assertThat(early.getString("startedAt")).isNull();

        kafka.send(Topics.SESSIONS, call.r1());
        var receiptOnly = awaitSession(DEMO_KEY, call.session(), s -> s.getList("suggestions").size() == 1);
        assertThat(receiptOnly.getString("suggestions[0].deliveredAt")).isEqualTo(call.at(2730).toString());
        assertThat(receiptOnly.getString("suggestions[0].kind")).isNull();

        kafka.send(Topics.SESSIONS, call.started());
        kafka.send(Topics.SUGGESTIONS, call.s1());
        kafka.send(Topics.SESSIONS, call.r2());
        kafka.send(Topics.SESSIONS, call.ended());
        kafka.send(Topics.TRANSCRIPTS, call.u3());
        kafka.send(Topics.TRANSCRIPTS, call.u2());
        kafka.send(Topics.SUGGESTIONS, call.s2());

        var session = awaitSession(DEMO_KEY, call.session(), s -> s.getString("endedAt") != null
                && s.getList("utterances").size() == 3 && s.getList("suggestions.kind").stream().allMatch(k -> k != null)
                && s.getList("suggestions").size() == 2);
        assertComplete(call, session);
    }

    @Test
    void tenantsNeitherSeeNorChangeEachOthersSessions() {
        var demo = DemoCall.of("demo");
        demo.send(kafka);
        awaitSession(DEMO_KEY, demo.session(), s -> s.getString("endedAt") != null
                && s.getList("utterances").size() == 3);
        var otherOlder = DemoCall.of("other");
        kafka.send(Topics.SESSIONS, otherOlder.started());
        var otherNewer = "sess_" + UUID.randomUUID();
        kafka.send(Topics.SESSIONS, DemoCall.envelope(EventTypes.SESSION_STARTED, "other", otherNewer, 1,
                otherOlder.at(1000), new SessionStarted("coach", "call_x", "rep_9", List.of(Track.AGENT), "en-US",
                        "audio/pcm", Map.of())));
        kafka.send(Topics.TRANSCRIPTS, DemoCall.utterance("other", otherNewer, otherOlder.t0(), "u1", Track.AGENT,
                "hello", 0, 500, 1500, 1600));
        awaitSession(OTHER_KEY, otherNewer, s -> s.getList("utterances").size() == 1);

        problem(OTHER_KEY, "/api/v1/sessions/" + demo.session(), 404);
        var otherList = given().header("Authorization", "Bearer " + OTHER_KEY)
                .get("/api/v1/sessions?limit=100").then().statusCode(200).extract().jsonPath();
        List<String> otherIds = otherList.getList("sessions.sessionId");
        assertThat(otherIds).doesNotContain(demo.session());
        assertThat(otherIds.indexOf(otherNewer)).isGreaterThanOrEqualTo(0).isLessThan(otherIds.indexOf(otherOlder.session()));
        assertThat(otherList.getInt("sessions.find { it.sessionId == '" + otherNewer + "' }.utteranceCount")).isEqualTo(1);
        var demoIds = given().header("Authorization", "Bearer " + DEMO_KEY)
                .get("/api/v1/sessions?limit=100").then().statusCode(200).extract().jsonPath().getList("sessions.sessionId");
        assertThat(demoIds).contains(demo.session()).doesNotContain(otherNewer, otherOlder.session());

        try (var sessionsDlq = kafka.read(Topics.deadLetter(Topics.SESSIONS));
             var transcriptsDlq = kafka.read(Topics.deadLetter(Topics.TRANSCRIPTS));
             var suggestionsDlq = kafka.read(Topics.deadLetter(Topics.SUGGESTIONS))) {
            kafka.send(Topics.SESSIONS, DemoCall.envelope(EventTypes.SESSION_ENDED, "other", demo.session(), 1,
                    demo.at(50_000), new SessionEnded("hijacked", 1)));
            kafka.send(Topics.TRANSCRIPTS, DemoCall.utterance("other", demo.session(), demo.t0(), "u9", Track.AGENT,
                    "injected", 0, 10, 20, 30));
            kafka.send(Topics.SUGGESTIONS, DemoCall.suggestion("other", demo.session(), demo.t0(),
                    demo.suggestionId("s1"), "u1", "hijack", 1, 2, 3,
                    List.of(new Citation("doc_hijack", "Hijack", 0, "planted", 1.0))));
            for (var dlq : List.of(sessionsDlq, transcriptsDlq, suggestionsDlq)) {
                dlq.awaitOne(r -> demo.session().equals(r.key()), WAIT);
            }
        }
        var unchanged = session(DEMO_KEY, demo.session());
        assertComplete(demo, unchanged);
    }

    @Test
    void aBattleCardFillsItsSuggestionsCardOnceAndOnlyWithinItsTenantAndSession() {
        var call = DemoCall.of("demo");
        var card = new BattleCard("card_followed", "price", null, "Price", "Value first", List.of("ROI", "Phasing"));
        var s1 = withoutCard(call.s1());
        var card1 = cardOf(call, s1, 2, card);
        kafka.send(Topics.SESSIONS, call.started());
        // back to back on the session's partition: usually one batch, the suggestion first
        kafka.send(Topics.SUGGESTIONS, s1);
        kafka.send(Topics.SUGGESTIONS, card1);
        var first = awaitSession(DEMO_KEY, call.session(),
                s -> "card_followed".equals(s.getString("suggestions[0].card.id")));
        assertThat(first.getList("suggestions[0].card.talkingPoints")).containsExactly("ROI", "Phasing");
        assertThat(first.getString("suggestions[0].title")).isEqualTo("Objection: price");

        // a later batch: the row is there already
        var s2 = withoutCard(call.s2());
        kafka.send(Topics.SUGGESTIONS, s2);
        awaitSession(DEMO_KEY, call.session(), s -> s.getList("suggestions").size() == 2);
        kafka.send(Topics.SUGGESTIONS, cardOf(call, s2, 3, card));
        awaitSession(DEMO_KEY, call.session(),
                s -> "card_followed".equals(s.getString("suggestions[1].card.id")));

        double duplicatesBefore = eventsCounted("duplicate");
        var hijack = new BattleCard("card_hijack", "price", null, "Hijack", "x", List.of());
        var s1Id = s1.payloadAs(Suggestion.class).suggestionId();
        var otherSession = "sess_" + UUID.randomUUID();
        try (var dlq = kafka.read(Topics.deadLetter(Topics.SUGGESTIONS))) {
            kafka.send(Topics.SUGGESTIONS, card1);
            kafka.send(Topics.SUGGESTIONS, s1);
            kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.BATTLE_CARD, "other", call.session(), 4,
                    call.at(2800), new SuggestionCard(s1Id, "u1", hijack)));
            kafka.send(Topics.SESSIONS, DemoCall.envelope(EventTypes.SESSION_STARTED, "other", otherSession, 1,
                    call.at(1000), new SessionStarted("coach", "call_x", "rep_9", List.of(Track.AGENT), "en-US",
                            "audio/pcm", Map.of())));
            kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.BATTLE_CARD, "other", otherSession, 2,
                    call.at(2800), new SuggestionCard(s1Id, "u1", hijack)));
            dlq.awaitOne(r -> call.session().equals(r.key()), WAIT);
            dlq.awaitOne(r -> otherSession.equals(r.key()), WAIT);
        }
        await().atMost(WAIT).until(() -> eventsCounted("duplicate") >= duplicatesBefore + 2);
        var unchanged = session(DEMO_KEY, call.session());
        assertThat(unchanged.getList("suggestions.card.id")).containsExactly("card_followed", "card_followed");
        assertThat(unchanged.getList("suggestions.suggestionId"))
                .containsExactly(call.suggestionId("s1"), call.suggestionId("s2"));
    }

    private static Envelope withoutCard(Envelope suggestion) {
        return new Envelope(suggestion.eventId(), suggestion.type(), suggestion.schemaVersion(), suggestion.tenantId(),
                suggestion.sessionId(), suggestion.seq(), suggestion.occurredAt(), suggestion.producer(),
                EventJson.tree(suggestion.payloadAs(Suggestion.class).withCard(null)));
    }

    private static Envelope cardOf(DemoCall call, Envelope suggestion, long seq, BattleCard card) {
        var sent = suggestion.payloadAs(Suggestion.class);
        return DemoCall.envelope(EventTypes.BATTLE_CARD, call.tenant(), call.session(), seq,
                suggestion.occurredAt().plusMillis(40), new SuggestionCard(sent.suggestionId(), sent.utteranceId(), card));
    }

    @Test
    void poisonRecordsAreParkedAndIngestionContinues() {
        var call = DemoCall.of("demo");
        try (var transcriptsDlq = kafka.read(Topics.deadLetter(Topics.TRANSCRIPTS));
             var suggestionsDlq = kafka.read(Topics.deadLetter(Topics.SUGGESTIONS));
             var sessionsDlq = kafka.read(Topics.deadLetter(Topics.SESSIONS))) {
            kafka.sendRaw(Topics.SESSIONS, call.session(), "{\"eventId\": \"not json");
            kafka.send(Topics.SESSIONS, call.started());
            kafka.sendRaw(Topics.TRANSCRIPTS, call.session(), "{not json");
            kafka.send(Topics.TRANSCRIPTS, DemoCall.utterance("demo", call.session(), call.t0(), "u0", "robot",
                    "unknown track", 0, 10, 20, 30));
            kafka.send(Topics.TRANSCRIPTS, call.u1());
            kafka.send(Topics.SUGGESTIONS, DemoCall.envelope("coaching.mystery", "demo", call.session(), 1,
                    call.at(1), Map.of("x", 1)));
            kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.SUGGESTION, "demo", call.session(), 1,
                    call.at(1), Map.of("title", "no id")));
            kafka.send(Topics.SUGGESTIONS, call.s1());

            var session = awaitSession(DEMO_KEY, call.session(), s -> s.getString("startedAt") != null
                    && s.getList("utterances").size() == 1 && s.getList("suggestions").size() == 1);
            assertThat(session.getList("utterances.utteranceId")).containsExactly("u1");

            var parkedSessions = sessionsDlq.awaitOne(r -> call.session().equals(r.key()), WAIT);
            assertThat(parkedSessions.valueAsString()).isEqualTo("{\"eventId\": \"not json");
            assertThat(parkedSessions.headers().get("dead-letter-reason")).contains("not an event envelope");
            assertThat(transcriptsDlq.await(r -> call.session().equals(r.key()), 2, WAIT)).hasSize(2);
            var parkedSuggestion = suggestionsDlq.awaitOne(r -> call.session().equals(r.key()), WAIT);
            assertThat(parkedSuggestion.envelope().type()).isEqualTo(EventTypes.SUGGESTION);
            assertThat(suggestionsDlq.all().stream().filter(r -> call.session().equals(r.key()))).hasSize(1);
        }
    }

    static void assertComplete(DemoCall call, JsonPath s) {
        assertThat(s.getString("sessionId")).isEqualTo(call.session());
        assertThat(s.getString("tenantId")).isEqualTo("demo");
        assertThat(s.getString("callId")).isEqualTo("call_" + call.session());
        assertThat(s.getString("repId")).isEqualTo("rep_7");
        assertThat(s.getString("mode")).isEqualTo("coach");
        assertThat(Instant.parse(s.getString("startedAt"))).isEqualTo(call.t0());
        assertThat(Instant.parse(s.getString("endedAt"))).isEqualTo(call.at(10_000));
        assertThat(s.getString("endReason")).isEqualTo("client_closed");
        assertThat(s.getLong("durationMs")).isEqualTo(10_000);

        assertThat(s.getList("utterances.utteranceId")).containsExactly("u1", "u2", "u3");
        assertThat(s.getList("utterances.track")).containsExactly(Track.CUSTOMER, Track.AGENT, Track.CUSTOMER);
        assertThat(s.getString("utterances[0].text")).isEqualTo("honestly the price is too high for us");
        assertThat(s.getInt("utterances[0].startMs")).isEqualTo(1000);
        assertThat(s.getInt("utterances[0].endMs")).isEqualTo(2500);
        assertThat(s.getString("utterances[0].engine")).isEqualTo("text");
        assertThat(Instant.parse(s.getString("utterances[0].receivedAt"))).isEqualTo(call.at(2600));
        assertThat(Instant.parse(s.getString("utterances[0].publishedAt"))).isEqualTo(call.at(2700));

        assertThat(s.getList("suggestions.suggestionId")).containsExactly(call.suggestionId("s1"), call.suggestionId("s2"));
        assertThat(s.getList("suggestions.utteranceId")).containsExactly("u1", "u3");
        assertThat(s.getList("suggestions.category")).containsExactly("price", "competitor");
        assertThat(s.getString("suggestions[0].kind")).isEqualTo("objection");
        assertThat(s.getString("suggestions[0].title")).isEqualTo("Objection: price");
        assertThat(s.getString("suggestions[0].source")).isEqualTo("rules");
        assertThat(s.getInt("suggestions[0].priority")).isEqualTo(1);
        assertThat(s.getString("suggestions[0].card.id")).isEqualTo("card_price");
        assertThat(s.getList("suggestions[0].card.talkingPoints")).containsExactly("point one", "point two");
        assertThat(s.getList("suggestions[0].citations.documentId")).containsExactly("doc_pricing", "doc_onboarding");
        assertThat(s.getList("suggestions[0].citations.documentTitle")).containsExactly("Pricing FAQ", "Onboarding guide");
        assertThat(s.getList("suggestions[0].citations.chunkIndex")).containsExactly(3, 0);
        assertThat(s.getString("suggestions[0].citations[0].excerpt"))
                .isEqualTo("Annual plans save 20% over monthly billing.");
        assertThat(s.getDouble("suggestions[0].citations[0].score")).isEqualTo(0.82);
        assertThat(s.getList("suggestions[1].citations")).isEmpty();
        assertThat(Instant.parse(s.getString("suggestions[1].receivedAt"))).isEqualTo(call.at(6100));
        assertThat(Instant.parse(s.getString("suggestions[1].transcriptAt"))).isEqualTo(call.at(6200));
        assertThat(Instant.parse(s.getString("suggestions[1].suggestedAt"))).isEqualTo(call.at(6240));
        assertThat(Instant.parse(s.getString("suggestions[1].deliveredAt"))).isEqualTo(call.at(6270));

        assertLatency(s, "transcriptToSuggestionMs", 20, 40);
        assertLatency(s, "suggestionToClientMs", 10, 30);
        assertLatency(s, "endToEndMs", 130, 170);
    }

    private static void assertLatency(JsonPath s, String hop, int p50, int max) {
        assertThat(s.getMap("latency." + hop)).containsExactlyInAnyOrderEntriesOf(
                Map.of("count", 2, "p50", p50, "p95", max, "max", max));
    }

    static JsonPath session(String key, String sessionId) {
        return given().header("Authorization", "Bearer " + key)
                .get("/api/v1/sessions/{id}", sessionId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Polls the session until it exists and {@code ready} holds. */
    static JsonPath awaitSession(String key, String sessionId, Predicate<JsonPath> ready) {
        var last = new java.util.concurrent.atomic.AtomicReference<String>("no answer yet");
        return await("session " + sessionId + " (last answer: see below)").atMost(SESSION_WAIT)
                .pollInterval(Duration.ofMillis(200))
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() <= 0) {
                        System.err.println("awaitSession " + sessionId + " gave up; last answer: " + last.get());
                    }
                })
                .until(() -> {
                    var response = given().header("Authorization", "Bearer " + key)
                            .get("/api/v1/sessions/{id}", sessionId);
                    last.set(response.statusCode() + " " + response.asString());
                    return response.statusCode() == 200 ? response.jsonPath() : null;
                }, s -> s != null && ready.test(s));
    }

    static void problem(String key, String path, int status) {
        var response = given().header("Authorization", "Bearer " + key).get(path);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
    }
}
