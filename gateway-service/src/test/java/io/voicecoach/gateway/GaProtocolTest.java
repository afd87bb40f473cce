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
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemCreated;
import io.voicecoach.events.ItemDeleted;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.LinkedHashMap;
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
import static io.voicecoach.gateway.TestEvents.checklist;
import static io.voicecoach.gateway.TestEvents.citedSuggestion;
import static io.voicecoach.gateway.TestEvents.isEvent;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Realtime GA protocol as the official SDKs rely on it, with hand-written frames over the real broker: the item
 * lifecycle, {@code conversation.item.retrieve|delete|truncate}, session fields honoured or refused one by one,
 * transcription sessions, {@code rate_limits.updated}, the Agents SDK subprotocols, function tools the client runs,
 * coaching as out-of-band responses, and a resume in the middle of a record that brought several frames.
 * ({@code SdkConformanceTest} drives the same through the SDKs themselves.)
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class GaProtocolTest {

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void itemsGoThroughTheirLifecycleAndCanBeRetrievedDeletedAndTruncated() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            client.send(textItem("evt_1", "item_a", "Is delivery included?", "customer"));
            var added = client.awaitFrame(f -> isType(f, "conversation.item.added") && itemIs(f, "item_a"));
            var done = client.awaitFrame(f -> isType(f, "conversation.item.done") && itemIs(f, "item_a"));
            assertThat(typesOf(client, "item_a")).containsExactly("conversation.item.created",
                    "conversation.item.added", "conversation.item.done");
            assertThat(added.path("previous_item_id").isNull()).isTrue();
            assertThat(done.path("item").path("status").asText()).isEqualTo("completed");
            assertThat(done.path("item").path("content").get(0).path("type").asText()).isEqualTo("input_text");
            assertThat(done.path("item").path("voicecoach").path("track").asText()).isEqualTo("customer");

            client.send(Map.of("type", "conversation.item.create", "event_id", "evt_2", "item", Map.of("id", "item_b",
                    "type", "message", "role", "assistant",
                    "content", List.of(Map.of("type", "output_text", "text", "Yes, delivery is included.")))));
            var assistant = client.awaitFrame(f -> isType(f, "conversation.item.done") && itemIs(f, "item_b"));
            assertThat(assistant.path("previous_item_id").asText()).isEqualTo("item_a");
            client.send(Map.of("type", "conversation.item.create", "item", Map.of("id", "item_c",
                    "type", "function_call_output", "call_id", "call_1", "output", "{\"ok\":true}")));
            client.awaitFrame(f -> isType(f, "conversation.item.done") && itemIs(f, "item_c"));
            client.send(Map.of("type", "conversation.item.create", "previous_item_id", "root", "item", Map.of(
                    "id", "item_s", "type", "message", "role", "system",
                    "content", List.of(Map.of("type", "input_text", "text", "The caller is a returning customer.")))));
            var system = client.awaitFrame(f -> isType(f, "conversation.item.added") && itemIs(f, "item_s"));
            assertThat(system.path("previous_item_id").isNull()).isTrue();

            var created = sessions.await(r -> isEvent(r, sessionId, EventTypes.ITEM_CREATED), 3, WAIT).stream()
                    .map(r -> r.envelope().payloadAs(ItemCreated.class)).toList();
            assertThat(created).extracting(ItemCreated::itemId).containsExactly("item_b", "item_c", "item_s");
            assertThat(created.get(0).role()).isEqualTo("assistant");
            assertThat(created.get(0).text()).isEqualTo("Yes, delivery is included.");
            assertThat(created.get(0).previousItemId()).isEqualTo("item_a");
            assertThat(created.get(1).callId()).isEqualTo("call_1");
            assertThat(created.get(1).output()).isEqualTo("{\"ok\":true}");
            assertThat(created.get(2).previousItemId()).isNull();

            client.send(Map.of("type", "conversation.item.retrieve", "item_id", "item_b"));
            var retrieved = client.awaitType("conversation.item.retrieved").path("item");
            assertThat(retrieved.path("content").get(0).path("text").asText()).isEqualTo("Yes, delivery is included.");

            client.send(Map.of("type", "conversation.item.truncate", "event_id", "evt_t", "item_id", "item_b",
                    "content_index", 0, "audio_end_ms", 800));
            var truncated = client.awaitType("conversation.item.truncated");
            assertThat(truncated.path("item_id").asText()).isEqualTo("item_b");
            assertThat(truncated.path("content_index").asInt()).isZero();
            assertThat(truncated.path("audio_end_ms").asInt()).isEqualTo(800);
            assertThat(awaitEvent(sessions, sessionId, EventTypes.ITEM_TRUNCATED).payloadAs(ItemTruncated.class))
                    .isEqualTo(new ItemTruncated("item_b", 0, 800));

            client.send(Map.of("type", "conversation.item.delete", "item_id", "item_c"));
            assertThat(client.awaitType("conversation.item.deleted").path("item_id").asText()).isEqualTo("item_c");
            assertThat(awaitEvent(sessions, sessionId, EventTypes.ITEM_DELETED).payloadAs(ItemDeleted.class))
                    .isEqualTo(new ItemDeleted("item_c"));

            client.send(Map.of("type", "conversation.item.retrieve", "event_id", "evt_r", "item_id", "item_c"));
            assertError(client.awaitNth("error", 1), "item_not_found", "item_id", "evt_r");
            client.send(Map.of("type", "conversation.item.truncate", "event_id", "evt_u", "item_id", "item_a",
                    "content_index", 0, "audio_end_ms", 10));
            assertError(client.awaitNth("error", 2), "item_not_truncatable", "item_id", "evt_u");
            client.send(Map.of("type", "conversation.item.create", "event_id", "evt_p", "previous_item_id",
                    "item_gone", "item", Map.of("type", "message", "role", "user",
                            "content", List.of(Map.of("type", "input_text", "text", "Hello?")))));
            assertError(client.awaitNth("error", 3), "item_not_found", "previous_item_id", "evt_p");
            client.send(Map.of("type", "conversation.item.delete", "event_id", "evt_d", "item_id", "item_c"));
            assertError(client.awaitNth("error", 4), "item_not_found", "item_id", "evt_d");
            assertThat(client.ofType("conversation.item.deleted")).hasSize(1);
        }
    }

    @Test
    void anAudioItemIsAddedWhenCommittedAndCarriesItsTranscriptOnceTranscribed() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var speech = pcm16(silence(24000, 300), tone(24000, 600, 440, 0.3), silence(24000, 800));
            for (var frame : frames(speech, 4800)) {
                client.send(append(frame, "customer"));
            }
            var committed = client.awaitType("input_audio_buffer.committed");
            String itemId = committed.path("item_id").asText();
            var done = client.awaitFrame(f -> isType(f, "conversation.item.done") && itemIs(f, itemId));
            assertThat(done.path("item").path("content").get(0).path("type").asText()).isEqualTo("input_audio");
            assertThat(typesOf(client, itemId)).containsSubsequence("input_audio_buffer.speech_started",
                    "input_audio_buffer.speech_stopped", "input_audio_buffer.committed", "conversation.item.added",
                    "conversation.item.done");

            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, DEMO_TENANT, sessionId, 1,
                    "transcription-service", new io.voicecoach.events.Transcript(itemId, "customer", "a beep", true, 0,
                            600, 0.8, "pocketsphinx", java.time.Instant.now())));
            client.awaitType("conversation.item.input_audio_transcription.completed");
            client.send(Map.of("type", "conversation.item.retrieve", "item_id", itemId));
            var item = client.awaitType("conversation.item.retrieved").path("item");
            assertThat(item.path("content").get(0).path("transcript").asText()).isEqualTo("a beep");
        }
    }

    @Test
    void sessionFieldsAreHonouredOrRefusedOneByOneWithTheRestApplied() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var created = client.awaitType("session.created").path("session");
            assertThat(created.path("output_modalities").toString()).isEqualTo("[\"text\"]");
            assertThat(created.path("max_output_tokens").asText()).isEqualTo("inf");
            assertThat(created.path("truncation").asText()).isEqualTo("auto");
            var turn = created.path("audio").path("input").path("turn_detection");
            assertThat(turn.path("create_response").asBoolean()).isTrue();
            assertThat(turn.path("interrupt_response").asBoolean()).isTrue();

            var session = new LinkedHashMap<String, Object>();
            session.put("type", "realtime");
            session.put("instructions", "Be brief.");
            session.put("voicecoach", Map.of("mode", "agent"));
            session.put("output_modalities", List.of("audio"));
            session.put("max_output_tokens", 200);
            session.put("truncation", "disabled");
            session.put("include", List.of("item.input_audio_transcription.logprobs"));
            session.put("prompt", Map.of("id", "pmpt_1"));
            session.put("temperature", 0.7);
            session.put("tools", List.of(Map.of("type", "mcp", "server_label", "crm")));
            session.put("audio", Map.of("input", Map.of("noise_reduction", Map.of("type", "near_field"),
                    "turn_detection", Map.of("type", "semantic_vad", "eagerness", "high"))));
            client.send(Map.of("type", "session.update", "event_id", "evt_u1", "session", session));
            var updated = client.awaitType("session.updated").path("session");
            var refused = client.ofType("error");
            assertThat(refused).allSatisfy(e -> {
                assertThat(e.path("error").path("code").asText()).isEqualTo("unsupported_value");
                assertThat(e.path("error").path("event_id").asText()).isEqualTo("evt_u1");
                assertThat(e.path("error").path("message").asText()).isNotBlank();
            });
            assertThat(refused).extracting(e -> e.path("error").path("param").asText()).containsExactlyInAnyOrder(
                    "session.max_output_tokens", "session.truncation", "session.include",
                    "session.prompt", "session.temperature", "session.tools", "session.audio.input.noise_reduction",
                    "session.audio.input.turn_detection");
            // the refused fields keep their values; the rest of the update applied
            assertThat(updated.path("instructions").asText()).isEqualTo("Be brief.");
            assertThat(updated.path("output_modalities").toString()).isEqualTo("[\"audio\"]");
            assertThat(updated.path("max_output_tokens").asText()).isEqualTo("inf");
            assertThat(updated.path("truncation").asText()).isEqualTo("auto");
            assertThat(updated.path("tools")).isEmpty();
            assertThat(updated.has("prompt")).isFalse();
            var input = updated.path("audio").path("input");
            assertThat(input.path("noise_reduction").isNull()).isTrue();
            assertThat(input.path("turn_detection").path("type").asText()).isEqualTo("server_vad");

            // server_vad flags: interrupt_response is honoured, an idle timeout and create_response false are not
            var flags = new LinkedHashMap<String, Object>();
            flags.put("audio", Map.of("input", Map.of("turn_detection", Map.of("type", "server_vad",
                    "silence_duration_ms", 300, "idle_timeout_ms", 5000, "create_response", false,
                    "interrupt_response", false))));
            flags.put("tools", List.of(Map.of("type", "function", "name", "lookup_order",
                    "parameters", Map.of("type", "object"))));
            flags.put("tool_choice", "required");
            client.send(Map.of("type", "session.update", "event_id", "evt_u2", "session", flags));
            var second = client.awaitNth("session.updated", 2).path("session");
            assertThat(client.ofType("error").subList(refused.size(), client.ofType("error").size()))
                    .extracting(e -> e.path("error").path("param").asText()).containsExactlyInAnyOrder(
                            "session.audio.input.turn_detection.idle_timeout_ms",
                            "session.audio.input.turn_detection.create_response");
            var vad = second.path("audio").path("input").path("turn_detection");
            assertThat(vad.path("silence_duration_ms").asInt()).isEqualTo(300);
            assertThat(vad.path("interrupt_response").asBoolean()).isFalse();
            assertThat(vad.path("create_response").asBoolean()).isTrue();
            assertThat(vad.path("idle_timeout_ms").isNull()).isTrue();
            assertThat(second.path("tools").get(0).path("name").asText()).isEqualTo("lookup_order");
            assertThat(second.path("tool_choice").asText()).isEqualTo("required");

            var announced = sessions.awaitOne(r -> isEvent(r, sessionId, EventTypes.SESSION_UPDATED)
                    && r.envelope().payloadAs(SessionUpdated.class).tools() != null, WAIT)
                    .envelope().payloadAs(SessionUpdated.class);
            assertThat(announced.tools()).extracting(t -> t.path("name").asText()).containsExactly("lookup_order");
            assertThat(announced.toolChoice().asText()).isEqualTo("required");

            // without interrupt_response the caller's speech does not cut the voice agent short
            var speech = pcm16(silence(24000, 300), tone(24000, 600, 440, 0.3), silence(24000, 600));
            for (var frame : frames(speech, 4800)) {
                client.send(append(frame, "customer"));
            }
            client.awaitType("input_audio_buffer.committed");
            client.close();
            awaitEvent(sessions, sessionId, EventTypes.SESSION_ENDED);
            assertThat(sessions.envelopes(sessionId, EventTypes.SPEECH_STARTED)).isEmpty();
        }
    }

    @Test
    void transcriptionSessionsTakeAudioButGiveNoResponses() {
        var uri = URI.create(websocket(realtime) + "?intent=transcription");
        try (var client = RealtimeClient.connect(uri, DEMO_KEY)) {
            var session = client.awaitType("session.created").path("session");
            assertThat(session.path("type").asText()).isEqualTo("transcription");
            assertThat(session.path("object").asText()).isEqualTo("realtime.transcription_session");
            assertThat(session.has("output_modalities")).isFalse();
            client.send(Map.of("type", "response.create", "event_id", "evt_r"));
            assertError(client.awaitNth("error", 1), "invalid_session_type", "type", "evt_r");
            client.send(Map.of("type", "session.update", "event_id", "evt_m",
                    "session", Map.of("voicecoach", Map.of("mode", "agent"))));
            assertError(client.awaitNth("error", 2), "invalid_event", "session.voicecoach.mode", "evt_m");
            var speech = pcm16(silence(24000, 300), tone(24000, 600, 440, 0.3), silence(24000, 800));
            for (var frame : frames(speech, 4800)) {
                client.send(append(frame, "customer"));
            }
            client.awaitType("input_audio_buffer.committed");
            assertThat(client.ofType("response.created")).isEmpty();
        }
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            client.send(Map.of("type", "session.update", "session", Map.of("type", "transcription")));
            var updated = client.awaitType("session.updated").path("session");
            assertThat(updated.path("type").asText()).isEqualTo("transcription");
        }
        assertThat(RealtimeClient.refusal(URI.create(websocket(realtime) + "?intent=translation"), DEMO_KEY))
                .isEqualTo(400);
    }

    @Test
    void theAgentsSdkSubprotocolsAreAcceptedAndRateLimitsFollowSessionCreated() {
        try (var client = RealtimeClient.connectWith(websocket(realtime), builder -> builder.subprotocols("realtime",
                "openai-insecure-api-key." + DEMO_KEY, "openai-agents-sdk.0.20.0"))) {
            assertThat(client.subprotocol()).isEqualTo("realtime");
            var limits = client.awaitType("rate_limits.updated");
            assertThat(client.frames().indexOf(limits)).isEqualTo(1);
            assertThat(limits.path("rate_limits")).extracting(l -> l.path("name").asText())
                    .containsExactly("requests");
            var appends = limits.path("rate_limits").get(0);
            assertThat(appends.path("limit").asInt()).isEqualTo(100);
            assertThat(appends.path("remaining").asInt()).isEqualTo(100);
            assertThat(limits.path("voicecoach").path("requests").asText()).isEqualTo("input_audio_buffer.append");
            var held = limits.path("voicecoach").path("sessions");
            assertThat(held.path("limit").asInt()).isEqualTo(100);
            assertThat(held.path("remaining").asInt()).isBetween(0, 99);
        }
    }

    @Test
    void aFunctionTheClientDeclaredIsCalledAsAFunctionCallItemAndItsOutputGoesToTheVoiceAgent() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            client.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"),
                    "tools", List.of(Map.of("type", "function", "name", "lookup_order")))));
            client.awaitType("session.updated");
            reply(sessionId, EventTypes.AGENT_RESPONSE_CREATED, new AgentResponseCreated("resp_f"));
            reply(sessionId, EventTypes.AGENT_FUNCTION_CALL, new AgentFunctionCall("resp_f", "item_f", "call_9",
                    "lookup_order", "{\"order\":\"A-17\"}"));
            reply(sessionId, EventTypes.AGENT_RESPONSE_DONE, new AgentResponseDone("resp_f", "completed", null));

            var done = client.awaitType("response.done");
            var lifecycle = client.frames().stream().map(f -> f.path("type").asText())
                    .filter(t -> t.startsWith("response.") || t.startsWith("conversation.item.")).toList();
            assertThat(lifecycle).containsExactly("response.created", "response.output_item.added",
                    "conversation.item.added", "response.function_call_arguments.delta",
                    "response.function_call_arguments.done", "response.output_item.done", "conversation.item.done",
                    "response.done");
            var call = client.awaitType("response.output_item.done").path("item");
            assertThat(call.path("type").asText()).isEqualTo("function_call");
            assertThat(call.path("status").asText()).isEqualTo("completed");
            assertThat(call.path("call_id").asText()).isEqualTo("call_9");
            assertThat(call.path("arguments").asText()).isEqualTo("{\"order\":\"A-17\"}");
            assertThat(done.path("response").path("output").get(0).path("id").asText()).isEqualTo("item_f");

            client.send(Map.of("type", "conversation.item.create", "item", Map.of("type", "function_call_output",
                    "call_id", "call_9", "output", "{\"status\":\"shipped\"}")));
            var output = awaitEvent(sessions, sessionId, EventTypes.ITEM_CREATED).payloadAs(ItemCreated.class);
            assertThat(output.callId()).isEqualTo("call_9");
            assertThat(output.previousItemId()).isEqualTo("item_f");
            assertThat(output.output()).isEqualTo("{\"status\":\"shipped\"}");
        }
    }

    @Test
    void aTenantToolNamedLikeAFunctionTheClientDeclaredIsOnlyAnnouncedNotHandedToTheClient() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            client.send(Map.of("type", "session.update", "session", Map.of("voicecoach", Map.of("mode", "agent"),
                    "tools", List.of(Map.of("type", "function", "name", "lookup_customer")))));
            client.awaitType("session.updated");
            reply(sessionId, EventTypes.AGENT_RESPONSE_CREATED, new AgentResponseCreated("resp_t"));
            // coaching offered the tenant's lookup_customer, not the client's, and marks the call as its own
            reply(sessionId, EventTypes.AGENT_FUNCTION_CALL, new AgentFunctionCall("resp_t", "item_t", "call_t",
                    "lookup_customer", "{\"phone\":\"+15550100\"}", false));
            reply(sessionId, EventTypes.AGENT_RESPONSE_DONE, new AgentResponseDone("resp_t", "completed", null));

            var done = client.awaitType("response.done");
            var lifecycle = client.frames().stream().map(f -> f.path("type").asText())
                    .filter(t -> t.startsWith("response.") || t.startsWith("conversation.item.")).toList();
            assertThat(lifecycle).containsExactly("response.created", "response.function_call_arguments.done",
                    "response.done");
            assertThat(done.path("response").path("output")).isEmpty();
        }
    }

    @Test
    void coachingComesAsOutOfBandResponsesOnceAskedForAndCoachModeAnswersEveryResponseCreate() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            client.send(Map.of("type", "response.create", "event_id", "evt_x",
                    "response", Map.of("conversation", "none", "metadata", Map.of("topic", "x"))));
            assertError(client.awaitNth("error", 1), "unsupported_value", "response.conversation", "evt_x");
            client.send(Map.of("type", "response.create", "event_id", "evt_t",
                    "response", Map.of("temperature", 0.2)));
            assertError(client.awaitNth("error", 2), "unsupported_value", "response.temperature", "evt_t");
            client.send(Map.of("type", "response.create", "event_id", "evt_m",
                    "response", Map.of("modalities", List.of("audio", "text"))));
            assertError(client.awaitNth("error", 3), "unsupported_value", "response.modalities", "evt_m");

            client.send(Map.of("type", "response.create", "response", Map.of("conversation", "none",
                    "metadata", Map.of("voicecoach", "coaching", "panel", "side"))));
            var accepted = client.awaitType("response.done").path("response");
            assertThat(accepted.path("status").asText()).isEqualTo("completed");
            assertThat(accepted.path("conversation_id").isNull()).isTrue();
            assertThat(accepted.path("metadata").path("panel").asText()).isEqualTo("side");

            var suggestion = suggestion(DEMO_TENANT, sessionId, "sug_oob");
            kafka.send(Topics.SUGGESTIONS, suggestion);
            kafka.send(Topics.SUGGESTIONS, suggestion);
            var coached = client.awaitNth("response.done", 2).path("response");
            int start = client.frames().indexOf(client.awaitType("voicecoach.coaching.suggestion"));
            var frames = client.frames().subList(start, client.frames().size());
            assertThat(frames).extracting(f -> f.path("type").asText()).startsWith("voicecoach.coaching.suggestion",
                    "response.created", "response.output_item.added", "response.content_part.added",
                    "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                    "response.output_item.done", "response.done");
            assertThat(frames).noneMatch(f -> f.path("type").asText().startsWith("conversation.item."));
            assertThat(coached.path("conversation_id").isNull()).isTrue();
            assertThat(coached.path("metadata").path("voicecoach").asText()).isEqualTo("coaching");
            assertThat(coached.path("voicecoach").path("suggestion").path("id").asText()).isEqualTo("sug_oob");
            assertThat(coached.path("output").get(0).path("content").get(0).path("text").asText())
                    .isEqualTo("Objection: price: Acknowledge, then reframe on cost of slow onboarding.");

            // coach mode has no voice agent: an in-band response.create still gets its response, a failed one
            client.send(Map.of("type", "response.create"));
            var failed = client.awaitNth("response.done", 3).path("response");
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("status_details").path("error").path("code").asText())
                    .isEqualTo("voice_agent_not_enabled");
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, "sug_marker"));
            client.awaitFrame(f -> "sug_marker".equals(f.path("suggestion").path("id").asText()));
            assertThat(client.ofType("voicecoach.coaching.suggestion")).hasSize(2);
        }
    }

    @Test
    void outOfBandCoachingCarriesTheCitationsAndTheComplianceChecklist() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            kafka.send(Topics.SUGGESTIONS, checklist(DEMO_TENANT, sessionId, ComplianceChecklist.PENDING, false));
            client.awaitType("voicecoach.compliance.checklist");
            client.send(Map.of("type", "response.create", "response", Map.of("conversation", "none",
                    "metadata", Map.of("voicecoach", "coaching"))));
            client.awaitType("response.done");

            kafka.send(Topics.SUGGESTIONS, citedSuggestion(DEMO_TENANT, sessionId, "sug_cited"));
            var cited = client.awaitNth("response.done", 2).path("response");
            var ref = cited.path("voicecoach").path("suggestion");
            assertThat(ref.path("id").asText()).isEqualTo("sug_cited");
            assertThat(ref.path("citations")).extracting(c -> c.path("document_title").asText())
                    .containsExactly("Pricing FAQ", "Onboarding guide");
            assertThat(ref.path("citations").get(0).path("excerpt").asText())
                    .isEqualTo("Annual plans save 20% over monthly.");
            assertThat(cited.path("output").get(0).path("content").get(0).path("text").asText())
                    .isEqualTo("Objection: price: Acknowledge, then reframe on cost of slow onboarding."
                            + " (Sources: Pricing FAQ; Onboarding guide)");

            var said = checklist(DEMO_TENANT, sessionId, ComplianceChecklist.SAID, false);
            kafka.send(Topics.SUGGESTIONS, said);
            kafka.send(Topics.SUGGESTIONS, said);
            var shown = client.awaitNth("response.done", 3).path("response");
            assertThat(shown.path("conversation_id").isNull()).isTrue();
            assertThat(shown.path("metadata").path("voicecoach").asText()).isEqualTo("coaching");
            var items = shown.path("voicecoach").path("checklist").path("items");
            assertThat(items).extracting(i -> i.path("rule_id").asText() + "=" + i.path("status").asText())
                    .containsExactly("recording_notice=said", "guarantee=kept");
            assertThat(shown.path("output").get(0).path("content").get(0).path("text").asText())
                    .isEqualTo("Compliance checklist:\n- said: Tell the customer the call is recorded."
                            + "\n- kept: Never promise results.");

            kafka.send(Topics.SUGGESTIONS, checklist(DEMO_TENANT, sessionId, ComplianceChecklist.MISSED, true));
            var last = client.awaitNth("response.done", 4).path("response");
            assertThat(last.path("voicecoach").path("checklist").path("closed").asBoolean()).isTrue();
            assertThat(last.path("output").get(0).path("content").get(0).path("text").asText())
                    .startsWith("Compliance checklist (final):\n- missed: ");
            // the repeated checklist event was shown once; the one before the request came without a response
            assertThat(client.ofType("voicecoach.compliance.checklist")).hasSize(3);
            assertThat(client.ofType("response.done")).hasSize(4);
            assertThat(client.frames()).noneMatch(f -> f.path("type").asText().startsWith("conversation.item."));
        }
    }

    @Test
    void aResumeInTheMiddleOfAReplyRecordDeliversExactlyTheRestOfIt() {
        String sessionId;
        String cursor;
        List<String> expected;
        var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
        sessionId = client.sessionId();
        reply(sessionId, EventTypes.AGENT_RESPONSE_CREATED, new AgentResponseCreated("resp_m"));
        reply(sessionId, EventTypes.AGENT_TEXT_DELTA, new AgentTextDelta("resp_m", "item_m", "Hello"));
        client.awaitType("response.output_text.delta");
        // the first delta of an item brought four frames: output_item.added, item.added, content_part.added, delta
        var added = client.awaitType("conversation.item.added");
        cursor = added.path("event_id").asText();
        assertThat(cursor).startsWith("evt_c").contains("~2");
        expected = List.of("response.content_part.added", "response.output_text.delta");
        client.abort();

        try (var resumed = RealtimeClient.connect(URI.create(websocket(realtime) + "?session_id=" + sessionId
                + "&last_event_id=" + cursor), DEMO_KEY)) {
            reply(sessionId, EventTypes.AGENT_RESPONSE_DONE, new AgentResponseDone("resp_m", "completed", "Hello"));
            resumed.awaitType("response.done");
            var replayed = resumed.frames().stream().map(f -> f.path("type").asText())
                    .filter(t -> t.startsWith("response.") || t.startsWith("conversation.item.")).toList();
            assertThat(replayed).startsWith(expected.toArray(String[]::new));
            assertThat(replayed).doesNotContain("response.output_item.added", "response.created",
                    "conversation.item.added");
            assertThat(replayed).containsSubsequence("response.output_text.done", "response.content_part.done",
                    "response.output_item.done", "conversation.item.done", "response.done");
        }
    }

    private void reply(String sessionId, String type, Object payload) {
        kafka.send(Topics.AGENT_REPLIES, Envelope.of(type, DEMO_TENANT, sessionId, 1, "coaching-service", payload));
    }

    private static List<String> typesOf(RealtimeClient client, String itemId) {
        return client.frames().stream().filter(f -> itemId.equals(f.path("item_id").asText())
                || itemIs(f, itemId)).map(f -> f.path("type").asText()).toList();
    }

    private static boolean isType(JsonNode frame, String type) {
        return type.equals(frame.path("type").asText());
    }

    private static boolean itemIs(JsonNode frame, String itemId) {
        return itemId.equals(frame.path("item").path("id").asText());
    }

    private static void assertError(JsonNode frame, String code, String param, String clientEventId) {
        assertThat(frame.path("type").asText()).isEqualTo("error");
        var error = frame.path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(error.path("event_id").asText()).isEqualTo(clientEventId);
        assertThat(error.path("message").asText()).isNotBlank();
    }
}
