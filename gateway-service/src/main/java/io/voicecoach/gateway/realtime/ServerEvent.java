package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Suggestion;
import io.voicecoach.gateway.session.SessionSettings;

import java.time.Instant;
import java.util.List;

/**
 * A server event of the Realtime protocol (plus VoiceCoach's {@code voicecoach.*} events). {@link RealtimeJson#frame}
 * writes it as {@code {"event_id", "type", <the record's fields in order, snake case>}}; clients and their tests depend
 * on those names and that order. Beta names are accepted beside the GA ones when a frame is read back.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerEvent.SessionCreated.class, name = "session.created"),
        @JsonSubTypes.Type(value = ServerEvent.SessionUpdated.class, name = "session.updated"),
        @JsonSubTypes.Type(value = ServerEvent.SpeechStarted.class, name = "input_audio_buffer.speech_started"),
        @JsonSubTypes.Type(value = ServerEvent.SpeechStopped.class, name = "input_audio_buffer.speech_stopped"),
        @JsonSubTypes.Type(value = ServerEvent.AudioCommitted.class, name = "input_audio_buffer.committed"),
        @JsonSubTypes.Type(value = ServerEvent.AudioCleared.class, name = "input_audio_buffer.cleared"),
        @JsonSubTypes.Type(value = ServerEvent.ItemCreated.class, name = "conversation.item.created"),
        @JsonSubTypes.Type(value = ServerEvent.TranscriptionDelta.class,
                name = "conversation.item.input_audio_transcription.delta"),
        @JsonSubTypes.Type(value = ServerEvent.TranscriptionCompleted.class,
                name = "conversation.item.input_audio_transcription.completed"),
        @JsonSubTypes.Type(value = ServerEvent.TranscriptionFailed.class,
                name = "conversation.item.input_audio_transcription.failed"),
        @JsonSubTypes.Type(value = ServerEvent.ResponseCreated.class, name = "response.created"),
        @JsonSubTypes.Type(value = ServerEvent.ResponseTextDelta.class, name = "response.output_text.delta",
                names = "response.text.delta"),
        @JsonSubTypes.Type(value = ServerEvent.ResponseTextDone.class, name = "response.output_text.done",
                names = "response.text.done"),
        @JsonSubTypes.Type(value = ServerEvent.FunctionCallArgumentsDone.class,
                name = "response.function_call_arguments.done"),
        @JsonSubTypes.Type(value = ServerEvent.ResponseDone.class, name = "response.done"),
        @JsonSubTypes.Type(value = ServerEvent.CoachingSuggestion.class, name = "voicecoach.coaching.suggestion"),
        @JsonSubTypes.Type(value = ServerEvent.CoachingBattleCard.class, name = "voicecoach.coaching.battle_card"),
        @JsonSubTypes.Type(value = ServerEvent.ErrorEvent.class, name = "error"),
})
@RegisterForReflection
public sealed interface ServerEvent {

    // session

    /** {@code session}: built by {@link SessionObject} (the client's Realtime fields are echoed in their order). */
    record SessionCreated(ObjectNode session) implements ServerEvent {
        public static SessionCreated of(String sessionId, SessionSettings settings) {
            return new SessionCreated(SessionObject.of(sessionId, settings));
        }
    }

    record SessionUpdated(ObjectNode session) implements ServerEvent {
        public static SessionUpdated of(String sessionId, SessionSettings settings) {
            return new SessionUpdated(SessionObject.of(sessionId, settings));
        }
    }

    /** An OpenAI-style error; {@code error.event_id} names the client event that caused it, if known. */
    record ErrorEvent(ErrorBody error) implements ServerEvent {
        public static ErrorEvent of(RealtimeError error, String clientEventId) {
            return new ErrorEvent(new ErrorBody(error.type(), error.code(), error.getMessage(), error.param(),
                    clientEventId));
        }
    }

    record ErrorBody(String type, String code, String message, String param, String eventId) {
    }

    // input audio

    /** {@code audio_start_ms}: the track position where the utterance's audio (prefix padding included) begins. */
    record SpeechStarted(long audioStartMs, String itemId, TrackOption voicecoach) implements ServerEvent {
    }

    /** {@code audio_end_ms}: the track position where the utterance ends, hangover included. */
    record SpeechStopped(long audioEndMs, String itemId, TrackOption voicecoach) implements ServerEvent {
    }

    record AudioCommitted(String previousItemId, String itemId, TrackOption voicecoach) implements ServerEvent {
    }

    /** {@code voicecoach} only when the clear named a track. */
    record AudioCleared(@JsonInclude(JsonInclude.Include.NON_NULL) TrackOption voicecoach) implements ServerEvent {
    }

    record TranscriptionDelta(String itemId, int contentIndex, String delta) implements ServerEvent {
        public TranscriptionDelta(String itemId, String delta) {
            this(itemId, 0, delta);
        }
    }

    record TranscriptionCompleted(String itemId, int contentIndex, String transcript) implements ServerEvent {
        public TranscriptionCompleted(String itemId, String transcript) {
            this(itemId, 0, transcript);
        }
    }

    /** {@code error}: the engine's failure code and message, in OpenAI's error object shape. */
    record TranscriptionFailed(String itemId, int contentIndex, EngineError error) implements ServerEvent {
        public static final String TRANSCRIPTION_ERROR = "transcription_error";

        public TranscriptionFailed(String itemId, String code, String message) {
            this(itemId, 0, new EngineError(TRANSCRIPTION_ERROR, code, message, null));
        }
    }

    record EngineError(String type, String code, String message, String param) {
    }

    // conversation

    record ItemCreated(String previousItemId, Item item) implements ServerEvent {
    }

    /** A conversation item; the gateway's are completed user messages. */
    record Item(String id, String object, String type, String role, String status, List<Content> content) {
        public static Item userMessage(String id, List<Content> content) {
            return new Item(id, "realtime.item", "message", "user", "completed", content);
        }

        /** The item of a committed audio utterance; its transcript follows in transcription events. */
        public static Item userAudio(String id) {
            return userMessage(id, List.of(new InputAudio(null)));
        }
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = InputText.class, name = "input_text"),
            @JsonSubTypes.Type(value = InputAudio.class, name = "input_audio"),
    })
    sealed interface Content {
    }

    record InputText(String text) implements Content {
    }

    record InputAudio(String transcript) implements Content {
    }

    // responses (the voice agent's replies)

    record ResponseCreated(Response response) implements ServerEvent {
        public ResponseCreated(String responseId) {
            this(new Response(responseId, Response.IN_PROGRESS, null));
        }
    }

    /** {@code response.status}: completed, cancelled or failed; {@code delivered_text}: what reached the caller. */
    record ResponseDone(Response response) implements ServerEvent {
        public ResponseDone(String responseId, String status, String deliveredText) {
            this(new Response(responseId, status, new ResponseOutcome(deliveredText)));
        }
    }

    record Response(String id, String object, String status, List<JsonNode> output,
                    @JsonInclude(JsonInclude.Include.NON_NULL) ResponseOutcome voicecoach) {
        static final String IN_PROGRESS = "in_progress";

        Response(String id, String status, ResponseOutcome voicecoach) {
            this(id, "realtime.response", status, List.of(), voicecoach);
        }
    }

    record ResponseOutcome(String deliveredText) {
    }

    record ResponseTextDelta(String responseId, String itemId, int outputIndex, int contentIndex, String delta)
            implements ServerEvent {
        public ResponseTextDelta(String responseId, String itemId, String delta) {
            this(responseId, itemId, 0, 0, delta);
        }
    }

    record ResponseTextDone(String responseId, String itemId, int outputIndex, int contentIndex, String text)
            implements ServerEvent {
        public ResponseTextDone(String responseId, String itemId, String text) {
            this(responseId, itemId, 0, 0, text);
        }
    }

    record FunctionCallArgumentsDone(String responseId, String itemId, int outputIndex, String callId, String name,
                                     String arguments) implements ServerEvent {
        public FunctionCallArgumentsDone(String responseId, String itemId, String callId, String name,
                                         String arguments) {
            this(responseId, itemId, 0, callId, name, arguments);
        }
    }

    // VoiceCoach

    record CoachingSuggestion(SuggestionBody suggestion) implements ServerEvent {
        /** @param suggestedAt {@code occurredAt} of the suggestion's envelope */
        public static CoachingSuggestion of(Suggestion suggestion, Instant suggestedAt) {
            return new CoachingSuggestion(new SuggestionBody(suggestion.suggestionId(), suggestion.utteranceId(),
                    suggestion.kind(), suggestion.category(), suggestion.title(), suggestion.message(),
                    suggestion.confidence(), suggestion.source(), suggestion.priority(), Card.of(suggestion.card()),
                    new Timings(iso(suggestion.receivedAt()), iso(suggestion.transcriptAt()), iso(suggestedAt))));
        }
    }

    record SuggestionBody(String id, String itemId, String kind, String category, String title, String message,
                          double confidence, String source, int priority,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Card card, Timings timings) {
    }

    record Timings(String receivedAt, String transcriptAt, String suggestedAt) {
    }

    /** The battle card of a suggestion the client already got, in the shape of the suggestion frame's {@code card}. */
    record CoachingBattleCard(String suggestionId, String itemId, Card card) implements ServerEvent {
    }

    record Card(String id, String category, String competitor, String title, String body,
                List<String> talkingPoints) {
        /** The card on the wire, null for none; {@code talking_points} is always an array. */
        public static Card of(BattleCard card) {
            return card == null ? null : new Card(card.id(), card.category(), card.competitor(), card.title(),
                    card.body(), card.talkingPoints() == null ? List.of() : card.talkingPoints());
        }
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
