package io.voicecoach.platform.testing;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** For fuzz tests that mutate a valid JSON document: the pointer of each of its nodes, and one node replaced or gone. */
public final class JsonMutations {

    private JsonMutations() {
    }

    /** The pointer of every node below {@code root}, depth first. */
    public static List<JsonPointer> pointers(JsonNode root) {
        var all = new ArrayList<JsonPointer>();
        collect(root, JsonPointer.empty(), all);
        return List.copyOf(all);
    }

    /** Sets the node at {@code pointer} (below the root) of {@code root} to {@code replacement}. */
    public static void replace(JsonNode root, JsonPointer pointer, JsonNode replacement) {
        var parent = root.at(pointer.head());
        if (parent instanceof ObjectNode object) {
            object.set(pointer.last().getMatchingProperty(), replacement);
        } else if (parent instanceof ArrayNode array) {
            array.set(pointer.last().getMatchingIndex(), replacement);
        }
    }

    /** Removes the node at {@code pointer} (below the root) of {@code root}. */
    public static void remove(JsonNode root, JsonPointer pointer) {
        var parent = root.at(pointer.head());
        if (parent instanceof ObjectNode object) {
            object.remove(pointer.last().getMatchingProperty());
        } else if (parent instanceof ArrayNode array) {
            array.remove(pointer.last().getMatchingIndex());
        }
    }

    private static void collect(JsonNode node, JsonPointer at, List<JsonPointer> all) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                var child = at.appendProperty(field.getKey());
                all.add(child);
                collect(field.getValue(), child, all);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                var child = at.appendIndex(i);
                all.add(child);
                collect(node.get(i), child, all);
            }
        }
    }
}
