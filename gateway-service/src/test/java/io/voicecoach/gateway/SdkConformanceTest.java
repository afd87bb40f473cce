package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemCreated;
import io.voicecoach.events.ItemDeleted;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance with the official Realtime clients from npm, run by node over wss against this gateway (the TLS
 * profile's certificate trusted through {@code NODE_EXTRA_CA_CERTS}): the {@code openai} package's
 * {@code OpenAIRealtimeWS} ({@code sdk/openai-realtime-ws.js}) and the Agents SDK's {@code RealtimeSession}
 * ({@code sdk/agents-realtime-session.js}). {@link StandInPipeline} plays transcription, coaching and the voice agent
 * on the real broker. Each script checks what its SDK saw (every frame held to the Agents SDK's own event schema) and
 * exits 0 only if all held; this class checks what reached Kafka. Skipped with a message naming nodejs/npm when they
 * are missing.
 */
@QuarkusTest
@TestProfile(TlsTest.WithCertificate.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class SdkConformanceTest {

    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Pattern SESSION = Pattern.compile("^SESSION (sess_\\S+)$", Pattern.MULTILINE);

    @TestHTTPResource(value = "/v1", tls = true)
    URI base;

    @TempDir
    Path dir;

    private StandInPipeline pipeline;

    @BeforeEach
    void startPipeline() {
        var missing = RealtimeSdks.missingTools();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
        pipeline = new StandInPipeline();
    }

    @AfterEach
    void stopPipeline() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void openAiRealtimeWsUpdatesTheSessionSendsTextAndAudioAndReceivesCoaching() throws Exception {
        var run = runScript("openai-realtime-ws.js");
        assertThat(run.exitCode()).as(run.output()).isZero();
        String sessionId = sessionOf(run);
        await().atMost(WAIT).until(() -> !pipeline.seen(sessionId, EventTypes.SUGGESTION_DELIVERED).isEmpty());
        var typed = pipeline.seen(sessionId, EventTypes.TRANSCRIPT_FINAL).stream()
                .map(e -> e.payloadAs(Transcript.class)).filter(t -> "text".equals(t.engine())).toList();
        assertThat(typed).extracting(Transcript::utteranceId).containsExactly("item_price");
        assertThat(pipeline.seen(sessionId, EventTypes.RESPONSE_REQUESTED)).isEmpty();
    }

    @Test
    void agentsRealtimeSessionCallsAToolIsInterruptedAndEditsItsHistory() throws Exception {
        var run = runScript("agents-realtime-session.js");
        assertThat(run.exitCode()).as(run.output()).isZero();
        String sessionId = sessionOf(run);
        await().atMost(WAIT).until(() -> !pipeline.seen(sessionId, EventTypes.ITEM_DELETED).isEmpty());
        assertThat(pipeline.seen(sessionId, EventTypes.RESPONSE_REQUESTED)).hasSize(4);
        var output = pipeline.seen(sessionId, EventTypes.ITEM_CREATED).stream().map(e -> e.payloadAs(ItemCreated.class))
                .filter(item -> "function_call_output".equals(item.type())).toList();
        assertThat(output).singleElement().satisfies(item -> {
            assertThat(item.output()).contains("shipped");
            assertThat(item.callId()).startsWith("call_item_reply_1_");
        });
        assertThat(pipeline.seen(sessionId, EventTypes.SPEECH_STARTED)).isNotEmpty();
        assertThat(pipeline.seen(sessionId, EventTypes.ITEM_TRUNCATED)).singleElement()
                .satisfies(e -> assertThat(e.payloadAs(ItemTruncated.class).audioEndMs()).isEqualTo(500));
        assertThat(pipeline.seen(sessionId, EventTypes.ITEM_DELETED)).extracting(e -> e.payloadAs(ItemDeleted.class))
                .hasSize(1);
    }

    private RealtimeSdks.Run runScript(String name) throws IOException, InterruptedException {
        for (String script : List.of("conformance.js", name)) {
            try (InputStream in = getClass().getResourceAsStream("/sdk/" + script)) {
                Files.copy(in, dir.resolve(script));
            }
        }
        var env = new HashMap<String, String>(Map.of(
                "GATEWAY_BASE", base.toString(),
                "GATEWAY_WSS", websocket(base) + "/realtime?model=gpt-realtime",
                "API_KEY", DEMO_KEY,
                "NODE_EXTRA_CA_CERTS", TlsTest.CERTIFICATE.pemFiles().get(0).toAbsolutePath().toString(),
                "HEARD", StandInPipeline.HEARD,
                "TOOL", StandInPipeline.TOOL,
                "STORY", StandInPipeline.STORY));
        return RealtimeSdks.run(dir.resolve(name), env, RUN);
    }

    private static String sessionOf(RealtimeSdks.Run run) {
        var matcher = SESSION.matcher(run.output());
        assertThat(matcher.find()).as("the script names its session: %s", run.output()).isTrue();
        return matcher.group(1);
    }
}
