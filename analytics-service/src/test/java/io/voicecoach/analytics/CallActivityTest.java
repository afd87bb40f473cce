package io.voicecoach.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.voicecoach.analytics.SessionIngestTest.awaitSession;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stage timeline, LLM tokens and cost, call summary, audio minutes, team and outcome, transcription failures: through
 * Kafka into the session, the list filters and the aggregates. Tenant {@code globex} holds only this class's sessions.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class CallActivityTest {

    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");

    private static final String GLOBEX = GatewayCredentialStub.keyOf("globex");
    private static final String OCTOBER = "from=2026-10-01&to=2026-10-31";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void stagesTokensSummaryOutcomeAndFailuresReachTheSessionAndTheAggregates() {
        var g1 = DemoCall.of("globex", Instant.parse("2026-10-05T10:00:00Z"), "rep_g", Map.of("team", "east"));
        var g2 = DemoCall.of("globex", Instant.parse("2026-10-06T10:00:00Z"), "rep_h", Map.of("team", "west"));
        var g3 = DemoCall.of("globex", Instant.parse("2026-10-06T11:00:00Z"), "rep_g", Map.of("team", "east"));
        for (var call : List.of(g1, g2, g3)) {
            call.send(kafka);
        }
        // g1: the rep also spoke into a microphone (u4, transcribed from audio), one utterance failed
        kafka.send(Topics.TRANSCRIPTS, DemoCall.envelope(EventTypes.TRANSCRIPT_FINAL, "globex", g1.session(), 5,
                g1.at(8200), new Transcript("u4", Track.AGENT, "shall we book a demo?", true, 7000, 8000, 0.8,
                        "pocketsphinx", g1.at(8100))));
        var failed = event(g1, EventTypes.TRANSCRIPT_FAILED, 9000,
                new TranscriptFailed("u5", Track.CUSTOMER, "engine_timeout", "no result in 5 s", "pocketsphinx"));
        kafka.send(Topics.TRANSCRIPTS, failed);
        var stage1 = event(g1, EventTypes.STAGE_CHANGED, 2800, new StageChanged("spin", "problem", "situation", "u1", 1000));
        var stage2 = event(g1, EventTypes.STAGE_CHANGED, 4300, new StageChanged("spin", "implication", "problem", "u2", 3000));
        var usage1 = event(g1, EventTypes.LLM_USAGE, 2900,
                new LlmUsage("r1", "coaching", "gpt-4o-mini", 1000, 50, 0.0002, 700, "ok"));
        var usage2 = event(g1, EventTypes.LLM_USAGE, 4400,
                new LlmUsage("r2", "coaching", "gpt-4o-mini", 800, 0, 0.00012, 1500, "deadline"));
        var summary = event(g1, EventTypes.CALL_SUMMARY, 11_000,
                new CallSummary("Price objection handled; competitor Acme in play.", List.of("send pricing", "book demo"),
                        "gpt-4o"));
        for (var e : List.of(stage1, stage2, usage1, usage2, summary)) {
            kafka.send(Topics.SUGGESTIONS, e);
        }
        kafka.send(Topics.SESSIONS, event(g1, EventTypes.SESSION_UPDATED, 9500,
                new SessionUpdated(null, null, null, List.of(), null, Map.of("outcome", "won"))));
        kafka.send(Topics.SESSIONS, event(g2, EventTypes.SESSION_UPDATED, 9500,
                new SessionUpdated(null, null, null, List.of(), null, Map.of("outcome", "lost", "team", "north"))));
        kafka.send(Topics.SUGGESTIONS, event(g2, EventTypes.LLM_USAGE, 3000,
                new LlmUsage("r3", "agent", "gpt-4o", 2000, 500, 0.01, 900, "ok")));

        var s = awaitSession(GLOBEX, g1.session(), j -> j.getString("summary.text") != null
                && "won".equals(j.getString("outcome")) && j.getList("utterances").size() == 4
                && j.getList("llmCalls").size() == 2 && j.getInt("metrics.transcriptionFailures.count") == 1
                && j.getList("metrics.stages").size() == 3 && j.getString("endedAt") != null);
        assertG1(g1, s);
        awaitSession(GLOBEX, g2.session(), j -> "lost".equals(j.getString("outcome")) && j.getList("llmCalls").size() == 1);
        awaitSession(GLOBEX, g3.session(), j -> j.getString("endedAt") != null && j.getList("utterances").size() == 3);

        // redelivered, and a marker behind the redeliveries on each topic
        for (var e : List.of(stage1, stage2, usage1, usage2, summary)) {
            kafka.send(Topics.SUGGESTIONS, e);
        }
        kafka.send(Topics.TRANSCRIPTS, failed);
        kafka.send(Topics.SUGGESTIONS, event(g1, EventTypes.LLM_USAGE, 12_000,
                new LlmUsage("r9", "summary", "gpt-4o", 10, 10, 0.00001, 100, "ok")));
        kafka.send(Topics.TRANSCRIPTS, DemoCall.utterance("globex", g1.session(), g1.t0(), "u6", Track.CUSTOMER,
                "thanks", 9000, 9500, 9600, 9700));
        var after = awaitSession(GLOBEX, g1.session(), j -> j.getList("llmCalls").size() == 3
                && j.getList("utterances").size() == 5);
        assertThat(after.getLong("metrics.llm.totalTokens")).isEqualTo(1850 + 20);
        assertThat(after.getInt("metrics.transcriptionFailures.count")).isEqualTo(1);
        assertThat(after.getList("metrics.stages.stage")).containsExactly("situation", "problem", "implication");

        assertThat(ids("outcome=won&" + OCTOBER)).containsExactly(g1.session());
        assertThat(ids("team=east&" + OCTOBER)).containsExactly(g3.session(), g1.session());
        assertThat(ids("team=north&outcome=lost&" + OCTOBER)).containsExactly(g2.session());
        assertThat(ids("team=west&" + OCTOBER)).isEmpty();
        var list = get(GLOBEX, "/api/v1/sessions?" + OCTOBER);
        assertThat(list.getList("sessions.team")).containsExactly("east", "north", "east");
        assertThat(list.getList("sessions.outcome")).containsExactly(null, "lost", "won");

        var teams = get(GLOBEX, "/api/v1/aggregates/teams?" + OCTOBER);
        assertThat(teams.getString("groupBy")).isEqualTo("team");
        assertThat(teams.getList("groups.key")).containsExactly("east", "north");
        assertThat(teams.getList("groups.sessions")).containsExactly(2, 1);
        assertThat(teams.getList("groups.llmTokens")).containsExactly(1870, 2500);
        assertThat(teams.getList("groups.llmCostUsd")).containsExactly(0.00033f, 0.01f);
        // g1: 10 s x 1 track from audio = 0.17 min; g3 typed text only
        assertThat(teams.getList("groups.audioMinutes")).containsExactly(0.17f, 0.0f);
        assertThat(teams.getList("groups.transcriptionFailures")).containsExactly(1, 0);
        assertThat(teams.getList("groups.outcomes")).containsExactly(Map.of("won", 1), Map.of("lost", 1));
        var lostReps = get(GLOBEX, "/api/v1/aggregates/reps?outcome=lost&" + OCTOBER);
        assertThat(lostReps.getList("groups.key")).containsExactly("rep_h");
        var eastDays = get(GLOBEX, "/api/v1/aggregates/days?team=east&" + OCTOBER);
        assertThat(eastDays.getList("groups.key")).containsExactly("2026-10-05", "2026-10-06");
        var csv = given().header("Authorization", "Bearer " + GLOBEX)
                .get("/api/v1/export/sessions?outcome=won&" + OCTOBER).then().statusCode(200).extract().asString();
        assertThat(csv.split("\r\n")[1]).startsWith(g1.session()).endsWith(",east,won");

        // another tenant sees none of it and cannot add to it
        assertThat(get(OTHER_KEY, "/api/v1/aggregates/teams?" + OCTOBER).getList("groups.key"))
                .doesNotContain("east", "north");
        try (var dlq = kafka.read(Topics.deadLetter(Topics.SUGGESTIONS))) {
            kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.LLM_USAGE, "other", g1.session(), 1,
                    g1.at(1), new LlmUsage("evil", "agent", "m", 1_000_000, 0, 99, 1, "ok")));
            dlq.awaitOne(r -> g1.session().equals(r.key()), WAIT);
        }
        assertThat(SessionIngestTest.session(GLOBEX, g1.session()).getLong("metrics.llm.totalTokens")).isEqualTo(1870);
    }

    private static void assertG1(DemoCall g1, JsonPath s) {
        assertThat(s.getString("team")).isEqualTo("east");
        assertThat(s.getString("outcome")).isEqualTo("won");
        assertThat(s.getMap("metadata")).isEqualTo(Map.of("team", "east", "outcome", "won"));
        assertThat(s.getString("summary.text")).isEqualTo("Price objection handled; competitor Acme in play.");
        assertThat(s.getList("summary.nextSteps")).containsExactly("send pricing", "book demo");
        assertThat(s.getString("summary.model")).isEqualTo("gpt-4o");
        assertThat(Instant.parse(s.getString("summary.summarizedAt"))).isEqualTo(g1.at(11_000));

        assertThat(s.getList("metrics.stages.stage")).containsExactly("situation", "problem", "implication");
        assertThat(s.getList("metrics.stages.startMs")).containsExactly(0, 1000, 3000);
        assertThat(s.getList("metrics.stages.endMs")).containsExactly(1000, 3000, 10_000);
        assertThat(s.getList("metrics.stages.durationMs")).containsExactly(1000, 2000, 7000);
        assertThat(s.getList("metrics.stages.utteranceId")).containsExactly(null, "u1", "u2");
        assertThat(s.getList("metrics.stages.methodology")).containsOnly("spin");

        assertThat(s.getInt("metrics.llm.calls")).isEqualTo(2);
        assertThat(s.getInt("metrics.llm.failed")).isEqualTo(1);
        assertThat(s.getLong("metrics.llm.promptTokens")).isEqualTo(1800);
        assertThat(s.getLong("metrics.llm.completionTokens")).isEqualTo(50);
        assertThat(s.getLong("metrics.llm.totalTokens")).isEqualTo(1850);
        assertThat(s.getDouble("metrics.llm.costUsd")).isEqualTo(0.00032);
        assertThat(s.getList("llmCalls.requestId")).containsExactly("r1", "r2");
        assertThat(s.getList("llmCalls.outcome")).containsExactly("ok", "deadline");

        assertThat(s.getMap("metrics.transcriptionFailures.byCode")).isEqualTo(Map.of("engine_timeout", 1));
        assertThat(s.getMap("transcriptionFailures[0]")).containsEntry("utteranceId", "u5")
                .containsEntry("track", "customer").containsEntry("code", "engine_timeout")
                .containsEntry("engine", "pocketsphinx");

        // 10 s call, one track (the rep's) transcribed from audio
        assertThat(s.getDouble("metrics.audioMinutes")).isEqualTo(0.17);
    }

    @Test
    void theLatestComplianceChecklistIsStoredOnceAndOnlyForItsTenant() {
        var call = DemoCall.of("globex", Instant.parse("2026-10-07T10:00:00Z"), "rep_c", Map.of());
        call.send(kafka);
        var open = event(call, EventTypes.COMPLIANCE_CHECKLIST, 100, checklist(ComplianceChecklist.PENDING, null,
                ComplianceChecklist.KEPT, null, false));
        var closed = event(call, EventTypes.COMPLIANCE_CHECKLIST, 10_100, checklist(ComplianceChecklist.SAID, "u2",
                ComplianceChecklist.BROKEN, "u2", true));
        kafka.send(Topics.SUGGESTIONS, open);
        kafka.send(Topics.SUGGESTIONS, closed);
        var s = awaitSession(GLOBEX, call.session(), j -> j.getBoolean("compliance.closed"));
        assertThat(s.getList("compliance.items.ruleId")).containsExactly("recording_notice", "guarantee");
        assertThat(s.getList("compliance.items.kind")).containsExactly("must_say", "must_not_say");
        assertThat(s.getList("compliance.items.status")).containsExactly("said", "broken");
        assertThat(s.getList("compliance.items.utteranceId")).containsExactly("u2", "u2");
        assertThat(s.getLong("compliance.items[0].withinMs")).isEqualTo(60_000);
        assertThat(s.getString("compliance.items[0].message")).isEqualTo("Tell the customer the call is recorded.");

        // the open checklist again (a redelivery) and another tenant's checklist for the session change nothing
        try (var dlq = kafka.read(Topics.deadLetter(Topics.SUGGESTIONS))) {
            kafka.send(Topics.SUGGESTIONS, open);
            kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.COMPLIANCE_CHECKLIST, "other", call.session(),
                    1, call.at(10_200), checklist(ComplianceChecklist.MISSED, null, ComplianceChecklist.KEPT, null,
                            true)));
            dlq.awaitOne(r -> call.session().equals(r.key()), WAIT);
        }
        kafka.send(Topics.SUGGESTIONS, event(call, EventTypes.LLM_USAGE, 10_300,
                new LlmUsage("r_marker", "summary", "gpt-4o", 1, 1, 0.0, 10, "ok")));
        var after = awaitSession(GLOBEX, call.session(), j -> j.getList("llmCalls").size() == 1);
        assertThat(after.getList("compliance.items.status")).containsExactly("said", "broken");
        assertThat(after.getBoolean("compliance.closed")).isTrue();
        var refused = given().header("Authorization", "Bearer " + OTHER_KEY).get("/api/v1/sessions/" + call.session());
        assertThat(refused.statusCode()).isEqualTo(404);
    }

    private static ComplianceChecklist checklist(String recording, String recordingIn, String guarantee,
                                                 String guaranteeIn, boolean closed) {
        return new ComplianceChecklist(List.of(
                new ComplianceChecklist.Item("recording_notice", ComplianceChecklist.MUST_SAY, recording,
                        "Tell the customer the call is recorded.", 60_000, recordingIn),
                new ComplianceChecklist.Item("guarantee", ComplianceChecklist.MUST_NOT_SAY, guarantee,
                        "Never promise results.", 0, guaranteeIn)), closed);
    }

    private static Envelope event(DemoCall call, String type, long at, Object payload) {
        return DemoCall.envelope(type, call.tenant(), call.session(), 1, call.at(at), payload);
    }

    private static List<String> ids(String query) {
        return get(GLOBEX, "/api/v1/sessions?" + query).getList("sessions.sessionId");
    }

    private static JsonPath get(String key, String path) {
        return given().header("Authorization", "Bearer " + key).urlEncodingEnabled(false).get(path)
                .then().statusCode(200).extract().jsonPath();
    }
}
