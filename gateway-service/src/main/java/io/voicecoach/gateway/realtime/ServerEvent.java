package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Citation;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.gateway.session.SessionSettings;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        @JsonSubTypes.Type(value = ServerEvent.ItemAdded.class, name = "conversation.item.added"),
        @JsonSubTypes.Type(value = ServerEvent.ItemDone.class, name = "conversation.item.done"),
        @JsonSubTypes.Type(value = ServerEvent.ItemRetrieved.class, name = "conversation.item.retrieved"),
        @JsonSubTypes.Type(value = ServerEvent.ItemDeleted.class, name = "conversation.item.deleted"),
        @JsonSubTypes.Type(value = ServerEvent.ItemTruncated.class, name = "conversation.item.truncated"),
        @JsonSubTypes.Type(value = ServerEvent.OutputAudioBufferStarted.class, name = "output_audio_buffer.started"),
        @JsonSubTypes.Type(value = ServerEvent.OutputAudioBufferStopped.class, name = "output_audio_buffer.stopped"),
        @JsonSubTypes.Type(value = ServerEvent.OutputAudioBufferCleared.class, name = "output_audio_buffer.cleared"),
        @JsonSubTypes.Type(value = ServerEvent.TranscriptionDelta.class,
                name = "conversation.item.input_audio_transcription.delta"),
        @JsonSubTypes.Type(value = ServerEvent.TranscriptionCompleted.class,
                name = "conversation.item.input_audio_transcription.completed"),
        @JsonSubTypes.Type(value = ServerEvent.TranscriptionFailed.class,
                name = "conversation.item.input_audio_transcription.failed"),
        @JsonSubTypes.Type(value = ServerEvent.ResponseCreated.class, name = "response.created"),
        @JsonSubTypes.Type(value = ServerEvent.OutputItemAdded.class, name = "response.output_item.added"),
        @JsonSubTypes.Type(value = ServerEvent.OutputItemDone.class, name = "response.output_item.done"),
        @JsonSubTypes.Type(value = ServerEvent.ContentPartAdded.class, name = "response.content_part.added"),
        @JsonSubTypes.Type(value = ServerEvent.ContentPartDone.class, name = "response.content_part.done"),
        @JsonSubTypes.Type(value = ServerEvent.ResponseTextDelta.class, name = "response.output_text.delta",
                names = "response.text.delta"),
        @JsonSubTypes.Type(value = ServerEvent.ResponseTextDone.class, name = "response.output_text.done",
                names = "response.text.done"),
        @JsonSubTypes.Type(value = ServerEvent.OutputAudioDelta.class, name = "response.output_audio.delta",
                names = "response.audio.delta"),
        @JsonSubTypes.Type(value = ServerEvent.OutputAudioDone.class, name = "response.output_audio.done",
                names = "response.audio.done"),
        @JsonSubTypes.Type(value = ServerEvent.OutputAudioTranscriptDelta.class,
                name = "response.output_audio_transcript.delta", names = "response.audio_transcript.delta"),
        @JsonSubTypes.Type(value = ServerEvent.OutputAudioTranscriptDone.class,
                name = "response.output_audio_transcript.done", names = "response.audio_transcript.done"),
        @JsonSubTypes.Type(value = ServerEvent.FunctionCallArgumentsDelta.class,
                name = "response.function_call_arguments.delta"),
        @JsonSubTypes.Type(value = ServerEvent.FunctionCallArgumentsDone.class,
                name = "response.function_call_arguments.done"),
        @JsonSubTypes.Type(value = ServerEvent.ResponseDone.class, name = "response.done"),
        @JsonSubTypes.Type(value = ServerEvent.RateLimitsUpdated.class, name = "rate_limits.updated"),
        @JsonSubTypes.Type(value = ServerEvent.CoachingSuggestion.class, name = "voicecoach.coaching.suggestion"),
        @JsonSubTypes.Type(value = ServerEvent.CoachingBattleCard.class, name = "voicecoach.coaching.battle_card"),
        @JsonSubTypes.Type(value = ServerEvent.StageChangedFrame.class, name = "voicecoach.stage.changed"),
        @JsonSubTypes.Type(value = ServerEvent.ChecklistFrame.class, name = "voicecoach.compliance.checklist"),
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

    /** Beta name of {@link ItemAdded}, still sent before it for the clients that wait for it. */
    record ItemCreated(String previousItemId, Item item) implements ServerEvent {
    }

    record ItemAdded(String previousItemId, Item item) implements ServerEvent {
    }

    record ItemDone(String previousItemId, Item item) implements ServerEvent {
    }

    record ItemRetrieved(Item item) implements ServerEvent {
    }

    record ItemDeleted(String itemId) implements ServerEvent {
    }

    record ItemTruncated(String itemId, int contentIndex, long audioEndMs) implements ServerEvent {
    }

    /** The first audio of a reply was sent. */
    record OutputAudioBufferStarted(String responseId) implements ServerEvent {
    }

    /** A reply's audio was all sent. */
    record OutputAudioBufferStopped(String responseId) implements ServerEvent {
    }

    /** A reply's audio was cut (barge-in, {@code output_audio_buffer.clear}): no more of it is sent. */
    record OutputAudioBufferCleared(String responseId) implements ServerEvent {
    }

    /**
     * A conversation item: a {@code message} ({@code role}, {@code content}), a {@code function_call} ({@code call_id},
     * {@code name}, {@code arguments}) or a {@code function_call_output} ({@code call_id}, {@code output}).
     * {@code voicecoach}: which speaker track a user item came from, where a truncate cut an assistant item.
     */
    record Item(String id, String object, String type, @JsonInclude(JsonInclude.Include.NON_NULL) String role,
                String status, @JsonInclude(JsonInclude.Include.NON_NULL) List<Content> content,
                @JsonInclude(JsonInclude.Include.NON_NULL) String callId,
                @JsonInclude(JsonInclude.Include.NON_NULL) String name,
                @JsonInclude(JsonInclude.Include.NON_NULL) String arguments,
                @JsonInclude(JsonInclude.Include.NON_NULL) String output,
                @JsonInclude(JsonInclude.Include.NON_NULL) ItemNotes voicecoach) {

        public static final String OBJECT = "realtime.item";
        public static final String MESSAGE = "message";
        public static final String FUNCTION_CALL = "function_call";
        public static final String FUNCTION_CALL_OUTPUT = "function_call_output";
        public static final String COMPLETED = "completed";
        public static final String IN_PROGRESS = "in_progress";
        public static final String INCOMPLETE = "incomplete";
        public static final String USER = "user";
        public static final String ASSISTANT = "assistant";

        public static Item message(String id, String role, String status, List<Content> content, ItemNotes notes) {
            return new Item(id, OBJECT, MESSAGE, role, status, List.copyOf(content), null, null, null, null, notes);
        }

        public static Item userMessage(String id, List<Content> content) {
            return message(id, USER, COMPLETED, content, null);
        }

        /** The item of a committed audio utterance; its transcript follows in transcription events. */
        public static Item userAudio(String id) {
            return userMessage(id, List.of(new InputAudio(null)));
        }

        public static Item functionCall(String id, String status, String callId, String name, String arguments) {
            return new Item(id, OBJECT, FUNCTION_CALL, null, status, null, callId, name, arguments, null, null);
        }

        public static Item functionCallOutput(String id, String callId, String output) {
            return new Item(id, OBJECT, FUNCTION_CALL_OUTPUT, null, COMPLETED, null, callId, null, null, output,
                    null);
        }

        public Item withContent(String newStatus, List<Content> newContent) {
            return new Item(id, object, type, role, newStatus, List.copyOf(newContent), callId, name, arguments,
                    output, voicecoach);
        }

        public Item withNotes(ItemNotes notes) {
            return new Item(id, object, type, role, status, content, callId, name, arguments, output, notes);
        }

        /** Characters of text the item holds (what the conversation's bound counts). */
        public int textLength() {
            int length = (arguments == null ? 0 : arguments.length()) + (output == null ? 0 : output.length());
            if (content != null) {
                for (var part : content) {
                    String text = part.text();
                    length += text == null ? 0 : text.length();
                }
            }
            return length;
        }
    }

    /** @param audioEndMs where {@code conversation.item.truncate} cut the item, null if it was not */
    record ItemNotes(@JsonInclude(JsonInclude.Include.NON_NULL) String track,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Long audioEndMs) {
        public static ItemNotes track(String track) {
            return track == null ? null : new ItemNotes(track, null);
        }
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = InputText.class, name = "input_text"),
            @JsonSubTypes.Type(value = InputAudio.class, name = "input_audio"),
            @JsonSubTypes.Type(value = OutputText.class, name = "output_text"),
    })
    sealed interface Content {
        /** The part's text (a transcript for audio), null when there is none yet. */
        String text();
    }

    record InputText(String text) implements Content {
    }

    record InputAudio(String transcript) implements Content {
        @Override
        public String text() {
            return transcript;
        }
    }

    record OutputText(String text) implements Content {
    }

    // responses (the voice agent's replies, and coaching as out-of-band responses)

    record ResponseCreated(Response response) implements ServerEvent {
    }

    record ResponseDone(Response response) implements ServerEvent {
    }

    /**
     * A response: {@code conversation_id} is the session's conversation, null for an out-of-band response
     * ({@code conversation: "none"}); {@code voicecoach} carries what reached the caller ({@code delivered_text}) or
     * the coaching suggestion an out-of-band response shows.
     */
    record Response(String id, String object, String status,
                    @JsonInclude(JsonInclude.Include.NON_NULL) StatusDetails statusDetails, String conversationId,
                    List<String> outputModalities, List<Item> output,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> metadata,
                    @JsonInclude(JsonInclude.Include.NON_NULL) ResponseNotes voicecoach) {

        public static final String OBJECT = "realtime.response";
        public static final String IN_PROGRESS = "in_progress";
        public static final String COMPLETED = "completed";
        public static final String CANCELLED = "cancelled";
        public static final String FAILED = "failed";
        public static final List<String> TEXT = List.of("text");

        public static Response inProgress(String id, String conversationId, Map<String, String> metadata,
                                          ResponseNotes notes) {
            return new Response(id, OBJECT, IN_PROGRESS, null, conversationId, TEXT, List.of(), metadata, notes);
        }

        public static Response ended(String id, String status, StatusDetails details, String conversationId,
                                     List<Item> output, Map<String, String> metadata, ResponseNotes notes) {
            return new Response(id, OBJECT, status, details, conversationId, TEXT, List.copyOf(output), metadata,
                    notes);
        }
    }

    /** Why a response ended as it did: {@code type} is its status, {@code error} says why it failed. */
    record StatusDetails(String type, @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                         @JsonInclude(JsonInclude.Include.NON_NULL) EngineError error) {
    }

    /**
     * @param deliveredText what of a voice-agent reply reached the caller (after a barge-in, less than was planned)
     * @param suggestion    the coaching suggestion an out-of-band coaching response shows
     */
    record ResponseNotes(@JsonInclude(JsonInclude.Include.NON_NULL) String deliveredText,
                         @JsonInclude(JsonInclude.Include.NON_NULL) SuggestionRef suggestion,
                         @JsonInclude(JsonInclude.Include.NON_NULL) ChecklistRef checklist) {
        public static ResponseNotes delivered(String text) {
            return new ResponseNotes(text, null, null);
        }
    }

    /** @param citations the knowledge-base chunks the suggestion draws on, best first; always an array */
    record SuggestionRef(String id, String kind, String category, int priority, List<CitationBody> citations) {
    }

    /** The compliance checklist an out-of-band coaching response shows, whole. */
    record ChecklistRef(List<ChecklistItem> items, boolean closed) {
        public static ChecklistRef of(ComplianceChecklist checklist) {
            var frame = ChecklistFrame.of(checklist);
            return new ChecklistRef(frame.items(), frame.closed());
        }
    }

    record OutputItemAdded(String responseId, int outputIndex, Item item) implements ServerEvent {
    }

    record OutputItemDone(String responseId, int outputIndex, Item item) implements ServerEvent {
    }

    /** A content part of an output item; {@code type} is {@code text}. */
    record Part(String type, String text) {
        public static Part text(String text) {
            return new Part("text", text);
        }
    }

    record ContentPartAdded(String responseId, String itemId, int outputIndex, int contentIndex, Part part)
            implements ServerEvent {
    }

    record ContentPartDone(String responseId, String itemId, int outputIndex, int contentIndex, Part part)
            implements ServerEvent {
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

    /** {@code delta}: base64 audio in the session's {@code audio.output.format}. */
    record OutputAudioDelta(String responseId, String itemId, int outputIndex, int contentIndex, String delta)
            implements ServerEvent {
    }

    record OutputAudioDone(String responseId, String itemId, int outputIndex, int contentIndex)
            implements ServerEvent {
    }

    record OutputAudioTranscriptDelta(String responseId, String itemId, int outputIndex, int contentIndex,
                                      String delta) implements ServerEvent {
    }

    record OutputAudioTranscriptDone(String responseId, String itemId, int outputIndex, int contentIndex,
                                     String transcript) implements ServerEvent {
    }

    record FunctionCallArgumentsDelta(String responseId, String itemId, int outputIndex, String callId, String delta)
            implements ServerEvent {
    }

    record FunctionCallArgumentsDone(String responseId, String itemId, int outputIndex, String callId, String name,
                                     String arguments) implements ServerEvent {
        public FunctionCallArgumentsDone(String responseId, String itemId, String callId, String name,
                                         String arguments) {
            this(responseId, itemId, 0, callId, name, arguments);
        }
    }

    // limits

    /**
     * The limits the gateway enforces on this client. {@code rate_limits} holds the one GA name that fits:
     * {@code requests}, the client's {@code input_audio_buffer.append} frames per second (a token bucket:
     * {@code remaining} now, {@code reset_seconds} until it is full). {@code voicecoach.sessions} is the tenant's
     * sessions on this instance (GA clients accept only {@code requests} and {@code tokens} as names).
     */
    record RateLimitsUpdated(List<RateLimit> rateLimits, LimitNotes voicecoach) implements ServerEvent {
    }

    record RateLimit(String name, long limit, long remaining, double resetSeconds) {
        public static final String REQUESTS = "requests";
    }

    /**
     * @param requests what {@code requests} counts: {@code input_audio_buffer.append}
     * @param items    the {@code conversation.item.create} budget
     * @param responses the {@code response.create} budget
     */
    record LimitNotes(String requests, SessionLimit sessions, RequestLimit items, RequestLimit responses) {
    }

    /** A request budget of the session, and of its tenant on this instance. */
    record RequestLimit(long limit, long remaining, double resetSeconds, Budget tenant) {
    }

    record Budget(long limit, long remaining, double resetSeconds) {
    }

    record SessionLimit(long limit, long remaining) {
    }

    // VoiceCoach

    record CoachingSuggestion(SuggestionBody suggestion) implements ServerEvent {
        /** @param suggestedAt {@code occurredAt} of the suggestion's envelope */
        public static CoachingSuggestion of(Suggestion suggestion, Instant suggestedAt) {
            return new CoachingSuggestion(new SuggestionBody(suggestion.suggestionId(), suggestion.utteranceId(),
                    suggestion.kind(), suggestion.category(), suggestion.title(), suggestion.message(),
                    suggestion.confidence(), suggestion.source(), suggestion.priority(), Card.of(suggestion.card()),
                    new Timings(iso(suggestion.receivedAt()), iso(suggestion.transcriptAt()), iso(suggestedAt)),
                    suggestion.citations().stream().map(CitationBody::of).toList()));
        }
    }

    /** @param citations the knowledge-base chunks the message draws on, best first; always an array */
    record SuggestionBody(String id, String itemId, String kind, String category, String title, String message,
                          double confidence, String source, int priority,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Card card, Timings timings,
                          List<CitationBody> citations) {
    }

    /** The call's compliance checklist, whole; {@code closed} once the call ended. */
    record ChecklistFrame(List<ChecklistItem> items, boolean closed) implements ServerEvent {
        public static ChecklistFrame of(ComplianceChecklist checklist) {
            return new ChecklistFrame(checklist.items().stream().map(i -> new ChecklistItem(i.ruleId(), i.kind(),
                    i.status(), i.message(), i.withinMs(), i.utteranceId())).toList(), checklist.closed());
        }
    }

    record ChecklistItem(String ruleId, String kind, String status, String message, long withinMs, String itemId) {
    }

    /** A knowledge-base chunk: its document, its position in the document and the words shown. */
    record CitationBody(String documentId, String documentTitle, int chunkIndex, String excerpt, double score) {
        public static CitationBody of(Citation citation) {
            return new CitationBody(citation.documentId(), citation.documentTitle(), citation.chunkIndex(),
                    citation.excerpt(), citation.score());
        }
    }

    /** The call moved to another stage of the tenant's methodology; {@code item_id} is the utterance that moved it. */
    record StageChangedFrame(String methodology, String stage, String previousStage, String itemId, long atMs)
            implements ServerEvent {
        public static StageChangedFrame of(StageChanged change) {
            return new StageChangedFrame(change.methodology(), change.stage(), change.previousStage(),
                    change.utteranceId(), change.atMs());
        }
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
