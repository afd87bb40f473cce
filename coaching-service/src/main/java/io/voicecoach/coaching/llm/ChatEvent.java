package io.voicecoach.coaching.llm;

/** What a streamed completion yields: text as it arrives, then the whole result once. */
public sealed interface ChatEvent {

    /** A piece of the assistant's text. */
    record TextDelta(String text) implements ChatEvent {
    }

    /** The stream ended ({@code [DONE]}): the whole answer, its tool calls and token usage. */
    record Completed(ChatResult result) implements ChatEvent {
    }
}
