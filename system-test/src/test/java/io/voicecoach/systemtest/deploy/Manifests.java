package io.voicecoach.systemtest.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Rendered objects of one overlay and the lookups the checks share. */
abstract class Manifests {

    final List<ObjectNode> objects;

    Manifests(List<ObjectNode> objects) {
        this.objects = objects;
    }

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<ObjectNode> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> entry : selector.properties()) {
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText())) {
                return false;
            }
        }
        return true;
    }

    static Set<String> mountPaths(JsonNode container) {
        var paths = new HashSet<String>();
        container.path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
        return paths;
    }

    static String topicName(JsonNode topic) {
        String name = topic.at("/spec/topicName").asText();
        return name.isEmpty() ? name(topic) : name;
    }

    static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    static String id(JsonNode object) {
        return object.path("kind").asText() + "/" + name(object);
    }

    static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Set<String> difference(Collection<String> a, Collection<String> b) {
        var out = new LinkedHashSet<>(a);
        out.removeAll(b);
        return out;
    }
}
