package io.voicecoach.events;

/** Values of {@link Envelope#type()}; the payload record for each is named beside it. */
public final class EventTypes {
    /** {@link SessionStarted} on {@link Topics#SESSIONS}. */
    public static final String SESSION_STARTED = "session.started";
    /** {@link SessionEnded} on {@link Topics#SESSIONS}. */
    public static final String SESSION_ENDED = "session.ended";
    /** {@link SuggestionDelivered} on {@link Topics#SESSIONS}: the gateway wrote a suggestion to a client. */
    public static final String SUGGESTION_DELIVERED = "suggestion.delivered";
    /** {@link Transcript} on {@link Topics#TRANSCRIPTS}, {@code isFinal=false}. */
    public static final String TRANSCRIPT_PARTIAL = "transcript.partial";
    /** {@link Transcript} on {@link Topics#TRANSCRIPTS}, {@code isFinal=true}. */
    public static final String TRANSCRIPT_FINAL = "transcript.final";
    /** {@link Suggestion} on {@link Topics#SUGGESTIONS}. */
    public static final String SUGGESTION = "coaching.suggestion";
    /** {@link ToolCall} on {@link Topics#TOOL_CALLS}. */
    public static final String TOOL_CALL = "tool.call";
    /** {@link ToolResult} on {@link Topics#TOOL_RESULTS}. */
    public static final String TOOL_RESULT = "tool.result";

    private EventTypes() {
    }
}
