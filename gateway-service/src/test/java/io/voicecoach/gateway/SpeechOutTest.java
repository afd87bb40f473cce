package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentAudioDelta;
import io.voicecoach.events.AgentAudioDone;
import io.voicecoach.events.AgentSpeechEvent;
import io.voicecoach.events.AgentSpeechFailed;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventRegistry;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechOutput;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The agent's speech ({@code agent.speech}) reaches audio sessions as {@code response.output_audio.*}, over the real broker. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class SpeechOutTest {

    private static final int CHUNK_BYTES = 4800; // 100 ms of 24 kHz PCM16
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    SessionRegistry registry;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void anAudioSessionGetsTheSpeechOnceAsOutputAudioDeltasAndItsTranscript() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var session = client.awaitType("session.created");
            assertThat(session.path("session").path("output_modalities").toString()).isEqualTo("[\"text\"]");
            client.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"),
                    "output_modalities", List.of("audio"),
                    "audio", Map.of("output", Map.of("format", Map.of("type", "audio/pcm"), "voice", "coral")))));
            var updated = client.awaitType("session.updated").path("session");
            assertThat(updated.path("output_modalities").toString()).isEqualTo("[\"audio\"]");
            assertThat(updated.path("audio").path("output").path("format").path("rate").asInt()).isEqualTo(24000);
            assertThat(updated.path("audio").path("output").path("voice").asText()).isEqualTo("coral");

            var first = speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_1", "item_1", 0, "Hello there.",
                    24000, 0, 100, tone(CHUNK_BYTES)));
            kafka.send(Topics.AGENT_SPEECH, first);
            kafka.send(Topics.AGENT_SPEECH, first); // a re-synthesis after a partition moved: the same event id
            kafka.send(Topics.AGENT_SPEECH, speech("globex", sessionId, new AgentAudioDelta("resp_1", "item_1", 1,
                    "FOREIGN", 24000, 100, 100, tone(CHUNK_BYTES))));
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_1", "item_1", 1,
                    "", 24000, 100, 100, tone(CHUNK_BYTES))));
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDone("resp_1", "item_1", 2,
                    "Hello there.", 200, "espeak-ng", "alloy")));

            var done = client.awaitType("response.output_audio.done");
            assertThat(done.path("response_id").asText()).isEqualTo("resp_1");
            assertThat(done.path("item_id").asText()).isEqualTo("item_1");
            var audio = client.ofType("response.output_audio.delta");
            assertThat(audio).hasSize(2).allSatisfy(delta -> {
                assertThat(delta.path("item_id").asText()).isEqualTo("item_1");
                assertThat(delta.path("content_index").asInt()).isZero();
                assertThat(Base64.getDecoder().decode(delta.path("delta").asText())).hasSize(CHUNK_BYTES);
            });
            assertThat(client.ofType("response.output_audio_transcript.delta"))
                    .extracting(delta -> delta.path("delta").asText()).containsExactly("Hello there.");
            assertThat(client.awaitType("response.output_audio_transcript.done").path("transcript").asText())
                    .isEqualTo("Hello there.");
            var types = client.frames().stream().map(frame -> frame.path("type").asText())
                    .filter(type -> type.startsWith("response.output_audio")).toList();
            assertThat(types).containsExactly("response.output_audio_transcript.delta", "response.output_audio.delta",
                    "response.output_audio.delta", "response.output_audio_transcript.done",
                    "response.output_audio.done");
        }
    }

    @Test
    void theOutputSpeedIsReportedPassedToTheSpeechStageAndRefusedOutOfRange() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var sessions = kafka.read(Topics.SESSIONS)) {
            String sessionId = client.sessionId();
            client.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"),
                    "output_modalities", List.of("audio"))));
            assertThat(client.awaitNth("session.updated", 1).path("session").path("audio").path("output")
                    .path("speed").asDouble()).as("the default pace").isEqualTo(1.0);
            client.send(Map.of("type", "session.update", "session",
                    Map.of("audio", Map.of("output", Map.of("speed", 1.25)))));
            var session = client.awaitNth("session.updated", 2).path("session");
            assertThat(session.path("audio").path("output").path("speed").asDouble()).isEqualTo(1.25);
            var updated = sessions.awaitOne(r -> sessionId.equals(r.key())
                    && EventTypes.SESSION_UPDATED.equals(r.envelope().type())
                    && r.envelope().payloadAs(SessionUpdated.class).output().speed() != null, WAIT).envelope()
                    .payloadAs(SessionUpdated.class);
            assertThat(updated.output()).as("what the speech stage is told")
                    .isEqualTo(new SpeechOutput(true, null, "audio/pcm", 1.25));

            for (Object wrong : List.of(1.6, 0.2, "fast")) {
                client.send(Map.of("event_id", "evt_speed_" + wrong, "type", "session.update", "session",
                        Map.of("audio", Map.of("output", Map.of("speed", wrong)))));
                var error = client.awaitFrame(f -> "error".equals(f.path("type").asText())
                        && ("evt_speed_" + wrong).equals(f.path("error").path("event_id").asText())).path("error");
                assertThat(error.path("code").asText()).isEqualTo("invalid_event");
                assertThat(error.path("param").asText()).isEqualTo("session.audio.output.speed");
                assertThat(error.path("message").asText()).contains("0.25 to 1.5");
            }
            client.send(Map.of("event_id", "evt_speed_beta", "type", "session.update", "session",
                    Map.of("speed", 2)));
            assertThat(client.awaitFrame(f -> "error".equals(f.path("type").asText())
                    && "evt_speed_beta".equals(f.path("error").path("event_id").asText())).path("error")
                    .path("param").asText()).as("the beta field").isEqualTo("session.speed");
            client.send(Map.of("type", "session.update", "session", Map.of("instructions", "Be brief.")));
            await().atMost(WAIT).until(() -> client.ofType("session.updated").size() == 3);
            assertThat(client.ofType("session.updated").getLast().path("session").path("audio").path("output")
                    .path("speed").asDouble()).as("a refused speed leaves the pace as it was").isEqualTo(1.25);
        }
    }

    @Test
    void clearingTheOutputCutsTheAudioPlayingAndTellsCoachingTheWordsHeard() {
        String words = "One two three four five six seven eight nine ten.";
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var sessions = kafka.read(Topics.SESSIONS)) {
            String sessionId = client.sessionId();
            client.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"),
                    "output_modalities", List.of("audio"),
                    "audio", Map.of("output", Map.of("format", Map.of("type", "audio/pcm"), "voice", "echo")))));
            client.awaitType("session.updated");
            var updated = sessions.awaitOne(r -> sessionId.equals(r.key())
                    && EventTypes.SESSION_UPDATED.equals(r.envelope().type()), WAIT).envelope()
                    .payloadAs(SessionUpdated.class);
            assertThat(updated.output()).as("what the speech stage is told")
                    .isEqualTo(new SpeechOutput(true, "echo", "audio/pcm"));

            for (int chunk = 0; chunk < 10; chunk++) {
                kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_3", "item_3",
                        chunk, chunk == 0 ? words : "", 24000, chunk * 100L, 100, tone(CHUNK_BYTES))));
            }
            await().atMost(WAIT).until(() -> client.ofType("response.output_audio.delta").size() == 10);
            assertThat(client.awaitType("output_audio_buffer.started").path("response_id").asText())
                    .isEqualTo("resp_3");

            client.send(Map.of("type", "output_audio_buffer.clear"));
            assertThat(client.awaitType("output_audio_buffer.cleared").path("response_id").asText())
                    .isEqualTo("resp_3");
            var truncated = client.awaitType("conversation.item.truncated");
            assertThat(truncated.path("item_id").asText()).isEqualTo("item_3");
            long endMs = truncated.path("audio_end_ms").asLong();
            assertThat(endMs).as("real-time playback since the first chunk, at most what was sent")
                    .isBetween(0L, 1000L);
            var cut = sessions.awaitOne(r -> sessionId.equals(r.key())
                    && EventTypes.ITEM_TRUNCATED.equals(r.envelope().type()), WAIT).envelope()
                    .payloadAs(ItemTruncated.class);
            assertThat(cut.audioEndMs()).isEqualTo(endMs);
            String heard = String.join(" ", List.of(words.split(" ")).subList(0, (int) (10 * endMs / 1000)));
            assertThat(cut.heardText()).as("the share of the ten words played").isEqualTo(heard);

            // the rest of the item's audio is not sent; its end still is, without output_audio_buffer.stopped
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_3", "item_3",
                    10, "", 24000, 1000, 100, tone(CHUNK_BYTES))));
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDone("resp_3", "item_3", 11,
                    words, 1100, "espeak-ng", "echo")));
            client.awaitType("response.output_audio.done");
            assertThat(client.ofType("response.output_audio.delta")).hasSize(10);
            assertThat(client.ofType("output_audio_buffer.stopped")).isEmpty();
        }
    }

    @Test
    void aMuLawSessionGetsItsAudioAt8kHzMuLaw() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            client.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"),
                    "output_modalities", List.of("audio"),
                    "audio", Map.of("output", Map.of("format", Map.of("type", "audio/pcmu"))))));
            var updated = client.awaitType("session.updated").path("session");
            assertThat(updated.path("audio").path("output").path("format").path("rate").asInt()).isEqualTo(8000);
            for (int chunk = 0; chunk < 5; chunk++) {
                kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_2", "item_2",
                        chunk, chunk == 0 ? "Hi." : "", 24000, chunk * 100L, 100, tone(CHUNK_BYTES))));
            }
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDone("resp_2", "item_2", 5,
                    "Hi.", 500, "espeak-ng", "alloy")));

            client.awaitType("response.output_audio.done");
            int bytes = client.ofType("response.output_audio.delta").stream()
                    .mapToInt(delta -> Base64.getDecoder().decode(delta.path("delta").asText()).length).sum();
            // 500 ms at 8 kHz, one byte a sample, less the resampler's filter delay
            assertThat(bytes).isBetween(3800, 4000);
        }
    }

    @Test
    void aTextOnlySessionGetsNoAudioAndASpeechFailureIsAnError() {
        try (var text = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var audio = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String textSession = text.sessionId();
            text.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"))));
            text.awaitType("session.updated");
            audio.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"),
                    "output_modalities", List.of("audio"))));
            audio.awaitType("session.updated");
            send(textSession, speech(DEMO_TENANT, textSession, new AgentAudioDelta("resp_3", "item_3", 0,
                    "Not for text.", 24000, 0, 100, tone(CHUNK_BYTES))));
            send(textSession, speech(DEMO_TENANT, textSession, new AgentAudioDone("resp_3", "item_3", 1,
                    "Not for text.", 100, "espeak-ng", "alloy")));
            send(textSession, speech(DEMO_TENANT, textSession, new AgentSpeechFailed("resp_3", "item_4", 0,
                    "engine_timeout", "espeak-ng did not finish", "espeak-ng")));
            // a record of the audio session on the same partition, after them: once it arrived, they were handled
            send(textSession, speech(DEMO_TENANT, audio.sessionId(), new AgentAudioDone("resp_9", "item_9", 0, "",
                    0, "espeak-ng", "alloy")));
            audio.awaitType("response.output_audio.done");
            assertThat(text.frames()).noneMatch(frame -> frame.path("type").asText().startsWith("response.output_audio")
                    || frame.path("type").asText().equals("error"));

            text.send(Map.of("type", "session.update", "session", Map.of("output_modalities", List.of("audio"))));
            text.awaitNth("session.updated", 2);
            send(textSession, speech(DEMO_TENANT, textSession, new AgentSpeechFailed("resp_4", "item_5", 2,
                    "engine_unavailable", "no engine", "espeak-ng")));
            var error = text.awaitType("error").path("error");
            assertThat(error.path("type").asText()).isEqualTo("server_error");
            assertThat(error.path("code").asText()).isEqualTo("engine_unavailable");
            assertThat(error.path("message").asText()).contains("its text was sent");
            assertThat(text.ofType("error")).hasSize(1);
        }
    }

    @Test
    void aResumedAudioSessionGetsTheAudioItMissedOnceAndInOrder() {
        var first = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
        String sessionId = first.sessionId();
        first.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"),
                "output_modalities", List.of("audio"))));
        first.awaitType("session.updated");
        var chunks = List.of(tone(CHUNK_BYTES, 1000), tone(CHUNK_BYTES, 2000), tone(CHUNK_BYTES, 3000));
        kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_5", "item_5", 0,
                "One.", 24000, 0, 100, chunks.get(0))));
        String lastEventId = first.awaitType("response.output_audio.delta").path("event_id").asText();
        first.abort();
        var session = registry.find(sessionId).orElseThrow();
        await().atMost(RealtimeClient.WAIT).until(() -> !session.client().isOpen());
        for (int chunk = 1; chunk < 3; chunk++) {
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_5", "item_5",
                    chunk, "", 24000, chunk * 100L, 100, chunks.get(chunk))));
        }
        kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDone("resp_5", "item_5", 3,
                "One.", 300, "espeak-ng", "alloy")));

        try (var resumed = RealtimeClient.connect(URI.create(websocket(realtime) + "?session_id=" + sessionId
                + "&last_event_id=" + lastEventId), DEMO_KEY)) {
            assertThat(resumed.awaitType("session.created").path("session").path("output_modalities").toString())
                    .isEqualTo("[\"audio\"]");
            resumed.awaitType("response.output_audio.done");
            assertThat(resumed.ofType("response.output_audio.delta")).extracting(delta -> delta.path("delta").asText())
                    .containsExactly(chunks.get(1), chunks.get(2));
            assertThat(resumed.ofType("response.output_audio_transcript.delta")).isEmpty();
        }
    }

    /** Sends {@code envelope} keyed by {@code key} (its partition), whichever session it names. */
    private void send(String key, Envelope envelope) {
        kafka.send(Topics.AGENT_SPEECH, key, EventJson.encode(envelope).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Envelope speech(String tenantId, String sessionId, AgentSpeechEvent payload) {
        return Envelope.of(EventRegistry.typeOf(payload).name(), tenantId, sessionId, 1, "transcription-service",
                payload);
    }

    /** Base64 of a 1 kHz tone, {@code bytes} of 24 kHz PCM16. */
    private static String tone(int bytes) {
        return tone(bytes, 1000);
    }

    private static String tone(int bytes, int hertz) {
        var pcm = new byte[bytes];
        for (int i = 0; i < bytes / 2; i++) {
            short sample = (short) (8000 * Math.sin(2 * Math.PI * hertz * i / 24000.0));
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        return Base64.getEncoder().encodeToString(pcm);
    }
}
