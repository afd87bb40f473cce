package io.voicecoach.coaching.llm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** One message of a chat-completions request: {@code system}, {@code user}, {@code assistant} or {@code tool}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(String role, String content, @JsonProperty("tool_calls") List<ToolCallRef> toolCalls,
                          @JsonProperty("tool_call_id") String toolCallId) {

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, null);
    }

    /** An assistant turn that called tools; {@code content} is what it said before, may be null. */
    public static ChatMessage assistantCalling(String content, List<ToolCallRef> calls) {
        return new ChatMessage("assistant", content == null || content.isEmpty() ? null : content, List.copyOf(calls), null);
    }

    public static ChatMessage toolResult(String toolCallId, String content) {
        return new ChatMessage("tool", content, null, toolCallId);
    }

    /** Rough size for history budgets. */
    public int chars() {
        int n = content == null ? 0 : content.length();
        if (toolCalls != null) {
            for (var call : toolCalls) {
                n += call.function().name().length() + (call.function().arguments() == null ? 0 : call.function().arguments().length());
            }
        }
        return n;
    }
}
