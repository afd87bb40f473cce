package io.voicecoach.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every event type of the wire: name, topic and payload record. The code of record for docs/contracts.md's event
 * tables (EventRegistryContractTest checks them) and for {@link EventCodec}, which decodes a payload by its type.
 */
public final class EventRegistry {

    public static final EventType<SessionStarted> SESSION_STARTED =
            new EventType<>(EventTypes.SESSION_STARTED, Topics.SESSIONS, SessionStarted.class);
    public static final EventType<SessionUpdated> SESSION_UPDATED =
            new EventType<>(EventTypes.SESSION_UPDATED, Topics.SESSIONS, SessionUpdated.class);
    public static final EventType<SessionEnded> SESSION_ENDED =
            new EventType<>(EventTypes.SESSION_ENDED, Topics.SESSIONS, SessionEnded.class);
    public static final EventType<SessionErased> SESSION_ERASED =
            new EventType<>(EventTypes.SESSION_ERASED, Topics.SESSIONS, SessionErased.class);
    public static final EventType<SuggestionDelivered> SUGGESTION_DELIVERED =
            new EventType<>(EventTypes.SUGGESTION_DELIVERED, Topics.SESSIONS, SuggestionDelivered.class);
    public static final EventType<SpeechStarted> SPEECH_STARTED =
            new EventType<>(EventTypes.SPEECH_STARTED, Topics.SESSIONS, SpeechStarted.class);
    public static final EventType<ResponseRequested> RESPONSE_REQUESTED =
            new EventType<>(EventTypes.RESPONSE_REQUESTED, Topics.SESSIONS, ResponseRequested.class);
    public static final EventType<ResponseCancelRequested> RESPONSE_CANCEL_REQUESTED =
            new EventType<>(EventTypes.RESPONSE_CANCEL_REQUESTED, Topics.SESSIONS, ResponseCancelRequested.class);
    public static final EventType<ItemCreated> ITEM_CREATED =
            new EventType<>(EventTypes.ITEM_CREATED, Topics.SESSIONS, ItemCreated.class);
    public static final EventType<ItemDeleted> ITEM_DELETED =
            new EventType<>(EventTypes.ITEM_DELETED, Topics.SESSIONS, ItemDeleted.class);
    public static final EventType<ItemTruncated> ITEM_TRUNCATED =
            new EventType<>(EventTypes.ITEM_TRUNCATED, Topics.SESSIONS, ItemTruncated.class);
    public static final EventType<Transcript> TRANSCRIPT_PARTIAL =
            new EventType<>(EventTypes.TRANSCRIPT_PARTIAL, Topics.TRANSCRIPTS, Transcript.class);
    public static final EventType<Transcript> TRANSCRIPT_FINAL =
            new EventType<>(EventTypes.TRANSCRIPT_FINAL, Topics.TRANSCRIPTS, Transcript.class);
    public static final EventType<TranscriptFailed> TRANSCRIPT_FAILED =
            new EventType<>(EventTypes.TRANSCRIPT_FAILED, Topics.TRANSCRIPTS, TranscriptFailed.class);
    public static final EventType<Suggestion> SUGGESTION =
            new EventType<>(EventTypes.SUGGESTION, Topics.SUGGESTIONS, Suggestion.class);
    public static final EventType<SuggestionCard> BATTLE_CARD =
            new EventType<>(EventTypes.BATTLE_CARD, Topics.SUGGESTIONS, SuggestionCard.class);
    public static final EventType<StageChanged> STAGE_CHANGED =
            new EventType<>(EventTypes.STAGE_CHANGED, Topics.SUGGESTIONS, StageChanged.class);
    public static final EventType<ComplianceChecklist> COMPLIANCE_CHECKLIST =
            new EventType<>(EventTypes.COMPLIANCE_CHECKLIST, Topics.SUGGESTIONS, ComplianceChecklist.class);
    public static final EventType<LlmUsage> LLM_USAGE =
            new EventType<>(EventTypes.LLM_USAGE, Topics.SUGGESTIONS, LlmUsage.class);
    public static final EventType<CallSummary> CALL_SUMMARY =
            new EventType<>(EventTypes.CALL_SUMMARY, Topics.SUGGESTIONS, CallSummary.class);
    public static final EventType<AgentResponseCreated> AGENT_RESPONSE_CREATED =
            new EventType<>(EventTypes.AGENT_RESPONSE_CREATED, Topics.AGENT_REPLIES, AgentResponseCreated.class);
    public static final EventType<AgentTextDelta> AGENT_TEXT_DELTA =
            new EventType<>(EventTypes.AGENT_TEXT_DELTA, Topics.AGENT_REPLIES, AgentTextDelta.class);
    public static final EventType<AgentTextDone> AGENT_TEXT_DONE =
            new EventType<>(EventTypes.AGENT_TEXT_DONE, Topics.AGENT_REPLIES, AgentTextDone.class);
    public static final EventType<AgentFunctionCall> AGENT_FUNCTION_CALL =
            new EventType<>(EventTypes.AGENT_FUNCTION_CALL, Topics.AGENT_REPLIES, AgentFunctionCall.class);
    public static final EventType<AgentResponseDone> AGENT_RESPONSE_DONE =
            new EventType<>(EventTypes.AGENT_RESPONSE_DONE, Topics.AGENT_REPLIES, AgentResponseDone.class);
    public static final EventType<AgentAudioDelta> AGENT_AUDIO_DELTA =
            new EventType<>(EventTypes.AGENT_AUDIO_DELTA, Topics.AGENT_SPEECH, AgentAudioDelta.class);
    public static final EventType<AgentAudioDone> AGENT_AUDIO_DONE =
            new EventType<>(EventTypes.AGENT_AUDIO_DONE, Topics.AGENT_SPEECH, AgentAudioDone.class);
    public static final EventType<AgentSpeechFailed> AGENT_SPEECH_FAILED =
            new EventType<>(EventTypes.AGENT_SPEECH_FAILED, Topics.AGENT_SPEECH, AgentSpeechFailed.class);
    public static final EventType<ToolCall> TOOL_CALL =
            new EventType<>(EventTypes.TOOL_CALL, Topics.TOOL_CALLS, ToolCall.class);
    public static final EventType<ToolResult> TOOL_RESULT =
            new EventType<>(EventTypes.TOOL_RESULT, Topics.TOOL_RESULTS, ToolResult.class);

    /** In the order of docs/contracts.md's table. */
    public static final List<EventType<?>> ALL = List.of(SESSION_STARTED, SESSION_UPDATED, SESSION_ENDED,
            SUGGESTION_DELIVERED, SPEECH_STARTED, RESPONSE_REQUESTED, RESPONSE_CANCEL_REQUESTED, ITEM_CREATED, ITEM_DELETED,
            ITEM_TRUNCATED, SESSION_ERASED, TRANSCRIPT_PARTIAL,
            TRANSCRIPT_FINAL, TRANSCRIPT_FAILED, SUGGESTION, BATTLE_CARD, STAGE_CHANGED, COMPLIANCE_CHECKLIST, LLM_USAGE,
            CALL_SUMMARY,
            AGENT_RESPONSE_CREATED, AGENT_TEXT_DELTA, AGENT_TEXT_DONE, AGENT_FUNCTION_CALL, AGENT_RESPONSE_DONE,
            AGENT_AUDIO_DELTA, AGENT_AUDIO_DONE, AGENT_SPEECH_FAILED, TOOL_CALL, TOOL_RESULT);

    private static final Map<String, EventType<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (EventType<?> type : ALL) {
            if (BY_NAME.put(type.name(), type) != null) {
                throw new ExceptionInInitializerError("event type " + type.name() + " registered twice");
            }
        }
    }

    /** The type named {@code name} on the wire, if this version knows it. */
    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The type an event with this payload has; a transcript's depends on {@link Transcript#isFinal()}. */
    @SuppressWarnings("unchecked")
    public static <P extends Payload> EventType<P> typeOf(P payload) {
        EventType<?> type = switch (payload) {
            case SessionStarted p -> SESSION_STARTED;
            case SessionUpdated p -> SESSION_UPDATED;
            case SessionEnded p -> SESSION_ENDED;
            case SuggestionDelivered p -> SUGGESTION_DELIVERED;
            case SpeechStarted p -> SPEECH_STARTED;
            case ResponseRequested p -> RESPONSE_REQUESTED;
            case ResponseCancelRequested p -> RESPONSE_CANCEL_REQUESTED;
            case ItemCreated p -> ITEM_CREATED;
            case ItemDeleted p -> ITEM_DELETED;
            case ItemTruncated p -> ITEM_TRUNCATED;
            case SessionErased p -> SESSION_ERASED;
            case Transcript p -> p.isFinal() ? TRANSCRIPT_FINAL : TRANSCRIPT_PARTIAL;
            case TranscriptFailed p -> TRANSCRIPT_FAILED;
            case Suggestion p -> SUGGESTION;
            case SuggestionCard p -> BATTLE_CARD;
            case StageChanged p -> STAGE_CHANGED;
            case ComplianceChecklist p -> COMPLIANCE_CHECKLIST;
            case LlmUsage p -> LLM_USAGE;
            case CallSummary p -> CALL_SUMMARY;
            case AgentResponseCreated p -> AGENT_RESPONSE_CREATED;
            case AgentTextDelta p -> AGENT_TEXT_DELTA;
            case AgentTextDone p -> AGENT_TEXT_DONE;
            case AgentFunctionCall p -> AGENT_FUNCTION_CALL;
            case AgentResponseDone p -> AGENT_RESPONSE_DONE;
            case AgentAudioDelta p -> AGENT_AUDIO_DELTA;
            case AgentAudioDone p -> AGENT_AUDIO_DONE;
            case AgentSpeechFailed p -> AGENT_SPEECH_FAILED;
            case ToolCall p -> TOOL_CALL;
            case ToolResult p -> TOOL_RESULT;
        };
        return (EventType<P>) type;
    }

    /** The types that travel on {@code topic}, in registry order. */
    public static List<EventType<?>> onTopic(String topic) {
        return ALL.stream().filter(type -> type.topic().equals(topic)).toList();
    }

    private EventRegistry() {
    }
}
