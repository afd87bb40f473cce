package io.voicecoach.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechStarted;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.voicecoach.gateway.AudioFrames.append;
import static io.voicecoach.gateway.AudioFrames.frames;
import static io.voicecoach.gateway.AudioFrames.pcm16;
import static io.voicecoach.gateway.AudioFrames.silence;
import static io.voicecoach.gateway.AudioFrames.tone;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.awaitEvent;
import static io.voicecoach.gateway.TestEvents.isEvent;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;

/** The voice-agent side of the protocol, over the real broker: responses, session settings, transcription results. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class ResponseProtocolTest {

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void responseCreateAndCancelArePublishedOnVoiceSessions() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            client.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"))));
            client.send(Map.of("type", "response.create", "event_id", "c1",
                    "response", Map.of("instructions", "Answer in one sentence.")));

            var requested = awaitEvent(sessions, sessionId, EventTypes.RESPONSE_REQUESTED)
                    .payloadAs(ResponseRequested.class);
            assertThat(requested.responseId()).startsWith("resp_");
            assertThat(requested.instructions()).isEqualTo("Answer in one sentence.");

            client.send(Map.of("type", "response.cancel", "event_id", "c2"));
            var cancelled = awaitEvent(sessions, sessionId, EventTypes.RESPONSE_CANCEL_REQUESTED)
                    .payloadAs(ResponseCancelRequested.class);
            assertThat(cancelled).isEqualTo(new ResponseCancelRequested(requested.responseId(), "client"));

            client.send(Map.of("type", "response.cancel", "event_id", "c3"));
            var error = client.awaitType("error").path("error");
            assertThat(error.path("code").asText()).isEqualTo("response_cancel_not_active");
            assertThat(error.path("event_id").asText()).isEqualTo("c3");

            client.send(Map.of("type", "response.cancel", "response_id", "resp_named"));
            var named = sessions.await(r -> isEvent(r, sessionId, EventTypes.RESPONSE_CANCEL_REQUESTED), 2, WAIT);
            assertThat(named.get(1).envelope().payloadAs(ResponseCancelRequested.class).responseId())
                    .isEqualTo("resp_named");
            assertThat(sessions.envelopes(sessionId, EventTypes.SESSION_STARTED)).hasSize(1);
            assertThat(sessions.envelopes(sessionId, EventTypes.SESSION_STARTED).getFirst().seq()).isEqualTo(1);
        }
    }

    @Test
    void agentRepliesReachTheirSessionInOrderOnceAndOnlyForItsTenant() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var created = reply(DEMO_TENANT, sessionId, EventTypes.AGENT_RESPONSE_CREATED,
                    new AgentResponseCreated("resp_1"));
            kafka.send(Topics.AGENT_REPLIES, created);
            kafka.send(Topics.AGENT_REPLIES, created);
            kafka.send(Topics.AGENT_REPLIES, reply("globex", sessionId, EventTypes.AGENT_TEXT_DELTA,
                    new AgentTextDelta("resp_1", "item_a", "FOREIGN")));
            for (String delta : List.of("The price ", "includes ", "delivery.")) {
                kafka.send(Topics.AGENT_REPLIES, reply(DEMO_TENANT, sessionId, EventTypes.AGENT_TEXT_DELTA,
                        new AgentTextDelta("resp_1", "item_a", delta)));
            }
            kafka.send(Topics.AGENT_REPLIES, reply(DEMO_TENANT, sessionId, EventTypes.AGENT_TEXT_DONE,
                    new AgentTextDone("resp_1", "item_a", "The price includes delivery.")));
            kafka.send(Topics.AGENT_REPLIES, reply(DEMO_TENANT, sessionId, EventTypes.AGENT_FUNCTION_CALL,
                    new AgentFunctionCall("resp_1", "item_b", "call_7", "book_test_drive", "{\"day\":\"friday\"}")));
            kafka.sendRaw(Topics.AGENT_REPLIES, sessionId, "{not an envelope");
            kafka.send(Topics.AGENT_REPLIES, reply(DEMO_TENANT, sessionId, EventTypes.AGENT_RESPONSE_DONE,
                    new AgentResponseDone("resp_1", "completed", "The price includes delivery.")));

            client.awaitType("response.done");
            var replies = client.frames().stream().filter(f -> f.path("type").asText().startsWith("response.")
                    || f.path("type").asText().startsWith("conversation.item.")).toList();
            // the GA lifecycle: the assistant message is added as an output item and to the conversation, its text
            // part opened, streamed and closed; a tenant tool (not declared by the client) is only announced
            assertThat(replies).extracting(f -> f.path("type").asText()).containsExactly("response.created",
                    "response.output_item.added", "conversation.item.added", "response.content_part.added",
                    "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
                    "response.output_text.done", "response.content_part.done", "response.output_item.done",
                    "conversation.item.done", "response.function_call_arguments.done", "response.done");
            assertThat(replies).allSatisfy(f -> assertThat(f.path("event_id").asText()).startsWith("evt_"));
            assertThat(replies.stream().map(f -> f.path("event_id").asText()).distinct()).hasSize(replies.size());
            assertThat(replies.get(0).path("response").path("id").asText()).isEqualTo("resp_1");
            assertThat(replies.get(0).path("response").path("status").asText()).isEqualTo("in_progress");
            assertThat(replies.get(0).path("response").path("conversation_id").asText()).startsWith("conv_");
            var added = replies.get(1);
            assertThat(added.path("output_index").asInt()).isZero();
            assertThat(added.path("item").path("id").asText()).isEqualTo("item_a");
            assertThat(added.path("item").path("role").asText()).isEqualTo("assistant");
            assertThat(added.path("item").path("status").asText()).isEqualTo("in_progress");
            assertThat(replies.subList(4, 7)).extracting(f -> f.path("delta").asText())
                    .containsExactly("The price ", "includes ", "delivery.");
            assertThat(replies.get(4).path("response_id").asText()).isEqualTo("resp_1");
            assertThat(replies.get(4).path("item_id").asText()).isEqualTo("item_a");
            assertThat(replies.get(7).path("text").asText()).isEqualTo("The price includes delivery.");
            assertThat(replies.get(8).path("part").path("text").asText()).isEqualTo("The price includes delivery.");
            var itemDone = replies.get(9).path("item");
            assertThat(itemDone.path("status").asText()).isEqualTo("completed");
            assertThat(itemDone.path("content").get(0).path("type").asText()).isEqualTo("output_text");
            assertThat(itemDone.path("content").get(0).path("text").asText()).isEqualTo("The price includes delivery.");
            assertThat(replies.get(10).path("item").path("id").asText()).isEqualTo("item_a");
            var call = replies.get(11);
            assertThat(call.path("call_id").asText()).isEqualTo("call_7");
            assertThat(call.path("name").asText()).isEqualTo("book_test_drive");
            assertThat(call.path("arguments").asText()).isEqualTo("{\"day\":\"friday\"}");
            var done = replies.get(12).path("response");
            assertThat(done.path("id").asText()).isEqualTo("resp_1");
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(done.path("output")).hasSize(1);
            assertThat(done.path("output").get(0).path("id").asText()).isEqualTo("item_a");
            assertThat(client.frames()).noneMatch(f -> f.toString().contains("FOREIGN"));

            // the reply is over: nothing left to cancel
            client.send(Map.of("type", "response.cancel"));
            assertThat(client.awaitType("error").path("error").path("code").asText())
                    .isEqualTo("response_cancel_not_active");
        }
    }

    @Test
    void sessionUpdatePublishesTranscriptionAndCoachingSettingsOnlyWhenTheyChange() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var session = Map.of(
                    "instructions", "You are the dealership's receptionist.",
                    "audio", Map.of("input", Map.of("transcription",
                            Map.of("model", "gpt-4o-transcribe", "language", "de", "prompt", "car sales"))),
                    "voicecoach", Map.of("phrases", List.of("Model Y", "Kia EV6"), "metadata", Map.of("team", "east")));
            client.send(Map.of("type", "session.update", "session", session));
            var first = awaitEvent(sessions, sessionId, EventTypes.SESSION_UPDATED).payloadAs(SessionUpdated.class);
            assertThat(first.mode()).isEqualTo("coach");
            assertThat(first.transcriptionEngine()).isEqualTo("openai");
            assertThat(first.language()).isEqualTo("de");
            assertThat(first.phrases()).containsExactly("Model Y", "Kia EV6");
            assertThat(first.instructions()).isEqualTo("You are the dealership's receptionist.");
            assertThat(first.metadata()).containsEntry("team", "east").containsEntry("transcription_prompt", "car sales");

            var echoed = client.awaitType("session.updated").path("session");
            assertThat(echoed.path("audio").path("input").path("transcription").path("model").asText())
                    .isEqualTo("gpt-4o-transcribe");
            assertThat(echoed.path("voicecoach").path("phrases")).hasSize(2);

            // the same settings again: nothing new for the pipeline
            client.send(Map.of("type", "session.update", "session", session));
            client.awaitNth("session.updated", 2);
            // the beta alias with the beta transcription field, and a new outcome
            client.send(Map.of("type", "transcription_session.update", "session", Map.of(
                    "input_audio_transcription", Map.of("model", "pocketsphinx"),
                    "voicecoach", Map.of("metadata", Map.of("team", "east", "outcome", "won")))));
            client.awaitNth("session.updated", 3);

            var updates = sessions.await(r -> isEvent(r, sessionId, EventTypes.SESSION_UPDATED), 2, WAIT);
            var second = updates.get(1).envelope().payloadAs(SessionUpdated.class);
            assertThat(second.transcriptionEngine()).isEqualTo("pocketsphinx");
            assertThat(second.language()).isNull();
            assertThat(second.phrases()).containsExactly("Model Y", "Kia EV6");
            assertThat(second.metadata()).isEqualTo(Map.of("team", "east", "outcome", "won"));
            // a marker: once session.ended is on the topic, every earlier session.updated is too
            client.close();
            awaitEvent(sessions, sessionId, EventTypes.SESSION_ENDED);
            assertThat(sessions.envelopes(sessionId, EventTypes.SESSION_UPDATED)).hasSize(2);
        }
    }

    @Test
    void speechStartIsPublishedInAgentModeOnly() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var agent = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var coach = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String agentSession = agent.sessionId();
            String coachSession = coach.sessionId();
            agent.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"))));
            coach.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "coach"))));
            var speech = pcm16(silence(24000, 400), tone(24000, 600, 440, 0.3), silence(24000, 800));
            for (var frame : frames(speech, 960)) {
                agent.send(append(frame, "customer"));
                coach.send(append(frame, "customer"));
            }
            var started = agent.awaitType("input_audio_buffer.speech_started");
            coach.awaitType("input_audio_buffer.committed");

            var published = awaitEvent(sessions, agentSession, EventTypes.SPEECH_STARTED).payloadAs(SpeechStarted.class);
            assertThat(published.track()).isEqualTo("customer");
            assertThat(published.utteranceId()).isEqualTo(started.path("item_id").asText());
            assertThat(published.audioStartMs()).isEqualTo(started.path("audio_start_ms").asLong());

            coach.close();
            awaitEvent(sessions, coachSession, EventTypes.SESSION_ENDED);
            assertThat(sessions.envelopes(coachSession, EventTypes.SPEECH_STARTED)).isEmpty();
        }
    }

    @Test
    void transcriptionFailuresReachTheClientAndLatePartialsAreDropped() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var now = Instant.now();
            sendTranscript(sessionId, "item_1", "the price", false, now);
            sendTranscript(sessionId, "item_1", "the price is high", true, now);
            sendTranscript(sessionId, "item_1", "the price is", false, now);
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FAILED, DEMO_TENANT, sessionId, 9,
                    "transcription-service", new TranscriptFailed("item_2", "customer", "engine_timeout",
                            "the engine did not answer within 10 s", "openai")));
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FAILED, "globex", sessionId, 10,
                    "transcription-service", new TranscriptFailed("item_3", "customer", "engine_error", "x", "openai")));
            sendTranscript(sessionId, "item_2", "too late", false, now);
            sendTranscript(sessionId, "item_4", "marker", true, now);

            client.awaitFrame(f -> "marker".equals(f.path("transcript").asText()));
            var failed = client.ofType("conversation.item.input_audio_transcription.failed");
            assertThat(failed).hasSize(1);
            assertThat(failed.getFirst().path("item_id").asText()).isEqualTo("item_2");
            assertThat(failed.getFirst().path("event_id").asText()).startsWith("evt_");
            var error = failed.getFirst().path("error");
            assertThat(error.path("type").asText()).isEqualTo("transcription_error");
            assertThat(error.path("code").asText()).isEqualTo("engine_timeout");
            assertThat(error.path("message").asText()).contains("did not answer");
            assertThat(client.ofType("conversation.item.input_audio_transcription.delta"))
                    .extracting(d -> d.path("delta").asText()).containsExactly("the price");
        }
    }

    @Test
    void aRefusedEngineReachesTheSessionOnceAsAnErrorEvent() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var refusal = Envelope.of(EventTypes.TRANSCRIPT_FAILED, DEMO_TENANT, sessionId, 1, "transcription-service",
                    new TranscriptFailed(null, null, "engine_not_allowed", "transcription engine 'deepgram' is not "
                            + "allowed for this tenant; the session stays on pocketsphinx", "deepgram"));
            kafka.send(Topics.TRANSCRIPTS, refusal);
            kafka.send(Topics.TRANSCRIPTS, refusal); // another instance or a replay: the same event id
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FAILED, "globex", sessionId, 2,
                    "transcription-service", new TranscriptFailed(null, null, "engine_unavailable", "x", "whisper")));
            sendTranscript(sessionId, "item_1", "marker", true, Instant.now());

            client.awaitFrame(f -> "marker".equals(f.path("transcript").asText()));
            var errors = client.ofType("error");
            assertThat(errors).hasSize(1);
            var error = errors.getFirst().path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asText()).isEqualTo("engine_not_allowed");
            assertThat(error.path("param").asText()).isEqualTo("session.audio.input.transcription.model");
            assertThat(error.path("message").asText()).contains("'deepgram' is not allowed");
            assertThat(client.ofType("conversation.item.input_audio_transcription.failed")).isEmpty();
        }
    }

    @Test
    void refusalCodesOfTheLlmPoolAndOfTranscriptionsBoundsReachTheClient() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var codes = List.of("llm_busy", "llm_tenant_busy", "llm_rate_limited");
            for (int i = 0; i < codes.size(); i++) {
                String responseId = "resp_refused_" + i;
                kafka.send(Topics.AGENT_REPLIES, reply(DEMO_TENANT, sessionId, EventTypes.AGENT_RESPONSE_CREATED,
                        new AgentResponseCreated(responseId)));
                kafka.send(Topics.AGENT_REPLIES, reply(DEMO_TENANT, sessionId, EventTypes.AGENT_RESPONSE_DONE,
                        new AgentResponseDone(responseId, "failed", null, codes.get(i))));
            }
            kafka.send(Topics.AGENT_REPLIES, reply(DEMO_TENANT, sessionId, EventTypes.AGENT_RESPONSE_CREATED,
                    new AgentResponseCreated("resp_plain")));
            kafka.send(Topics.AGENT_REPLIES, reply(DEMO_TENANT, sessionId, EventTypes.AGENT_RESPONSE_DONE,
                    new AgentResponseDone("resp_plain", "failed", null)));
            for (String code : List.of("utterance_too_long", "audio_rate_exceeded")) {
                kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FAILED, DEMO_TENANT, sessionId, 1,
                        "transcription-service", new TranscriptFailed("item_" + code, "customer", code,
                                "refused by transcription", "pocketsphinx")));
            }

            client.awaitFrame(f -> "response.done".equals(type(f))
                    && "resp_plain".equals(f.path("response").path("id").asText()));
            var done = client.ofType("response.done");
            assertThat(done).extracting(f -> f.path("response").path("status").asText())
                    .containsOnly("failed");
            assertThat(done).extracting(f -> f.path("response").path("status_details").path("type").asText())
                    .containsOnly("failed");
            assertThat(done).extracting(f -> f.path("response").path("status_details").path("error").path("code")
                    .asText()).containsExactly("llm_busy", "llm_tenant_busy", "llm_rate_limited", "agent_failed");

            client.awaitFrame(f -> "item_audio_rate_exceeded".equals(f.path("item_id").asText()));
            var failed = client.ofType("conversation.item.input_audio_transcription.failed");
            assertThat(failed).extracting(f -> f.path("item_id").asText() + " " + f.path("error").path("code").asText())
                    .containsExactly("item_utterance_too_long utterance_too_long",
                            "item_audio_rate_exceeded audio_rate_exceeded");
        }
    }

    private void sendTranscript(String sessionId, String itemId, String text, boolean isFinal, Instant at) {
        kafka.send(Topics.TRANSCRIPTS, Envelope.of(isFinal ? EventTypes.TRANSCRIPT_FINAL : EventTypes.TRANSCRIPT_PARTIAL,
                DEMO_TENANT, sessionId, 1, "transcription-service",
                new Transcript(itemId, "customer", text, isFinal, 0, 500, 0.7, "pocketsphinx", at)));
    }

    private static Envelope reply(String tenantId, String sessionId, String type, Object payload) {
        return Envelope.of(type, tenantId, sessionId, 1, "coaching-service", payload);
    }

    private static String type(JsonNode frame) {
        return frame.path("type").asText();
    }
}
