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
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

import static io.voicecoach.analytics.SessionIngestTest.awaitSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in headless Chromium against the real service: a call seeded through Kafka is listed, opened (lanes,
 * prompts, stage bands, talk chart, the prompts with the knowledge-base chunks they cite) and left again; a call in
 * progress shows in the live panel. With {@code -Dvoicecoach.screenshot} the call page's screenshot is copied to
 * {@code docs/dashboard.png}.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class DashboardTest {

    private static final String INITECH_KEY = GatewayCredentialStub.keyOf("initech");

    @TestHTTPResource("/")
    URI base;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
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
                && s.getInt("agentSpeech.items") == 2 && s.getBoolean("compliance.closed"));
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
