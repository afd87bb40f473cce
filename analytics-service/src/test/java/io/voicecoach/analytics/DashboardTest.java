package io.voicecoach.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.HeadlessBrowser;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.AgentAudioDone;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.voicecoach.devstack.LocalLlm;
import io.voicecoach.devstack.SampleCall;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.analytics.SessionIngestTest.awaitSession;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in headless Chromium against the real service: a call seeded through Kafka is listed, opened (lanes,
 * prompts, stage bands, talk chart, the prompts with the knowledge-base chunks they cite) and left again; a call in
 * progress shows in the live panel; the replay panel re-runs a call recorded by the packaged coaching-service through a
 * changed playbook (and a time range of the tenant's calls) and marks exactly the changed suggestion, and another
 * tenant can neither replay the call nor use its playbook through analytics' pass-through. With {@code -Dvoicecoach.screenshot} the call page's screenshot is copied to
 * {@code docs/dashboard.png}.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(PackagedCoaching.Port.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {

    private static final String INITECH_KEY = GatewayCredentialStub.keyOf("initech");
    private static final String INTRUDER_KEY = GatewayCredentialStub.keyOf("intruder");
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** Started by the first replay test, after the seeded-call test: a live coaching would coach that call too. */
    private static PackagedCoaching coaching;
    /** The LLM of {@link #LLM_TENANT}: its live model and {@code strong-model} disagree on every customer turn. */
    private static LocalLlm llm;
    private static final String LLM_TENANT = "replayllm";
    private static final String PRICE = "Honestly the price is too high for us this quarter.";
    private static final String VENDOR = "We are already using another vendor for this.";
    private static final String START = "How soon could we get started, and what does the contract look like?";

    @TestHTTPResource("/")
    URI base;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @AfterAll
    static void stopCoaching() {
        if (coaching != null) {
            coaching.close();
        }
        if (llm != null) {
            llm.close();
        }
    }

    @Test
    @Order(1)
    void aManagerFindsACallOpensItsTimelineAndComesBack() throws Exception {
        var missing = HeadlessBrowser.missingTools();
        assumeTrue(missing.isEmpty(), missing.orElse(""));

        var call = DemoCall.of("initech", Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS),
                "rep_dash", Map.of("team", "emea"));
        call.send(kafka);
        // the voice agent spoke 2.5 s (espeak-ng: free) and 1.5 s at 0.015 USD per 1,000 characters
        kafka.send(Topics.AGENT_SPEECH, DemoCall.envelope(EventTypes.AGENT_AUDIO_DONE, "initech", call.session(), 1,
                call.at(4500), new AgentAudioDone("resp_1", "item_1", 13, "Sure, Tuesday at nine works.", 2500,
                        "espeak-ng", "alloy")));
        kafka.send(Topics.AGENT_SPEECH, DemoCall.envelope(EventTypes.AGENT_AUDIO_DONE, "initech", call.session(), 1,
                call.at(6500), new AgentAudioDone("resp_2", "item_2", 8, "x".repeat(2000), 1500,
                        "openai-compatible", "alloy")));
        for (var change : List.of(new StageChanged("spin", "problem", "situation", "u1", 1000),
                new StageChanged("spin", "implication", "problem", "u2", 3000))) {
            kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.STAGE_CHANGED, "initech", call.session(), 1,
                    call.at(change.atMs() + 100), change));
        }
        kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.COMPLIANCE_CHECKLIST, "initech", call.session(), 2,
                call.at(10_100), new ComplianceChecklist(List.of(
                        new ComplianceChecklist.Item("recording_notice", ComplianceChecklist.MUST_SAY,
                                ComplianceChecklist.MISSED, "Say the call is recorded.", 60_000, null),
                        new ComplianceChecklist.Item("guarantee", ComplianceChecklist.MUST_NOT_SAY,
                                ComplianceChecklist.KEPT, "Never promise results.", 0, null)), true)));
        var inProgress = DemoCall.of("initech", Instant.now().truncatedTo(ChronoUnit.MILLIS), "rep_live", Map.of());
        kafka.send(Topics.SESSIONS, inProgress.started());
        kafka.send(Topics.TRANSCRIPTS, inProgress.u1());
        kafka.send(Topics.SUGGESTIONS, DemoCall.envelope(EventTypes.COMPLIANCE_CHECKLIST, "initech",
                inProgress.session(), 1, inProgress.at(1_000), new ComplianceChecklist(List.of(
                        new ComplianceChecklist.Item("recording_notice", ComplianceChecklist.MUST_SAY,
                                ComplianceChecklist.SAID, "Say the call is recorded.", 60_000, "u1"),
                        new ComplianceChecklist.Item("guarantee", ComplianceChecklist.MUST_NOT_SAY,
                                ComplianceChecklist.BROKEN, "Never promise results.", 0, "u1")), false)));
        awaitSession(INITECH_KEY, call.session(), s -> s.getString("endedAt") != null
                && s.getList("utterances").size() == 3 && s.getList("metrics.stages").size() == 3
                && s.getList("suggestions.kind").stream().filter(k -> k != null).count() == 2
                && Integer.valueOf(2).equals(s.get("agentSpeech.items"))
                && Boolean.TRUE.equals(s.get("compliance.closed")));
        awaitSession(INITECH_KEY, inProgress.session(), s -> s.getList("utterances").size() == 1);

        var dir = Files.createTempDirectory("dashboard-test");
        var script = dir.resolve("dashboard-test.js");
        try (InputStream in = getClass().getResourceAsStream("/dashboard-test.js")) {
            Files.copy(in, script);
        }
        var screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
        var run = HeadlessBrowser.run(script, Map.of("DASHBOARD_URL", base.resolve("/dashboard/").toString(),
                "API_KEY", INITECH_KEY, "SESSION_ID", call.session(), "LIVE_SESSION_ID", inProgress.session(),
                "SCREENSHOT", screenshot.toString()), Duration.ofMinutes(5));
        assertThat(run.exitCode()).as("browser script output:%n%s", run.output()).isZero();

        var result = result(run.output());
        var list = result.get("list");
        assertThat(list.get("rowText").asText()).contains("rep_dash", "emea");
        assertThat(list.get("trendBars").asInt()).isPositive();
        assertThat(numbers(list.get("trendSessions")).stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
        assertThat(list.get("latencyBars").asInt()).isEqualTo(6);
        assertThat(list.get("liveText").asText()).contains("rep_live", "honestly the price is too high",
                "compliance: ✓ recording notice · ⚠ guarantee");
        assertThat(list.get("speechSummary").asText()).contains("0.1 min", "2028", "$0.0300");

        var opened = result.get("call");
        assertThat(opened.get("hash").asText()).isEqualTo("#/calls/" + call.session());
        assertThat(opened.get("agentUtterances").asInt()).isEqualTo(1);
        assertThat(opened.get("customerUtterances").asInt()).isEqualTo(2);
        assertThat(texts(opened.get("prompts"))).containsExactlyInAnyOrder(call.suggestionId("s1"), call.suggestionId("s2"));
        assertThat(texts(opened.get("stages"))).containsExactly("situation", "problem", "implication");
        assertThat(numbers(opened.get("talkMs"))).containsExactly(1000, 2500);
        assertThat(opened.get("callLatencyBars").asInt()).isEqualTo(6);
        assertThat(opened.get("transcript").asInt()).isEqualTo(3);
        assertThat(texts(opened.get("promptItems")))
                .containsExactlyInAnyOrder(call.suggestionId("s1"), call.suggestionId("s2"));
        assertThat(texts(opened.get("citations"))).containsExactly("doc_pricing", "doc_onboarding");
        assertThat(texts(opened.get("compliance"))).containsExactly("recording_notice:missed", "guarantee:kept");
        assertThat(opened.get("complianceState").asText()).isEqualTo("end of call");
        assertThat(opened.get("promptsText").asText()).contains("Pricing FAQ · part 4", "Onboarding guide · part 1",
                "Annual plans save 20% over monthly billing.");
        assertThat(opened.get("facts").asText()).contains("rep_dash", "1 of 2", "agent talk time", "4.0 s",
                "TTS characters", "2028", "$0.0300");
        assertThat(result.get("back").get("listVisible").asBoolean()).isTrue();
        assertThat(result.get("back").get("callHidden").asBoolean()).isTrue();
        assertThat(result.get("consoleErrors")).isEmpty();

        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        if (System.getProperty("voicecoach.screenshot") != null) {
            var docs = Path.of("..", "docs", "dashboard.png");
            Files.createDirectories(docs.getParent());
            Files.copy(screenshot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    @Order(2)
    void aManagerReplaysARecordedCallThroughAChangedPlaybookAndSeesTheChangeBesideWhatWasShownLive() throws Exception {
        var missing = HeadlessBrowser.missingTools();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
        String tenant = "replaydash-" + UUID.randomUUID().toString().substring(0, 8);
        String key = GatewayCredentialStub.keyOf(tenant);
        var coached = coaching();
        var utterances = new ArrayList<String>();
        String session = recordSampleCall(tenant, utterances);
        int version = storePlaybookWithPriceRenamedBudget(coached, key);

        // the API behind the panel, through analytics' pass-through with the tenant's own key
        var report = replay(key, Map.of("sessionId", session, "playbookVersion", version)).statusCode(200)
                .extract().jsonPath();
        assertThat(report.getList("changes.utteranceId")).containsExactly(utterances.get(3));
        assertThat(report.getString("changes[0].change")).isEqualTo("recategorised");
        assertThat(report.getString("changes[0].live.category")).isEqualTo("price");
        assertThat(report.getString("changes[0].replayed.category")).isEqualTo("budget");
        assertThat(report.getMap("counts")).containsEntry("unchanged", 5).containsEntry("recategorised", 1)
                .containsEntry("added", 0).containsEntry("removed", 0);
        assertThat(report.getDouble("latency.liveP50Ms")).as("transcript -> live suggestion").isBetween(0.0, 30_000.0);
        assertThat(report.getDouble("latency.replayDetectP95Ms")).isNotNegative();

        var script = copyScript("/dashboard-replay-test.js");
        var run = HeadlessBrowser.run(script, Map.of("DASHBOARD_URL", base.resolve("/dashboard/").toString(),
                "API_KEY", key, "SESSION_ID", session, "VERSION", String.valueOf(version),
                "SCREENSHOT", Path.of("target", "dashboard-replay.png").toAbsolutePath().toString()),
                Duration.ofMinutes(5));
        assertThat(run.exitCode()).as("browser script output:%n%s%ncoaching:%n%s", run.output(), coached.logTail())
                .isZero();
        var result = result(run.output());

        assertThat(result.get("versions").toString()).contains("v" + version + " dashboard replay (active)", "v0 ");
        var call = result.get("call");
        assertThat(call.get("summary").asText()).contains("v" + version, "1 call(s)",
                "0 added, 0 removed, 1 re-categorised, 5 unchanged");
        assertThat(call.get("latency").asText()).contains("live: transcript to suggestion p50", "replayed detection p50");
        assertThat(call.get("head").asText()).isEqualTo("with v" + version);
        var rows = call.get("rows");
        assertThat(rows).as("every utterance of the call, in order").hasSize(utterances.size());
        for (int i = 0; i < rows.size(); i++) {
            var row = rows.get(i);
            assertThat(row.get("utterance").asText()).isEqualTo(utterances.get(i));
            var cells = texts(row.get("cells"));
            if (i == 3) {
                assertThat(row.get("change").asText()).isEqualTo("recategorised");
                assertThat(row.get("marked").asBoolean()).isTrue();
                assertThat(cells.get(3)).startsWith("objection/price");
                assertThat(cells.get(4)).startsWith("objection/budget");
                assertThat(cells.get(5)).isEqualTo("recategorised");
            } else {
                assertThat(row.get("change").asText()).as("row %d", i).isEqualTo("unchanged");
                assertThat(row.get("marked").asBoolean()).isFalse();
                assertThat(cells.get(4)).as("row %d: replayed as shown live", i).isEqualTo(cells.get(3));
            }
        }
        assertThat(texts(rows.get(5).get("cells")).get(3)).startsWith("objection/competitor");
        assertThat(texts(rows.get(13).get("cells")).get(3)).startsWith("buying_signal/buying_signal");
        assertThat(texts(rows.get(0).get("cells")).get(3)).isEqualTo("no suggestion");

        var range = result.get("range");
        assertThat(range.get("summary").asText()).contains("0 added, 0 removed, 1 re-categorised, 5 unchanged");
        assertThat(range.get("rows")).hasSize(1);
        var changed = range.get("rows").get(0);
        assertThat(changed.get("utterance").asText()).isEqualTo(utterances.get(3));
        assertThat(changed.get("session").asText()).isEqualTo(session);
        assertThat(texts(changed.get("cells")).get(3)).startsWith("objection/price");
        assertThat(texts(changed.get("cells")).get(4)).startsWith("objection/budget");
        assertThat(result.get("consoleErrors")).isEmpty();
    }

    @Test
    @Order(3)
    void theReplayPanelShowsTheAdviceAnotherLlmModelGivesBesideTheLiveAdvice() throws Exception {
        var missing = HeadlessBrowser.missingTools();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
        String key = GatewayCredentialStub.keyOf(LLM_TENANT);
        coaching();
        String session = "sess_" + UUID.randomUUID();
        var utterances = new ArrayList<String>();
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            awaitCoachingConsumes(suggestions);
            warmUpLiveLlm(suggestions);
            kafka.send(Topics.SESSIONS, DemoCall.envelope(EventTypes.SESSION_STARTED, LLM_TENANT, session, 1,
                    Instant.now(), new SessionStarted("coach", "call_" + session, "rep_llm",
                            List.of(Track.AGENT, Track.CUSTOMER), "en-US", "audio/pcm", Map.of())));
            long t = 0;
            int seq = 1;
            for (var turn : List.of(Map.entry(Track.CUSTOMER, PRICE),
                    Map.entry(Track.AGENT, "I understand, teams felt that way until they saw the savings."),
                    Map.entry(Track.CUSTOMER, VENDOR), Map.entry(Track.CUSTOMER, START))) {
                var transcript = new Transcript("item_llm_" + seq + "_" + UUID.randomUUID(), turn.getKey(),
                        turn.getValue(), true, t, t + 3_000, 1.0, "text", Instant.now());
                utterances.add(transcript.utteranceId());
                kafka.send(Topics.TRANSCRIPTS, DemoCall.envelope(EventTypes.TRANSCRIPT_FINAL, LLM_TENANT, session,
                        ++seq, Instant.now(), transcript));
                t += 4_000;
            }
            // the rules' price objection and buying signal, each maybe followed by the live model's advice
            suggestions.await(r -> isSuggestion(r, session), 2, BOUND);
        }
        kafka.send(Topics.SESSIONS, DemoCall.envelope(EventTypes.SESSION_ENDED, LLM_TENANT, session, 99,
                Instant.now(), new SessionEnded("client_closed", 16_000)));
        awaitSession(key, session, s -> s.getString("endedAt") != null && s.getList("utterances").size() == 4);

        var report = replay(key, Map.of("sessionId", session, "playbookVersion", 0,
                "llm", Map.of("model", "strong-model"))).statusCode(200).extract().jsonPath();
        assertThat(report.getList("changes")).as("the playbook that ran live").isEmpty();
        assertThat(report.getInt("llm.calls")).as("the three customer turns").isEqualTo(3);
        assertThat(report.getString("llm.changes.find { it.utteranceId == '" + utterances.get(2) + "' }.change"))
                .isEqualTo("added");
        assertThat(report.getString("llm.changes.find { it.utteranceId == '" + utterances.get(0)
                + "' }.replayed.category")).isEqualTo("trust");
        Map<String, String> llmChanges = new java.util.HashMap<>();
        for (Map<String, Object> change : report.<Map<String, Object>>getList("llm.changes")) {
            llmChanges.put((String) change.get("utteranceId"), (String) change.get("change"));
        }

        var run = HeadlessBrowser.run(copyScript("/dashboard-replay-test.js"), Map.of(
                "DASHBOARD_URL", base.resolve("/dashboard/").toString(), "API_KEY", key, "SESSION_ID", session,
                "VERSION", "0", "LLM_MODEL", "strong-model", "RANGE", "false",
                "SCREENSHOT", Path.of("target", "dashboard-replay-llm.png").toAbsolutePath().toString()),
                Duration.ofMinutes(5));
        assertThat(run.exitCode()).as("browser script output:%n%s", run.output()).isZero();
        var result = result(run.output());
        var call = result.get("call");
        assertThat(call.get("summary").asText()).contains("LLM strong-model: 3 request(s), 0 failed");
        assertThat(call.get("latency").asText()).contains("LLM strong-model p50");
        assertThat(texts(call.get("llmHeads"))).containsExactly("LLM advice live", "with strong-model", "LLM change");
        var rows = call.get("rows");
        assertThat(rows).hasSize(4);
        for (int i = 0; i < rows.size(); i++) {
            var row = rows.get(i);
            String utterance = utterances.get(i);
            assertThat(row.get("utterance").asText()).isEqualTo(utterance);
            assertThat(row.get("change").asText()).as("the playbook changes nothing").isEqualTo("unchanged");
            assertThat(row.path("llmChange").asText(null)).as("row %d", i).isEqualTo(llmChanges.get(utterance));
        }
        assertThat(texts(rows.get(0).get("cells")).get(7)).startsWith("objection/trust (llm)");
        assertThat(texts(rows.get(2).get("cells")).get(6)).isEqualTo("no suggestion");
        assertThat(texts(rows.get(2).get("cells")).get(7)).startsWith("objection/competitor (llm)");
        assertThat(texts(rows.get(2).get("cells")).get(8)).isEqualTo("added");
        assertThat(result.get("consoleErrors")).isEmpty();
    }

    /**
     * Live advice has coaching's {@code llm.live-deadline} (1.5 s); the first calls of a fresh process may miss it.
     * Calls in other sessions until one is answered in time make the recorded call's live advice likelier; the test
     * asserts what the report says either way.
     */
    private void warmUpLiveLlm(KafkaTestClient.TopicReader suggestions) {
        for (int attempt = 1; attempt <= 10; attempt++) {
            String warm = "sess_warm_" + UUID.randomUUID();
            kafka.send(Topics.TRANSCRIPTS, DemoCall.envelope(EventTypes.TRANSCRIPT_FINAL, LLM_TENANT, warm, 1,
                    Instant.now(), new Transcript("item_warm", Track.CUSTOMER, PRICE, true, 0, 3_000, 1.0, "text",
                            Instant.now())));
            try {
                suggestions.awaitOne(r -> isSuggestion(r, warm)
                        && "llm".equals(r.envelope().payloadAs(Suggestion.class).source()), Duration.ofSeconds(5));
                return;
            } catch (org.awaitility.core.ConditionTimeoutException late) {
                // answered after the deadline, or not yet: another call
            }
        }
        throw new AssertionError("no live LLM advice in time in 10 warm-up calls");
    }

    @Test
    @Order(4)
    void anotherTenantCannotReplayTheCallNorUseItsPlaybookThroughTheDashboard() {
        String tenant = "replayowner-" + UUID.randomUUID().toString().substring(0, 8);
        String key = GatewayCredentialStub.keyOf(tenant);
        var coached = coaching();
        String session = "sess_" + UUID.randomUUID();
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.TRANSCRIPTS, DemoCall.envelope(EventTypes.TRANSCRIPT_FINAL, tenant, session, 1,
                    Instant.now(), new Transcript("item_price", Track.CUSTOMER,
                            "Honestly the price is too high for us this quarter.", true, 0, 2_000, 1.0, "text",
                            Instant.now())));
            suggestions.awaitOne(r -> isSuggestion(r, session), BOUND);
        }
        int version = storePlaybookWithPriceRenamedBudget(coached, key);
        replay(key, Map.of("sessionId", session, "playbookVersion", version)).statusCode(200)
                .body("sessions", equalTo(1)).body("changes.utteranceId", contains("item_price"));

        replay(INTRUDER_KEY, Map.of("sessionId", session)).statusCode(200)
                .body("sessions", equalTo(0)).body("utterances", equalTo(0)).body("changes", empty());
        var now = Instant.now();
        replay(INTRUDER_KEY, Map.of("from", now.minus(1, ChronoUnit.HOURS).toString(),
                "to", now.plus(1, ChronoUnit.MINUTES).toString())).statusCode(200)
                .body("sessions", equalTo(0)).body("changes", empty());
        replay(INTRUDER_KEY, Map.of("sessionId", session, "playbookVersion", version)).statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("playbook_version_not_found"));
        given().auth().oauth2(INTRUDER_KEY).get("/api/v1/playbook/versions").then().statusCode(200)
                .body("version", contains(0)).body("name", not(hasItem("dashboard replay")));
        given().auth().oauth2(key).get("/api/v1/playbook/versions").then().statusCode(200)
                .body("version", hasItem(version));

        replay(GatewayCredentialStub.UNKNOWN_KEY, Map.of("sessionId", session)).statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("sessionId", session)).post("/api/v1/replays").then()
                .statusCode(401);
        replay(key, Map.of()).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_replay")).body("errors.path", hasItem("$.sessionId"));
    }

    @Test
    @Order(5)
    void withCoachingDownTheReplayIsAProblemAndAnalyticsKeepsServing() {
        coaching().close();
        coaching = null;
        replay(INITECH_KEY, Map.of("sessionId", "sess_any")).statusCode(502).contentType("application/problem+json")
                .body("code", equalTo("coaching_unavailable"));
        given().auth().oauth2(INITECH_KEY).get("/api/v1/sessions?limit=1").then().statusCode(200);
    }

    private static synchronized PackagedCoaching coaching() {
        if (coaching == null) {
            llm = LocalLlm.start(0, DashboardTest::llmAnswer, null);
            String prefix = "voicecoach.llm.tenants." + LLM_TENANT + ".";
            coaching = PackagedCoaching.start(Duration.ofMinutes(4), Map.of(prefix + "enabled", "true",
                    prefix + "base-url", llm.baseUrl(), prefix + "live-model", "fast-model",
                    prefix + "summary-model", "fast-model"));
        }
        return coaching;
    }

    private static LocalLlm.Answer llmAnswer(JsonNode request) {
        String latest;
        try {
            latest = EventJson.MAPPER.readTree(request.path("messages").get(1).path("content").asText())
                    .path("latest").asText();
        } catch (Exception notCoaching) {
            return LocalLlm.Answer.text("{\"kind\": \"none\"}");
        }
        boolean live = "fast-model".equals(request.path("model").asText());
        String none = "{\"kind\": \"none\"}";
        return LocalLlm.Answer.text(switch (latest) {
            case PRICE -> live ? advice("objection", "price") : advice("objection", "trust");
            case VENDOR -> live ? none : advice("objection", "competitor");
            case START -> live ? advice("buying_signal", "buying_signal") : none;
            default -> none;
        });
    }

    private static String advice(String kind, String category) {
        return "{\"kind\": \"" + kind + "\", \"category\": \"" + category + "\", \"title\": \"" + category
                + " advice\", \"message\": \"Say something useful.\", \"confidence\": 0.9}";
    }

    private static ValidatableResponse replay(String key, Map<String, Object> body) {
        return given().auth().oauth2(key).contentType(ContentType.JSON).body(body).post("/api/v1/replays").then();
    }

    /**
     * The sample call's turns as the gateway publishes them, coached live by the packaged coaching-service (first a
     * probe call, until coaching's stream answers), then ended; returns once analytics holds all of it.
     */
    private String recordSampleCall(String tenant, List<String> utterances) {
        String session = "sess_" + UUID.randomUUID();
        var turns = SampleCall.turns();
        long expected = turns.stream().filter(turn -> turn.expect() != null).count();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            awaitCoachingConsumes(suggestions);
            kafka.send(Topics.SESSIONS, DemoCall.envelope(EventTypes.SESSION_STARTED, tenant, session, 1, t0,
                    new SessionStarted("coach", "call_" + session, "rep_replay", List.of(Track.AGENT, Track.CUSTOMER),
                            "en-US", "audio/pcm", Map.of())));
            long t = 0;
            for (var turn : turns) {
                var transcript = new Transcript("item_" + turn.turn() + "_" + UUID.randomUUID(), turn.track(),
                        turn.text(), true, t, t + 3_000, 1.0, "text", Instant.now());
                utterances.add(transcript.utteranceId());
                kafka.send(Topics.TRANSCRIPTS, DemoCall.envelope(EventTypes.TRANSCRIPT_FINAL, tenant, session,
                        turn.turn(), Instant.now(), transcript));
                t += 4_000;
            }
            suggestions.await(r -> isSuggestion(r, session), (int) expected, BOUND);
        }
        kafka.send(Topics.SESSIONS, DemoCall.envelope(EventTypes.SESSION_ENDED, tenant, session, 99,
                Instant.now(), new SessionEnded("client_closed", turns.size() * 4_000L)));
        awaitSession(GatewayCredentialStub.keyOf(tenant), session, s -> s.getString("endedAt") != null
                && s.getList("utterances").size() == turns.size()
                && s.getList("suggestions.kind").stream().filter(k -> "objection".equals(k) || "buying_signal".equals(k))
                .count() >= expected);
        return session;
    }

    /** Coaching starts at the end of voice.transcripts: a probe utterance is sent until one is coached. */
    private void awaitCoachingConsumes(KafkaTestClient.TopicReader suggestions) {
        String probe = "sess_probe_" + UUID.randomUUID();
        await().atMost(BOUND).pollInterval(Duration.ofSeconds(2)).until(() -> {
            kafka.send(Topics.TRANSCRIPTS, DemoCall.envelope(EventTypes.TRANSCRIPT_FINAL, "probe", probe, 1,
                    Instant.now(), new Transcript("item_" + UUID.randomUUID(), Track.CUSTOMER,
                            "Honestly the price is too high for us this quarter.", true, 0, 2_000, 1.0, "text",
                            Instant.now())));
            return suggestions.all().stream().anyMatch(r -> isSuggestion(r, probe));
        });
    }

    /** Stores (and activates) the tenant's active playbook with the objection category price renamed budget. */
    private static int storePlaybookWithPriceRenamedBudget(PackagedCoaching coached, String key) {
        var active = given().baseUri(coached.url()).auth().oauth2(key).get("/api/v1/playbook").then().statusCode(200)
                .extract().asString();
        try {
            var playbook = (ObjectNode) EventJson.MAPPER.readTree(active).get("playbook");
            playbook.put("name", "dashboard replay");
            for (var objection : playbook.get("objections")) {
                if ("price".equals(objection.get("category").asText())) {
                    ((ObjectNode) objection).put("category", "budget");
                }
            }
            return given().baseUri(coached.url()).auth().oauth2(key).contentType(ContentType.JSON)
                    .body(playbook.toString()).put("/api/v1/playbook").then().statusCode(201).extract().path("version");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isSuggestion(KafkaTestClient.Received record, String session) {
        return session.equals(record.key()) && record.envelope() != null
                && EventTypes.SUGGESTION.equals(record.envelope().type());
    }

    private Path copyScript(String resource) throws Exception {
        var script = Files.createTempDirectory("dashboard-test").resolve(resource.substring(1));
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            Files.copy(in, script);
        }
        return script;
    }

    private static JsonNode result(String output) throws Exception {
        var line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("the browser script printed no result:\n" + output));
        return EventJson.MAPPER.readTree(line.substring("RESULT ".length()));
    }

    private static List<String> texts(JsonNode array) {
        var values = new ArrayList<String>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }

    private static List<Integer> numbers(JsonNode array) {
        var values = new ArrayList<Integer>();
        array.forEach(n -> values.add(n.asInt()));
        return values;
    }
}
