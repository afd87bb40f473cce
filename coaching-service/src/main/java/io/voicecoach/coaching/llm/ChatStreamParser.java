package io.voicecoach.coaching.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Folds the {@code data:} payloads of one streamed chat completion into text deltas and a {@link ChatResult}:
 * content deltas are concatenated, {@code tool_calls} deltas are joined by {@code index} (id and name arrive once,
 * {@code arguments} in pieces), {@code usage} is taken from the chunk that carries it (the last one with
 * {@code stream_options.include_usage}). Payloads that are not JSON are skipped and counted; an {@code error} object
 * in the stream fails it. Not thread-safe: one per stream.
 */
final class ChatStreamParser {

    static final String DONE = "[DONE]";

    private final StringBuilder text = new StringBuilder();
    private final TreeMap<Integer, ToolCallBuilder> toolCalls = new TreeMap<>();
    private String model;
    private String finishReason;
    private TokenUsage usage = TokenUsage.NONE;
    private int chunks;
    private int skipped;
    private boolean done;

    ChatStreamParser(String requestedModel) {
        this.model = requestedModel;
    }

    /** @return the text delta in this payload, if any; blank payloads (SSE comments, keep-alives) are ignored */
    Optional<String> accept(String data) {
        if (data == null) {
            return Optional.empty();
        }
        String payload = data.strip();
        if (payload.isEmpty()) { // an SSE comment or a line without data
            return Optional.empty();
        }
        if (DONE.equals(payload)) {
            done = true;
            return Optional.empty();
        }
        var json = LlmJson.objectIn(payload);
        if (json.isEmpty() || json.get().has("error")) {
            if (json.isPresent()) {
                var error = json.get().path("error");
                throw new LlmException(LlmException.Kind.SERVER_ERROR, "error in stream: " + error.path("message").asText(error.toString()));
            }
            skipped++;
            return Optional.empty();
        }
        chunks++;
        JsonNode chunk = json.get();
        if (chunk.hasNonNull("model")) {
            model = chunk.get("model").asText();
        }
        JsonNode usageNode = chunk.path("usage");
        if (usageNode.isObject()) {
            usage = new TokenUsage(usageNode.path("prompt_tokens").asInt(0), usageNode.path("completion_tokens").asInt(0));
        }
        String delta = null;
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode d = choice.path("delta");
            if (d.path("content").isTextual() && !d.get("content").asText().isEmpty()) {
                delta = d.get("content").asText();
                text.append(delta);
            }
            for (JsonNode call : d.path("tool_calls")) {
                toolCalls.computeIfAbsent(call.path("index").asInt(toolCalls.size()), i -> new ToolCallBuilder()).add(call);
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
        }
        return Optional.ofNullable(delta);
    }

    boolean done() {
        return done;
    }

    /** The whole answer; fails when the stream ended before {@code [DONE]} and without a finish reason. */
    ChatResult finish() {
        if (!done && finishReason == null) {
            throw new LlmException(LlmException.Kind.BAD_RESPONSE, chunks == 0
                    ? "the stream held no chat-completion chunk (" + skipped + " unreadable)"
                    : "the stream ended before [DONE]");
        }
        var calls = new ArrayList<ToolCallRef>();
        toolCalls.values().forEach(b -> calls.add(b.build()));
        return new ChatResult(model, text.toString(), List.copyOf(calls), finishReason, usage, skipped);
    }

    private static final class ToolCallBuilder {
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();

        void add(JsonNode delta) {
            if (id == null && delta.hasNonNull("id")) {
                id = delta.get("id").asText();
            }
            JsonNode function = delta.path("function");
            if (name == null && function.hasNonNull("name")) {
                name = function.get("name").asText();
            }
            if (function.path("arguments").isTextual()) {
                arguments.append(function.get("arguments").asText());
            }
        }

        ToolCallRef build() {
            return ToolCallRef.function(id, name == null ? "" : name, arguments.isEmpty() ? "{}" : arguments.toString());
        }
    }
}
