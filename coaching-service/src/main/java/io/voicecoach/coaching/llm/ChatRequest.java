package io.voicecoach.coaching.llm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /chat/completions}, always streamed with usage in the last chunk.
 *
 * @param tools          OpenAI function definitions ({@code {"type":"function","function":{...}}}), null for none
 * @param toolChoice     {@code auto}, {@code none}, or null
 * @param responseFormat {@code {"type":"json_object"}} or null
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequest(String model, List<ChatMessage> messages, boolean stream,
                          @JsonProperty("stream_options") Map<String, Object> streamOptions, List<JsonNode> tools,
                          @JsonProperty("tool_choice") String toolChoice,
                          @JsonProperty("response_format") Map<String, String> responseFormat,
                          @JsonProperty("max_tokens") Integer maxTokens, Double temperature) {

    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, List.copyOf(messages), true, Map.of("include_usage", true), null, null, null, null,
                null);
    }

    public ChatRequest withTools(List<JsonNode> definitions, String choice) {
        return new ChatRequest(model, messages, stream, streamOptions,
                definitions == null || definitions.isEmpty() ? null : List.copyOf(definitions),
                definitions == null || definitions.isEmpty() ? null : choice, responseFormat, maxTokens, temperature);
    }

    public ChatRequest asJson() {
        return new ChatRequest(model, messages, stream, streamOptions, tools, toolChoice, Map.of("type", "json_object"),
                maxTokens, temperature);
    }

    public ChatRequest limited(int completionTokens, double temperature) {
        return new ChatRequest(model, messages, stream, streamOptions, tools, toolChoice, responseFormat,
                completionTokens, temperature);
    }
}
