package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a caller (an LLM) needs to know to call a tool: its name, what it does and the JSON Schema of its arguments.
 * Built-in tools keep theirs in {@code tools/<name>.json}: {@code {"description": "...", "parameters": {...}}}.
 */
public record ToolDefinition(String name, String description, JsonNode parameters) {

    /** What a tenant may name a tool (OpenAI's rule for function names). */
    public static final String NAME = "[A-Za-z0-9_-]{1,64}";

    public ToolDefinition {
        if (parameters == null || !parameters.isObject() || !"object".equals(parameters.path("type").asText())) {
            throw new IllegalArgumentException("tool " + name + ": parameters must be a JSON Schema of type object");
        }
    }

    /** Loads {@code tools/<name>.json} from the application's resources. */
    public static ToolDefinition load(String name) {
        String resource = "tools/" + name + ".json";
        try (var in = ToolDefinition.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the application");
            }
            var json = EventJson.MAPPER.readTree(in);
            return new ToolDefinition(name, json.path("description").asText(), json.get("parameters"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The OpenAI function-calling form: {@code {"type": "function", "function": {name, description, parameters}}}. */
    public ObjectNode openAiFunction() {
        var tool = EventJson.MAPPER.createObjectNode();
        tool.put("type", "function");
        var function = tool.putObject("function");
        function.put("name", name);
        function.put("description", description);
        function.set("parameters", parameters.deepCopy());
        return tool;
    }
}
