package io.voicecoach.coaching.llm;

import java.util.List;

/**
 * A finished completion.
 *
 * @param model         the model that answered (as the server names it), else the one asked for
 * @param text          the assistant's text, empty when it only called tools
 * @param toolCalls     tool calls with their arguments joined from all deltas
 * @param finishReason  {@code stop}, {@code tool_calls}, {@code length}, ... or null when the server sent none
 * @param usage         tokens from the final chunk; zeros when the server sent no usage
 * @param skippedChunks {@code data:} lines that were not JSON (ignored)
 */
public record ChatResult(String model, String text, List<ToolCallRef> toolCalls, String finishReason, TokenUsage usage,
                         int skippedChunks) {

    public boolean callsTools() {
        return !toolCalls.isEmpty();
    }
}
