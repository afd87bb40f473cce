package io.voicecoach.tools.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * PostgreSQL's {@code text} and {@code jsonb} cannot hold the NUL char (U+0000): a tool call whose arguments, tool name
 * or result held one failed to be recorded, and a tool that stored such an argument failed (ToolFuzzTest). Tools see
 * arguments with U+FFFD in its place; what is stored has none; a webhook's result published on {@code tool.results}
 * keeps it.
 */
public final class PostgresText {

    private static final char NUL = '\u0000';
    private static final char REPLACEMENT = '\uFFFD';

    private PostgresText() {
    }

    public static String text(String value) {
        return value == null || value.indexOf(NUL) < 0 ? value : value.replace(NUL, REPLACEMENT);
    }

    /** The JSON text of {@code value} for a {@code jsonb} column; null stays null. */
    static String json(JsonNode value) {
        if (value == null) {
            return null;
        }
        String json = value.toString();
        return json.contains("\\u0000") ? withoutNul(value).toString() : json;
    }

    /** {@code value}, or a copy of it with U+FFFD for every NUL char in its strings and names; null stays null. */
    public static JsonNode storable(JsonNode value) {
        return value == null || !value.toString().contains("\\u0000") ? value : withoutNul(value);
    }

    private static JsonNode withoutNul(JsonNode value) {
        if (value.isTextual()) {
            return JsonNodeFactory.instance.textNode(text(value.textValue()));
        }
        if (value instanceof ArrayNode array) {
            var copy = JsonNodeFactory.instance.arrayNode(array.size());
            array.forEach(element -> copy.add(withoutNul(element)));
            return copy;
        }
        if (value instanceof ObjectNode object) {
            var copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                copy.set(text(field.getKey()), withoutNul(field.getValue()));
            }
            return copy;
        }
        return value;
    }
}
