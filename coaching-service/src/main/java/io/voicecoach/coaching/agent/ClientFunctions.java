package io.voicecoach.coaching.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.coaching.llm.LlmJson;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The functions a Realtime client declares ({@code session.update} {@code tools}, {@code {type:"function", name,
 * description, parameters}}) as the Chat Completions tool definitions the agent offers its LLM beside the tenant's,
 * and how the client's output of one becomes a tool message.
 */
final class ClientFunctions {

    private static final Logger LOG = Logger.getLogger(ClientFunctions.class);
    private static final Set<String> CHOICES = Set.of("auto", "none", "required");
    /** OpenAI's limit of tools in one request; the tenant's come first. */
    static final int MAX = 128;

    private ClientFunctions() {
    }

    /**
     * The declared functions in the LLM's shape, at most {@link #MAX}; other tool types, unnamed ones and a repeated
     * name (the first counts) are left out.
     */
    static List<JsonNode> definitions(List<JsonNode> tools) {
        var definitions = new ArrayList<JsonNode>();
        var names = new HashSet<String>();
        for (JsonNode tool : tools) {
            String name = tool == null ? "" : tool.path("name").asText("");
            if (!"function".equals(tool == null ? null : tool.path("type").asText()) || !ToolDefinitions.validName(name)
                    || definitions.size() >= MAX || !names.add(name)) {
                LOG.debugf("ignoring a client tool that is not a named function: %s", tool);
                continue;
            }
            var definition = LlmJson.MAPPER.createObjectNode().put("type", "function");
            var function = definition.putObject("function").put("name", name);
            if (tool.path("description").isTextual()) {
                function.put("description", tool.path("description").asText());
            }
            if (tool.path("parameters").isObject()) {
                function.set("parameters", tool.path("parameters"));
            } else {
                function.putObject("parameters").put("type", "object").putObject("properties");
            }
            definitions.add(definition);
        }
        return List.copyOf(definitions);
    }

    /**
     * The client's {@code tool_choice} when it is one of {@code auto|none|required}; a named function
     * ({@code {type:"function", name}}) is not passed on (null: the agent's own choice).
     */
    static String choice(JsonNode toolChoice) {
        return toolChoice != null && toolChoice.isTextual() && CHOICES.contains(toolChoice.asText())
                ? toolChoice.asText() : null;
    }

    static boolean allowed(AgentConfig config, String tenantId) {
        return Optional.ofNullable(config.tenants().get(tenantId)).flatMap(AgentConfig.Tenant::clientFunctions)
                .orElse(config.clientFunctions());
    }

    /**
     * The client's definitions whose names no tenant tool has (the tenant's tool wins a clash), within {@link #MAX}
     * tools in all beside {@code offered} tenant tools.
     */
    static List<JsonNode> besides(List<JsonNode> clientTools, List<JsonNode> tenantTools, int offered) {
        var taken = new HashSet<String>();
        tenantTools.forEach(t -> taken.add(name(t)));
        return clientTools.stream().filter(t -> !taken.contains(name(t))).limit(Math.max(0, MAX - offered)).toList();
    }

    static String name(JsonNode definition) {
        return definition.path("function").path("name").asText();
    }

    /**
     * The client's output as the model sees it: {@code {"tool", "status":"ok", "data"}} like a tenant tool's result,
     * the output parsed when it is JSON, else a JSON string; longer than {@code maxChars}, a truncated string.
     */
    static String content(String name, String output, int maxChars) {
        var node = LlmJson.MAPPER.createObjectNode();
        node.put("tool", name);
        node.put("status", "ok");
        String text = output == null ? "" : output;
        node.set("data", parsed(text).orElseGet(() -> LlmJson.MAPPER.getNodeFactory().textNode(text)));
        String content = node.toString();
        if (content.length() <= maxChars) {
            return content;
        }
        var truncated = LlmJson.MAPPER.createObjectNode();
        truncated.put("tool", name);
        truncated.put("status", "ok");
        truncated.put("truncated", true);
        truncated.put("data", text.length() <= maxChars ? text : text.substring(0, maxChars));
        return truncated.toString();
    }

    private static Optional<JsonNode> parsed(String text) {
        try {
            return text.isBlank() ? Optional.empty() : Optional.of(LlmJson.MAPPER.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
