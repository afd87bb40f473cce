package io.voicecoach.events;

/** Values of {@link Envelope#type()}; the payload record for each is named beside it. */
public final class EventTypes {
    /** {@link SessionStarted} on {@link Topics#SESSIONS}. */
    public static final String SESSION_STARTED = "session.started";
    /** {@link SessionEnded} on {@link Topics#SESSIONS}. */
    public static final String SESSION_ENDED = "session.ended";
    /** {@link SessionErased} on {@link Topics#SESSIONS}: forget the session's (or the tenant's) state. */
    public static final String SESSION_ERASED = "session.erased";
    /** {@link SuggestionDelivered} on {@link Topics#SESSIONS}: the gateway wrote a suggestion to a client. */
    public static final String SUGGESTION_DELIVERED = "suggestion.delivered";
    /** {@link Transcript} on {@link Topics#TRANSCRIPTS}, {@code isFinal=false}. */
    public static final String TRANSCRIPT_PARTIAL = "transcript.partial";
    /** {@link Transcript} on {@link Topics#TRANSCRIPTS}, {@code isFinal=true}. */
    public static final String TRANSCRIPT_FINAL = "transcript.final";
    /** {@link Suggestion} on {@link Topics#SUGGESTIONS}. */
    public static final String SUGGESTION = "coaching.suggestion";
    /** {@link SuggestionCard} on {@link Topics#SUGGESTIONS}: an objection's battle card, after its suggestion. */
    public static final String BATTLE_CARD = "coaching.battle_card";
    /** {@link ToolCall} on {@link Topics#TOOL_CALLS}. */
    public static final String TOOL_CALL = "tool.call";
    /** {@link ToolResult} on {@link Topics#TOOL_RESULTS}. */
    public static final String TOOL_RESULT = "tool.result";

    /** {@link SessionUpdated} on {@link Topics#SESSIONS}: settings changed by {@code session.update}. */
    public static final String SESSION_UPDATED = "session.updated";
    /** {@link SpeechStarted} on {@link Topics#SESSIONS}: VAD heard speech start (barge-in signal in agent mode). */
    public static final String SPEECH_STARTED = "speech.started";
    /** {@link ResponseRequested} on {@link Topics#SESSIONS}: the client sent {@code response.create}. */
    public static final String RESPONSE_REQUESTED = "response.requested";
    /** {@link ResponseCancelRequested} on {@link Topics#SESSIONS}: {@code response.cancel} or a barge-in. */
    public static final String RESPONSE_CANCEL_REQUESTED = "response.cancel_requested";
    /** {@link ItemCreated} on {@link Topics#SESSIONS}: a client item other than typed user text. */
    public static final String ITEM_CREATED = "item.created";
    /** {@link ItemDeleted} on {@link Topics#SESSIONS}: the client deleted a conversation item. */
    public static final String ITEM_DELETED = "item.deleted";
    /** {@link ItemTruncated} on {@link Topics#SESSIONS}: the client truncated an assistant item at what was heard. */
    public static final String ITEM_TRUNCATED = "item.truncated";
    /** {@link TranscriptFailed} on {@link Topics#TRANSCRIPTS}. */
    public static final String TRANSCRIPT_FAILED = "transcript.failed";
    /** {@link StageChanged} on {@link Topics#SUGGESTIONS}. */
    public static final String STAGE_CHANGED = "coaching.stage_changed";
    /** {@link ComplianceChecklist} on {@link Topics#SUGGESTIONS}: the call's checklist, whenever it changes. */
    public static final String COMPLIANCE_CHECKLIST = "coaching.compliance_checklist";
    /** {@link LlmUsage} on {@link Topics#SUGGESTIONS}: tokens and cost of one LLM call. */
    public static final String LLM_USAGE = "llm.usage";
    /** {@link CallSummary} on {@link Topics#SUGGESTIONS}, after the session ended. */
    public static final String CALL_SUMMARY = "coaching.summary";
    /** {@link AgentResponseCreated} on {@link Topics#AGENT_REPLIES}. */
    public static final String AGENT_RESPONSE_CREATED = "agent.response.created";
    /** {@link AgentTextDelta} on {@link Topics#AGENT_REPLIES}. */
    public static final String AGENT_TEXT_DELTA = "agent.response.text_delta";
    /** {@link AgentTextDone} on {@link Topics#AGENT_REPLIES}. */
    public static final String AGENT_TEXT_DONE = "agent.response.text_done";
    /** {@link AgentFunctionCall} on {@link Topics#AGENT_REPLIES}. */
    public static final String AGENT_FUNCTION_CALL = "agent.response.function_call";
    /** {@link AgentResponseDone} on {@link Topics#AGENT_REPLIES}. */
    public static final String AGENT_RESPONSE_DONE = "agent.response.done";
    /** {@link AgentAudioDelta} on {@link Topics#AGENT_SPEECH}. */
    public static final String AGENT_AUDIO_DELTA = "agent.speech.audio_delta";
    /** {@link AgentAudioDone} on {@link Topics#AGENT_SPEECH}. */
    public static final String AGENT_AUDIO_DONE = "agent.speech.audio_done";
    /** {@link AgentSpeechFailed} on {@link Topics#AGENT_SPEECH}. */
    public static final String AGENT_SPEECH_FAILED = "agent.speech.failed";

    private EventTypes() {
    }
}
