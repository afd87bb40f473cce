package io.voicecoach.events;

/**
 * The payload of an {@link Event}. Sealed: every payload belongs to the family of the topic it travels on, and
 * {@link EventRegistry} names each payload's event type by an exhaustive switch, so a payload added without a type
 * (or a type without a payload) does not compile.
 */
public sealed interface Payload permits SessionEvent, TranscriptEvent, CoachingEvent, AgentReplyEvent, AgentSpeechEvent,
        ToolCall, ToolResult {
}
