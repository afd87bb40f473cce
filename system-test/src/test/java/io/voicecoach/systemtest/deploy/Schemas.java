package io.voicecoach.systemtest.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JSON Schemas vendored in deploy/schemas (Strimzi 1.2 v1, CloudNativePG 1.30, KEDA 2.20, Prometheus Operator
 * 0.93, Kubernetes 1.32; see deploy/schemas/README.md), one per apiVersion and kind. An object of a kind with no
 * schema there is an error: that is how {@code kafka.strimzi.io/v1beta2}, which Strimzi 1.x no longer serves, fails.
 */
final class Schemas {

    private final Map<String, JsonSchema> byKind = new HashMap<>();

    Schemas(Path dir) {
        var mapper = new ObjectMapper();
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                String[] parts = file.getFileName().toString().replace(".json", "").split("_");
                // k8s_<group>_<version>_<Kind>.json or <group>_<version>_<Kind>.json
                String apiVersion = parts[0].equals("k8s")
                        ? (parts[1].equals("core") ? parts[2] : apiGroup(parts[1]) + "/" + parts[2])
                        : parts[0] + "/" + parts[1];
                String kind = parts[parts.length - 1];
                byKind.put(apiVersion + " " + kind, factory.getSchema(mapper.readTree(file.toFile())));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the schemas in " + dir, e);
        }
    }

    private static String apiGroup(String name) {
        return name.equals("networking") ? "networking.k8s.io" : name;
    }

    /** "Kind/name: problem" for every schema violation, and for every object whose kind has no schema. */
    List<String> validate(List<? extends JsonNode> objects) {
        var problems = new ArrayList<String>();
        for (JsonNode object : objects) {
            String apiVersion = object.path("apiVersion").asText();
            String kind = object.path("kind").asText();
            String id = kind + "/" + object.path("metadata").path("name").asText();
            JsonSchema schema = byKind.get(apiVersion + " " + kind);
            if (schema == null) {
                problems.add(id + ": no schema for " + apiVersion + " " + kind + " in deploy/schemas");
                continue;
            }
            for (ValidationMessage message : schema.validate(object)) {
                problems.add(id + " (" + apiVersion + "): " + message.getMessage());
            }
        }
        return problems;
    }
}
