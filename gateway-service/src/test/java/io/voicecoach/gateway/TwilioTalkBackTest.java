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
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventRegistry;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechOutput;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static io.voicecoach.gateway.AudioFrames.frames;
import static io.voicecoach.gateway.AudioFrames.pcm16;
import static io.voicecoach.gateway.AudioFrames.silence;
import static io.voicecoach.gateway.AudioFrames.tone;
import static io.voicecoach.gateway.AudioFrames.ulaw;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Twilio stream in agent mode talks back (issue 15 item 5), over the real broker: the agent's speech on
 * {@code agent.speech} reaches "Twilio" as its own {@code media} and {@code mark} frames, the caller talking over it
 * gets {@code clear}, and Twilio's mark echoes decide what the history keeps as heard.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class TwilioTalkBackTest {

    private static final int RATE = 8000;

    @TestHTTPResource("/v1/twilio/media")
    URI twilio;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void theAgentsSpeechGoesToTwilioAsTwentyMillisecondMuLawMediaWithAMarkAfterEachChunkAndTheItem() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var call = new TwilioClient(websocket(twilio), callSid())) {
            String sessionId = startAgent(call, sessions, "coral");
            var updated = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_UPDATED.equals(r.envelope().type()), WAIT).envelope()
                    .payloadAs(SessionUpdated.class);
            assertThat(updated.output()).as("the speech stage speaks mu-law's 8 kHz in the voice asked for")
                    .isEqualTo(new SpeechOutput(true, "coral", "audio/pcmu"));

            // three chunks of 125 ms: not whole 20 ms payloads, so bytes wait for the next chunk and the last is padded
            var chunks = List.of(tone(RATE, 125, 440, 0.3), tone(RATE, 125, 660, 0.3), tone(RATE, 125, 880, 0.3));
            var first = speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_1", "item_1", 0,
                    "Your car is booked.", RATE, 0, 125, base64(chunks.get(0))));
            kafka.send(Topics.AGENT_SPEECH, first);
            kafka.send(Topics.AGENT_SPEECH, first); // synthesized again after the stage's partition moved: same id
            kafka.send(Topics.AGENT_SPEECH, speech("globex", sessionId, new AgentAudioDelta("resp_1", "item_1", 1,
                    "FOREIGN", RATE, 125, 125, base64(chunks.get(1)))));
            for (int chunk = 1; chunk < 3; chunk++) {
                kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_1", "item_1",
                        chunk, "", RATE, chunk * 125L, 125, base64(chunks.get(chunk)))));
            }
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDone("resp_1", "item_1", 3,
                    "Your car is booked.", 375, "espeak-ng", "coral")));

            call.awaitEvents("mark", 4);
            assertThat(call.frames()).as("only Twilio's frames, each naming the stream").allSatisfy(frame -> {
                assertThat(frame.path("event").asText()).isIn("media", "mark");
                assertThat(frame.path("streamSid").asText()).isEqualTo(call.streamSid);
            });
            assertThat(call.ofEvent("mark")).extracting(mark -> mark.path("mark").path("name").asText())
                    .containsExactly("item_1/125", "item_1/250", "item_1/375", "item_1/end");
            // 1000 bytes a chunk: 6 whole payloads each (the rest waits), the done sends the padded last one
            assertThat(call.frames()).extracting(frame -> frame.path("event").asText()).containsExactly(
                    "media", "media", "media", "media", "media", "media", "mark",
                    "media", "media", "media", "media", "media", "media", "mark",
                    "media", "media", "media", "media", "media", "media", "mark",
                    "media", "mark");
            var audio = new ByteArrayOutputStream();
            for (var media : call.ofEvent("media")) {
                byte[] payload = Base64.getDecoder().decode(media.path("media").path("payload").asText());
                assertThat(payload).hasSize(160);
                audio.writeBytes(payload);
            }
            var expected = ulaw(chunks.get(0), chunks.get(1), chunks.get(2), silence(RATE, 5));
            assertThat(audio.toByteArray()).as("the chunks' samples mu-law encoded, in order, padded with silence")
                    .isEqualTo(expected);
        }
    }

    @Test
    void theCallerTalkingOverTheAgentClearsTwilioAndTheHistoryKeepsWhatTheMarkEchoesSayWasHeard() {
        String words = "One two three four five six seven eight nine ten.";
        try (var sessions = kafka.read(Topics.SESSIONS);
             var call = new TwilioClient(websocket(twilio), callSid())) {
            String sessionId = startAgent(call, sessions, null);
            // a fast engine: two seconds of speech sent at once, Twilio buffers it and plays it in real time
            for (int chunk = 0; chunk < 10; chunk++) {
                kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_2", "item_2",
                        chunk, chunk == 0 ? words : "", RATE, chunk * 200L, 200, base64(tone(RATE, 200, 440, 0.2)))));
            }
            call.awaitEvents("mark", 10);
            int mediaSent = call.ofEvent("media").size();
            assertThat(mediaSent).isEqualTo(100);

            // a second of line silence, then Twilio reports 400 ms played (it started late), then the caller speaks
            var silent = frames(ulaw(silence(RATE, 1000)), 160);
            var speaking = frames(ulaw(tone(RATE, 1500, 440, 0.3)), 160);
            long began = System.nanoTime();
            for (int i = 0; i < silent.size(); i++) {
                LockSupport.parkNanos(began + i * 20_000_000L - System.nanoTime()); // real time, as Twilio sends
                call.media("inbound", silent.get(i));
            }
            call.mark("item_2/200");
            call.mark("item_2/400");
            long echoed = System.nanoTime();
            for (int i = 0; i < speaking.size() && call.ofEvent("clear").isEmpty(); i++) {
                LockSupport.parkNanos(echoed + i * 20_000_000L - System.nanoTime());
                call.media("inbound", speaking.get(i));
            }
            var clear = call.awaitEvents("clear", 1).getFirst();
            long clearedMs = (System.nanoTime() - echoed) / 1_000_000;
            assertThat(clear.path("streamSid").asText()).isEqualTo(call.streamSid);
            assertThat(clear.size()).as("clear carries the event and the stream only").isEqualTo(2);

            sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SPEECH_STARTED.equals(r.envelope().type()), WAIT);
            var cut = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.ITEM_TRUNCATED.equals(r.envelope().type()), WAIT).envelope()
                    .payloadAs(ItemTruncated.class);
            assertThat(cut.itemId()).isEqualTo("item_2");
            // from the echo of 400 ms on in real time; the time since the first chunk went out (over a second more)
            // would say far more was heard
            assertThat(cut.audioEndMs()).isBetween(400L, Math.min(2000L, 400 + clearedMs));
            String heard = String.join(" ", List.of(words.split(" ")).subList(0, (int) (10 * cut.audioEndMs() / 2000)));
            assertThat(cut.heardText()).as("the share of the ten words played").isEqualTo(heard);

            // Twilio echoes the marks the clear dropped; the rest of the item is not sent, nor its end mark
            call.mark("item_2/2000");
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_2", "item_2", 10,
                    "", RATE, 2000, 200, base64(tone(RATE, 200, 440, 0.2)))));
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDone("resp_2", "item_2", 11,
                    words, 2200, "espeak-ng", "alloy")));
            // the next reply's audio plays again (and shows the cut item's records were handled before it)
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDelta("resp_3", "item_3", 0,
                    "Sorry, go ahead.", RATE, 0, 200, base64(tone(RATE, 200, 440, 0.2)))));
            kafka.send(Topics.AGENT_SPEECH, speech(DEMO_TENANT, sessionId, new AgentAudioDone("resp_3", "item_3", 1,
                    "Sorry, go ahead.", 200, "espeak-ng", "alloy")));
            await().atMost(WAIT).until(() -> call.ofEvent("mark").stream()
                    .anyMatch(mark -> "item_3/end".equals(mark.path("mark").path("name").asText())));
            assertThat(call.ofEvent("media")).hasSize(mediaSent + 10);
            assertThat(call.ofEvent("mark")).extracting(mark -> mark.path("mark").path("name").asText())
                    .noneMatch(name -> name.equals("item_2/2200") || name.equals("item_2/end"));
            assertThat(sessions.all()).filteredOn(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.ITEM_TRUNCATED.equals(r.envelope().type())).hasSize(1);
        }
    }

    @Test
    void aCoachStreamGetsNoAudioAndMarksThatAreNotTheGatewaysAreIgnored() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var coach = new TwilioClient(websocket(twilio), callSid());
             var agent = new TwilioClient(websocket(twilio), callSid())) {
            coach.start(Map.of("api_key", DEMO_KEY), List.of("inbound"));
            String coachSession = started(sessions, coach.callSid).key();
            String agentSession = startAgent(agent, sessions, null);

            agent.sendRaw("{\"event\":\"mark\",\"streamSid\":\"" + agent.streamSid + "\"}");
            agent.sendRaw("{\"event\":\"mark\",\"streamSid\":\"" + agent.streamSid + "\",\"mark\":{\"name\":5}}");
            agent.mark("not-ours");
            agent.mark("item_9/-5");
            agent.mark("item_9/end"); // an item it never spoke
            agent.sendRaw("{\"event\":\"clear\",\"streamSid\":\"" + agent.streamSid + "\"}"); // only Twilio is told

            // the coach stream's speech, then the agent's on the same partition: once the agent's arrived, both were
            send(coachSession, speech(DEMO_TENANT, coachSession, new AgentAudioDelta("resp_4", "item_4", 0, "Hi.",
                    RATE, 0, 200, base64(tone(RATE, 200, 440, 0.2)))));
            send(coachSession, speech(DEMO_TENANT, agentSession, new AgentAudioDelta("resp_5", "item_5", 0, "Hi.",
                    RATE, 0, 200, base64(tone(RATE, 200, 440, 0.2)))));
            agent.awaitEvents("mark", 1);
            assertThat(agent.ofEvent("media")).hasSize(10);
            assertThat(agent.closedByServer()).isFalse();
            assertThat(coach.receivedAnything()).isFalse();
            assertThat(coach.closedByServer()).isFalse();
        }
    }

    /** Starts {@code call} as a voice-agent stream; returns its session id once {@code session.started} is read. */
    private static String startAgent(TwilioClient call, KafkaTestClient.TopicReader sessions, String voice) {
        call.connected();
        call.start(voice == null ? Map.of("api_key", DEMO_KEY, "mode", "agent")
                : Map.of("api_key", DEMO_KEY, "mode", "agent", "voice", voice), List.of("inbound"));
        var started = started(sessions, call.callSid);
        assertThat(started.envelope().payloadAs(SessionStarted.class).mode()).isEqualTo("agent");
        return started.key();
    }

    private static KafkaTestClient.Received started(KafkaTestClient.TopicReader sessions, String callSid) {
        return sessions.awaitOne(r -> r.envelope() != null && EventTypes.SESSION_STARTED.equals(r.envelope().type())
                && callSid.equals(r.envelope().payloadAs(SessionStarted.class).callId()), WAIT);
    }

    /** Sends {@code envelope} keyed by {@code key} (its partition), whichever session it names. */
    private void send(String key, Envelope envelope) {
        kafka.send(Topics.AGENT_SPEECH, key, EventJson.encode(envelope).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Envelope speech(String tenantId, String sessionId, AgentSpeechEvent payload) {
        return Envelope.of(EventRegistry.typeOf(payload).name(), tenantId, sessionId, 1, "transcription-service",
                payload);
    }

    private static String base64(short[] samples) {
        return Base64.getEncoder().encodeToString(pcm16(samples));
    }

    private static String callSid() {
        return "CA" + UUID.randomUUID().toString().replace("-", "");
    }
}
