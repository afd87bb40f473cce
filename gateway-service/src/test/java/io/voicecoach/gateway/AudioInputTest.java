package io.voicecoach.gateway;

import io.voicecoach.gateway.audio.Signals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.voicecoach.gateway.AudioFrames.append;
import static io.voicecoach.gateway.AudioFrames.audioOf;
import static io.voicecoach.gateway.AudioFrames.frames;
import static io.voicecoach.gateway.AudioFrames.pcm16;
import static io.voicecoach.gateway.AudioFrames.silence;
import static io.voicecoach.gateway.AudioFrames.tone;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class AudioInputTest {

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    MeterRegistry meters;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void clientCommittedPcm24kBecomesChunksOf16kOnVoiceAudio() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var audio = kafka.read(Topics.AUDIO);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            Instant before = Instant.now();
            client.send(sessionUpdate(Map.of("type", "audio/pcm", "rate", 24000), null));
            var updated = client.awaitType("session.updated").path("session").path("audio").path("input");
            assertThat(updated.path("format").path("rate").asInt()).isEqualTo(24000);
            assertThat(updated.path("turn_detection").isNull()).isTrue();

            // 500 ms of a 1 kHz tone at 24 kHz in 100 ms frames
            for (var frame : frames(pcm16(tone(24000, 500, 1000, 0.5)), 4800)) {
                client.send(append(frame, null));
            }
            client.send(Map.of("event_id", "evt_commit", "type", "input_audio_buffer.commit"));

            var committed = client.awaitType("input_audio_buffer.committed");
            String itemId = committed.path("item_id").asText();
            assertThat(itemId).startsWith("item_");
            assertThat(committed.path("previous_item_id").isNull()).isTrue();
            assertThat(committed.path("voicecoach").path("track").asText()).isEqualTo("customer");
            var item = client.awaitType("conversation.item.created");
            assertThat(item.path("previous_item_id").isNull()).isTrue();
            assertThat(item.path("item").path("id").asText()).isEqualTo(itemId);
            assertThat(item.path("item").path("content").get(0).path("type").asText()).isEqualTo("input_audio");

            // a typed item after it chains on the audio item
            client.send(TestEvents.textItem(null, "item_typed_after_audio", "Okay.", "agent"));
            client.awaitFrame(f -> "conversation.item.created".equals(f.path("type").asText())
                    && "item_typed_after_audio".equals(f.path("item").path("id").asText())
                    && itemId.equals(f.path("previous_item_id").asText()));

            var records = audio.await(r -> sessionId.equals(r.key()) && "true".equals(r.headers().get(AudioHeaders.COMMIT)),
                    1, WAIT);
            assertThat(records).hasSize(1);
            var chunks = audioOf(audio, sessionId);
            assertThat(chunks).hasSize(3);
            assertThat(chunks).extracting(r -> r.headers().get(AudioHeaders.OFFSET_MS)).containsExactly("0", "200", "400");
            assertThat(chunks).extracting(r -> r.headers().get(AudioHeaders.SEQ)).containsExactly("1", "2", "3");
            assertThat(chunks).extracting(r -> r.headers().get(AudioHeaders.COMMIT)).containsExactly("false", "false", "true");
            assertThat(chunks).allSatisfy(r -> {
                assertThat(r.headers().get(AudioHeaders.TENANT_ID)).isEqualTo(DEMO_TENANT);
                assertThat(r.headers().get(AudioHeaders.SESSION_ID)).isEqualTo(sessionId);
                assertThat(r.headers().get(AudioHeaders.TRACK)).isEqualTo("customer");
                assertThat(r.headers().get(AudioHeaders.UTTERANCE_ID)).isEqualTo(itemId);
                assertThat(r.headers().get(AudioHeaders.EVENT_ID)).isNotBlank();
                assertThat(Instant.parse(r.headers().get(AudioHeaders.RECEIVED_AT))).isAfterOrEqualTo(before);
            });
            assertThat(chunks.get(0).value()).hasSize(6400);
            assertThat(chunks.get(1).value()).hasSize(6400);
            assertThat(chunks.get(2).value()).hasSize(3200);

            var pcm = AudioFrames.samples(concat(chunks.get(0).value(), chunks.get(1).value(), chunks.get(2).value()));
            assertThat(20 * Math.log10(Signals.goertzel(pcm, 800, 7200, 1000, 16000) / 0.5))
                    .isCloseTo(0, within(0.2));

            var started = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_STARTED.equals(r.envelope().type()), WAIT).envelope();
            assertThat(started.payloadAs(SessionStarted.class).audioFormat()).isEqualTo("audio/pcm;rate=24000");
        }
    }

    @Test
    void serverVadFindsTheTurnAndCommitsIt() {
        // the publisher (and its timer) is created with the first audio
        var existing = meters.find("voicecoach.gateway.audio.publish").timer();
        long publishedBefore = existing == null ? 0 : existing.count();
        try (var audio = kafka.read(Topics.AUDIO);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            // no session.update: server_vad with threshold 0.5, prefix 300 ms, silence 500 ms is the default
            var speech = pcm16(silence(24000, 1000), tone(24000, 800, 440, 0.3), silence(24000, 1200));
            for (var frame : frames(speech, 4800)) {
                client.send(append(frame, "agent"));
            }

            var started = client.awaitType("input_audio_buffer.speech_started");
            var stopped = client.awaitType("input_audio_buffer.speech_stopped");
            var committed = client.awaitType("input_audio_buffer.committed");
            String itemId = started.path("item_id").asText();
            assertThat(started.path("audio_start_ms").asLong()).isCloseTo(700, within(30L));
            assertThat(started.path("voicecoach").path("track").asText()).isEqualTo("agent");
            assertThat(stopped.path("audio_end_ms").asLong()).isCloseTo(2300, within(50L));
            assertThat(stopped.path("item_id").asText()).isEqualTo(itemId);
            assertThat(committed.path("item_id").asText()).isEqualTo(itemId);
            assertThat(client.frames().stream().map(f -> f.path("type").asText())
                    .filter(t -> t.startsWith("input_audio_buffer.")).toList())
                    .containsExactly("input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
                            "input_audio_buffer.committed");

            audio.await(r -> sessionId.equals(r.key()) && "true".equals(r.headers().get(AudioHeaders.COMMIT)), 1, WAIT);
            var chunks = audioOf(audio, sessionId);
            assertThat(chunks).allSatisfy(r -> {
                assertThat(r.headers().get(AudioHeaders.TRACK)).isEqualTo("agent");
                assertThat(r.headers().get(AudioHeaders.UTTERANCE_ID)).isEqualTo(itemId);
            });
            assertThat(chunks.getFirst().headers().get(AudioHeaders.OFFSET_MS))
                    .isEqualTo(Long.toString(started.path("audio_start_ms").asLong()));
            int totalBytes = chunks.stream().mapToInt(r -> r.value().length).sum();
            long audioMs = stopped.path("audio_end_ms").asLong() - started.path("audio_start_ms").asLong();
            assertThat(totalBytes / 32).isEqualTo((int) audioMs);

            // every chunk's hop from frame received to Kafka acknowledgement is measured
            var publishTimer = meters.get("voicecoach.gateway.audio.publish").timer();
            await().atMost(WAIT).until(() -> publishTimer.count() - publishedBefore >= chunks.size());
        }
    }

    @Test
    void formatsFromTheGaTheBetaAndTheVoiceCoachOption() {
        try (var audio = kafka.read(Topics.AUDIO);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();

            client.send(Map.of("type", "session.update", "session",
                    Map.of("input_audio_format", "g711_ulaw", "turn_detection", Map.of("type", "server_vad"))));
            var beta = client.awaitNth("session.updated", 1).path("session");
            assertThat(beta.path("input_audio_format").asText()).isEqualTo("g711_ulaw");
            assertThat(beta.path("audio").path("input").path("format").path("type").asText()).isEqualTo("audio/pcmu");
            assertThat(beta.path("audio").path("input").path("format").path("rate").asInt()).isEqualTo(8000);
            assertThat(beta.path("turn_detection").path("silence_duration_ms").asInt()).isEqualTo(500);

            client.send(Map.of("type", "session.update", "session",
                    Map.of("audio", Map.of("input", Map.of("format", Map.of("type", "audio/pcma"))))));
            var alaw = client.awaitNth("session.updated", 2).path("session").path("audio").path("input");
            assertThat(alaw.path("format").path("type").asText()).isEqualTo("audio/pcma");

            var session = new HashMap<String, Object>();
            session.put("audio", Map.of("input", Map.of("format", Map.of("type", "audio/pcm"))));
            session.put("turn_detection", null);
            session.put("voicecoach", Map.of("input_audio_rate", 16000));
            client.send(Map.of("type", "session.update", "session", session));
            var pcm16k = client.awaitNth("session.updated", 3).path("session");
            assertThat(pcm16k.path("audio").path("input").path("format").path("rate").asInt()).isEqualTo(16000);
            assertThat(pcm16k.path("audio").path("input").path("turn_detection").isNull()).isTrue();

            // 16 kHz passes through unchanged: 300 ms in, exactly 300 ms out
            var tone = pcm16(tone(16000, 300, 1000, 0.5));
            client.send(append(tone, null));
            client.send(Map.of("type", "input_audio_buffer.commit"));
            client.awaitType("input_audio_buffer.committed");
            audio.await(r -> sessionId.equals(r.key()) && "true".equals(r.headers().get(AudioHeaders.COMMIT)), 1, WAIT);
            var chunks = audioOf(audio, sessionId);
            assertThat(concat(chunks.stream().map(KafkaTestClient.Received::value).toArray(byte[][]::new)))
                    .isEqualTo(tone);
        }
    }

    @Test
    void badAudioEventsGetErrorsAndTheSessionKeepsWorking() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            client.send(Map.of("event_id", "evt_a1", "type", "input_audio_buffer.append", "audio", "%%%not base64"));
            assertError(client.awaitNth("error", 1), "invalid_audio", "evt_a1", "audio");

            client.send(Map.of("event_id", "evt_a2", "type", "input_audio_buffer.append", "audio", "AAAA"));
            assertError(client.awaitNth("error", 2), "invalid_audio", "evt_a2", "audio");

            client.send(Map.of("event_id", "evt_a3", "type", "input_audio_buffer.commit"));
            assertError(client.awaitNth("error", 3), "input_audio_buffer_commit_empty", "evt_a3", null);

            client.send(Map.of("event_id", "evt_a4", "type", "input_audio_buffer.append", "audio", "AAAA",
                    "voicecoach", Map.of("track", "robot")));
            assertError(client.awaitNth("error", 4), "invalid_track", "evt_a4", "voicecoach.track");

            client.send(Map.of("event_id", "evt_a5", "type", "session.update", "session",
                    Map.of("audio", Map.of("input", Map.of("format", Map.of("type", "audio/flac"))))));
            assertError(client.awaitNth("error", 5), "invalid_event", "evt_a5", "session.audio.input.format");

            client.send(Map.of("event_id", "evt_a6", "type", "session.update", "session",
                    Map.of("turn_detection", Map.of("type", "server_vad", "threshold", 1.5))));
            assertError(client.awaitNth("error", 6), "invalid_event", "evt_a6", "session.turn_detection");

            client.send(Map.of("event_id", "evt_a7", "type", "session.update", "session",
                    Map.of("audio", Map.of("input", Map.of("format", Map.of("type", "audio/pcm", "rate", 44100))))));
            assertError(client.awaitNth("error", 7), "invalid_event", "evt_a7", "session.audio.input.format.rate");

            client.send(Map.of("event_id", "evt_a8", "type", "input_audio_buffer.clear"));
            var cleared = client.awaitType("input_audio_buffer.cleared");
            assertThat(cleared.path("event_id").asText()).startsWith("evt_");

            // the failed updates changed nothing: still 24 kHz PCM with server VAD
            client.send(Map.of("type", "session.update", "session", Map.of()));
            var input = client.awaitType("session.updated").path("session").path("audio").path("input");
            assertThat(input.path("format").path("type").asText()).isEqualTo("audio/pcm");
            assertThat(input.path("format").path("rate").asInt()).isEqualTo(24000);
            assertThat(input.path("turn_detection").path("type").asText()).isEqualTo("server_vad");
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void theFirstChunkOfEveryUtteranceCarriesTheSpeechToTextSettingsCurrentWhenItBegan() {
        try (var audio = kafka.read(Topics.AUDIO);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var input = new LinkedHashMap<String, Object>();
            input.put("format", Map.of("type", "audio/pcm", "rate", 24000));
            input.put("turn_detection", null);
            input.put("transcription", Map.of("model", "whisper-1", "language", "de"));
            client.send(Map.of("type", "session.update", "session", Map.of("audio", Map.of("input", input),
                    "voicecoach", Map.of("phrases", List.of("Acme", "Zeta \"Motors\"")))));
            client.awaitNth("session.updated", 1);
            for (var frame : frames(pcm16(tone(24000, 500, 1000, 0.5)), 4800)) {
                client.send(append(frame, null));
            }
            client.send(Map.of("type", "input_audio_buffer.commit"));
            client.awaitNth("input_audio_buffer.committed", 1);

            client.send(Map.of("type", "session.update", "session", Map.of("audio", Map.of("input",
                    Map.of("transcription", Map.of("model", "pocketsphinx"))), "voicecoach", Map.of("phrases",
                    List.of()))));
            client.awaitNth("session.updated", 2);
            for (var frame : frames(pcm16(tone(24000, 300, 1000, 0.5)), 4800)) {
                client.send(append(frame, null));
            }
            client.send(Map.of("type", "input_audio_buffer.commit"));
            client.awaitNth("input_audio_buffer.committed", 2);

            audio.await(r -> sessionId.equals(r.key()) && "true".equals(r.headers().get(AudioHeaders.COMMIT)), 2, WAIT);
            var chunks = audioOf(audio, sessionId);
            assertThat(chunks).hasSize(5);
            var first = chunks.get(0).headers();
            assertThat(first).containsEntry(AudioHeaders.STT_ENGINE, "openai").containsEntry(AudioHeaders.LANGUAGE, "de")
                    .containsEntry(AudioHeaders.PHRASES, "[\"Acme\",\"Zeta \\\"Motors\\\"\"]");
            for (var later : List.of(chunks.get(1), chunks.get(2), chunks.get(4))) {
                assertThat(later.headers()).doesNotContainKeys(AudioHeaders.STT_ENGINE, AudioHeaders.LANGUAGE,
                        AudioHeaders.PHRASES);
            }
            var second = chunks.get(3).headers();
            assertThat(second.get(AudioHeaders.UTTERANCE_ID)).isNotEqualTo(first.get(AudioHeaders.UTTERANCE_ID));
            assertThat(second).containsEntry(AudioHeaders.STT_ENGINE, "pocketsphinx")
                    .containsEntry(AudioHeaders.PHRASES, "[]").doesNotContainKey(AudioHeaders.LANGUAGE);
        }
    }

    private static Map<String, Object> sessionUpdate(Map<String, Object> format, Map<String, Object> turnDetection) {
        var input = new LinkedHashMap<String, Object>();
        input.put("format", format);
        input.put("turn_detection", turnDetection);
        return Map.of("type", "session.update", "session", Map.of("audio", Map.of("input", input)));
    }

    private static void assertError(JsonNode event, String code, String clientEventId, String param) {
        var error = event.path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("event_id").asText()).isEqualTo(clientEventId);
        if (param == null) {
            assertThat(error.path("param").isNull()).isTrue();
        } else {
            assertThat(error.path("param").asText()).isEqualTo(param);
        }
    }

    static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (var part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
