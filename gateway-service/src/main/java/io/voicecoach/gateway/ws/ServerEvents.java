package io.voicecoach.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.session.Ids;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.TranscriptionOptions;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Server -> client frames of the Realtime protocol (plus VoiceCoach's {@code voicecoach.*} events), as JSON text. */
public final class ServerEvents {

    /** Parses client frames too: trees only, so no reflection is involved. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public static final String SESSION_CREATED = "session.created";
    public static final String SESSION_UPDATED = "session.updated";
    public static final String ITEM_CREATED = "conversation.item.created";
    public static final String TRANSCRIPTION_DELTA = "conversation.item.input_audio_transcription.delta";
    public static final String TRANSCRIPTION_COMPLETED = "conversation.item.input_audio_transcription.completed";
    public static final String COACHING_SUGGESTION = "voicecoach.coaching.suggestion";
    public static final String COACHING_BATTLE_CARD = "voicecoach.coaching.battle_card";
    public static final String ERROR = "error";
    public static final String SPEECH_STARTED = "input_audio_buffer.speech_started";
    public static final String SPEECH_STOPPED = "input_audio_buffer.speech_stopped";
    public static final String AUDIO_COMMITTED = "input_audio_buffer.committed";
    public static final String AUDIO_CLEARED = "input_audio_buffer.cleared";
    public static final String TRANSCRIPTION_FAILED = "conversation.item.input_audio_transcription.failed";
    public static final String RESPONSE_CREATED = "response.created";
    public static final String RESPONSE_TEXT_DELTA = "response.output_text.delta";
    public static final String RESPONSE_TEXT_DONE = "response.output_text.done";
    public static final String RESPONSE_FUNCTION_CALL_DONE = "response.function_call_arguments.done";
    public static final String RESPONSE_DONE = "response.done";
    static final String TRANSCRIPTION_ERROR = "transcription_error";

    /** {@code audio_start_ms}: the track position where the utterance's audio (prefix padding included) begins. */
    public static String speechStarted(String itemId, long audioStartMs, String track) {
        return encode(withTrack(event(SPEECH_STARTED).put("audio_start_ms", audioStartMs).put("item_id", itemId),
                track));
    }

    /** {@code audio_end_ms}: the track position where the utterance ends, hangover included. */
    public static String speechStopped(String itemId, long audioEndMs, String track) {
        return encode(withTrack(event(SPEECH_STOPPED).put("audio_end_ms", audioEndMs).put("item_id", itemId), track));
    }

    public static String audioCommitted(String itemId, String previousItemId, String track) {
        return encode(withTrack(event(AUDIO_COMMITTED).put("previous_item_id", previousItemId).put("item_id", itemId),
                track));
    }

    public static String audioCleared(String track) {
        var event = event(AUDIO_CLEARED);
        return encode(track == null ? event : withTrack(event, track));
    }

    private static ObjectNode withTrack(ObjectNode event, String track) {
        event.putObject("voicecoach").put("track", track);
        return event;
    }

    public static String sessionCreated(RealtimeSession session) {
        return encode(event(SESSION_CREATED).set("session", session(session)));
    }

    public static String sessionUpdated(RealtimeSession session) {
        return encode(event(SESSION_UPDATED).set("session", session(session)));
    }

    public static String itemCreated(String previousItemId, ObjectNode item) {
        var event = event(ITEM_CREATED).put("previous_item_id", previousItemId);
        return encode(event.set("item", item));
    }

    public static ObjectNode messageItem(String itemId, String role, ArrayNode content) {
        var item = JSON.createObjectNode()
                .put("id", itemId)
                .put("object", "realtime.item")
                .put("type", "message")
                .put("role", role)
                .put("status", "completed");
        return item.set("content", content);
    }

    /** The conversation item of a committed audio utterance; its transcript follows in transcription events. */
    public static ObjectNode audioItem(String itemId) {
        var content = JSON.createArrayNode();
        content.addObject().put("type", "input_audio").putNull("transcript");
        return messageItem(itemId, "user", content);
    }

    public static String transcriptionDelta(String itemId, String delta) {
        return encode(event(TRANSCRIPTION_DELTA).put("item_id", itemId).put("content_index", 0).put("delta", delta));
    }

    public static String transcriptionCompleted(String itemId, String transcript) {
        return encode(event(TRANSCRIPTION_COMPLETED).put("item_id", itemId).put("content_index", 0)
                .put("transcript", transcript));
    }

    /** {@code error}: the engine's failure code and message, in OpenAI's error object shape. */
    public static String transcriptionFailed(String itemId, String code, String message) {
        var event = event(TRANSCRIPTION_FAILED).put("item_id", itemId).put("content_index", 0);
        event.putObject("error").put("type", TRANSCRIPTION_ERROR).put("code", code).put("message", message)
                .putNull("param");
        return encode(event);
    }

    public static String responseCreated(String responseId) {
        return encode(event(RESPONSE_CREATED).set("response", response(responseId, "in_progress")));
    }

    public static String responseTextDelta(String responseId, String itemId, String delta) {
        return encode(event(RESPONSE_TEXT_DELTA).put("response_id", responseId).put("item_id", itemId)
                .put("output_index", 0).put("content_index", 0).put("delta", delta));
    }

    public static String responseTextDone(String responseId, String itemId, String text) {
        return encode(event(RESPONSE_TEXT_DONE).put("response_id", responseId).put("item_id", itemId)
                .put("output_index", 0).put("content_index", 0).put("text", text));
    }

    public static String responseFunctionCallDone(String responseId, String itemId, String callId, String name,
                                                  String arguments) {
        return encode(event(RESPONSE_FUNCTION_CALL_DONE).put("response_id", responseId).put("item_id", itemId)
                .put("output_index", 0).put("call_id", callId).put("name", name).put("arguments", arguments));
    }

    /** {@code status}: completed, cancelled or failed; {@code deliveredText}: what reached the caller. */
    public static String responseDone(String responseId, String status, String deliveredText) {
        var response = response(responseId, status);
        response.putObject("voicecoach").put("delivered_text", deliveredText);
        return encode(event(RESPONSE_DONE).set("response", response));
    }

    private static ObjectNode response(String responseId, String status) {
        var response = JSON.createObjectNode()
                .put("id", responseId)
                .put("object", "realtime.response")
                .put("status", status);
        response.putArray("output");
        return response;
    }

    /** @param suggestedAt {@code occurredAt} of the suggestion's envelope */
    public static String suggestion(Suggestion suggestion, Instant suggestedAt) {
        var body = JSON.createObjectNode()
                .put("id", suggestion.suggestionId())
                .put("item_id", suggestion.utteranceId())
                .put("kind", suggestion.kind())
                .put("category", suggestion.category())
                .put("title", suggestion.title())
                .put("message", suggestion.message())
                .put("confidence", suggestion.confidence())
                .put("source", suggestion.source())
                .put("priority", suggestion.priority());
        if (suggestion.card() != null) {
            body.set("card", card(suggestion.card()));
        }
        body.putObject("timings")
                .put("received_at", iso(suggestion.receivedAt()))
                .put("transcript_at", iso(suggestion.transcriptAt()))
                .put("suggested_at", iso(suggestedAt));
        return encode(event(COACHING_SUGGESTION).set("suggestion", body));
    }

    /** The battle card of a suggestion the client already got, in the shape of the suggestion frame's {@code card}. */
    public static String battleCard(SuggestionCard followUp) {
        return encode(event(COACHING_BATTLE_CARD)
                .put("suggestion_id", followUp.suggestionId())
                .put("item_id", followUp.utteranceId())
                .set("card", card(followUp.card())));
    }

    /** An OpenAI-style error; {@code clientEventId} names the client event that caused it, if known. */
    public static String error(RealtimeError error, String clientEventId) {
        var event = event(ERROR);
        event.putObject("error")
                .put("type", error.type())
                .put("code", error.code())
                .put("message", error.getMessage())
                .put("param", error.param())
                .put("event_id", clientEventId);
        return encode(event);
    }

    /** The {@code event_id} of a frame built here (it is always the first field). */
    public static String eventIdOf(String frame) {
        int start = frame.indexOf(':') + 2;
        return frame.substring(start, frame.indexOf('"', start));
    }

    static JsonNode parse(Buffer frame) {
        try {
            return JSON.readTree(frame.getBytes());
        } catch (JsonProcessingException e) {
            throw RealtimeError.invalid(RealtimeError.INVALID_JSON, "the frame is not valid JSON: "
                    + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown when reading from memory
        }
    }

    private static ObjectNode session(RealtimeSession session) {
        var settings = session.settings();
        var node = JSON.createObjectNode()
                .put("id", session.id())
                .put("object", "realtime.session")
                .put("type", "realtime");
        node.setAll(session.realtimeFields());
        audio(node, session);
        var voicecoach = node.putObject("voicecoach")
                .put("mode", settings.mode())
                .put("call_id", settings.callId())
                .put("rep_id", settings.repId())
                .put("role", settings.role());
        settings.metadata().forEach(voicecoach.putObject("metadata")::put);
        var phrases = voicecoach.putArray("phrases");
        session.transcription().phrases().forEach(phrases::add);
        return node;
    }

    /** The effective input format and turn detection, in the GA shape and, if the client used them, the beta one. */
    private static void audio(ObjectNode node, RealtimeSession session) {
        var format = session.inputFormat();
        var turnDetection = session.turnDetection();
        var audio = node.get("audio") instanceof ObjectNode given ? given : node.putObject("audio");
        var input = audio.get("input") instanceof ObjectNode given ? given : audio.putObject("input");
        input.putObject("format").put("type", format.type()).put("rate", format.rate());
        input.set("turn_detection", turnDetection(turnDetection));
        input.set("transcription", transcription(session.transcription()));
        if (node.has("input_audio_transcription")) {
            node.set("input_audio_transcription", transcription(session.transcription()));
        }
        if (node.has("input_audio_format")) {
            node.put("input_audio_format", switch (format.type()) {
                case InputAudioFormat.PCMU -> "g711_ulaw";
                case InputAudioFormat.PCMA -> "g711_alaw";
                default -> "pcm16";
            });
        }
        if (node.has("turn_detection")) {
            node.set("turn_detection", turnDetection(turnDetection));
        }
    }

    private static JsonNode transcription(TranscriptionOptions transcription) {
        if (transcription.model() == null && transcription.language() == null && transcription.prompt() == null) {
            return JSON.nullNode();
        }
        return JSON.createObjectNode()
                .put("model", transcription.model())
                .put("language", transcription.language())
                .put("prompt", transcription.prompt());
    }

    private static JsonNode turnDetection(TurnDetection turnDetection) {
        if (turnDetection == null) {
            return JSON.nullNode();
        }
        return JSON.createObjectNode()
                .put("type", TurnDetection.SERVER_VAD)
                .put("threshold", turnDetection.threshold())
                .put("prefix_padding_ms", turnDetection.prefixPaddingMs())
                .put("silence_duration_ms", turnDetection.silenceDurationMs());
    }

    private static ObjectNode card(BattleCard card) {
        var node = JSON.createObjectNode()
                .put("id", card.id())
                .put("category", card.category())
                .put("competitor", card.competitor())
                .put("title", card.title())
                .put("body", card.body());
        var points = node.putArray("talking_points");
        if (card.talkingPoints() != null) {
            card.talkingPoints().forEach(points::add);
        }
        return node;
    }

    private static ObjectNode event(String type) {
        return JSON.createObjectNode().put("event_id", Ids.event()).put("type", type);
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String encode(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree", e);
        }
    }

    private ServerEvents() {
    }
}
