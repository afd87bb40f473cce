package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * JSON Schema 2020-12 (networknt, formats asserted): compiling schemas, and checking schemas a tenant sends before
 * they are stored. A tenant's schema must itself be valid against the 2020-12 meta-schema, may only reference its
 * own parts ({@code $ref: "#/..."}: nothing is ever fetched from the network) and is at most {@link #MAX_BYTES}.
 */
public final class Schemas {

    public static final int MAX_BYTES = 32 * 1024;
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .locale(Locale.ENGLISH)
            .build();
    /** The 2020-12 meta-schema, from the validator's own resources. */
    private static final JsonSchema META = FACTORY.getSchema(SchemaLocation.of(JsonMetaSchema.getV202012().getIri()),
            CONFIG);

    private Schemas() {
    }

    /** A schema a tenant sent is unusable; {@link #problems()} says why. */
    public static final class InvalidSchemaException extends RuntimeException {
        private final List<String> problems;

        InvalidSchemaException(String what, List<String> problems) {
            super(what + " is not a usable JSON Schema: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /**
     * Checks and compiles a schema a tenant sent.
     *
     * @param what         what it is, for the message ("parameters", "webhook.resultSchema")
     * @param objectSchema true if it must describe a JSON object ({@code "type": "object"}), as OpenAI requires of
     *                     function parameters
     * @throws InvalidSchemaException listing every problem
     */
    public static JsonSchema checkTenantSchema(String what, JsonNode schema, boolean objectSchema) {
        var problems = new ArrayList<String>();
        if (schema == null || !schema.isObject()) {
            throw new InvalidSchemaException(what, List.of("must be a JSON object"));
        }
        if (schema.toString().length() > MAX_BYTES) {
            throw new InvalidSchemaException(what, List.of("is larger than " + MAX_BYTES + " bytes"));
        }
        if (objectSchema && !"object".equals(schema.path("type").asText())) {
            problems.add("'type' must be \"object\"");
        }
        if (schema.has("$schema") && !DRAFT_2020_12.equals(schema.path("$schema").asText())) {
            problems.add("'$schema' must be " + DRAFT_2020_12 + " or left out");
        }
        collectReferenceProblems(schema, "", problems);
        META.validate(schema).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
                .forEach(m -> problems.add(m.getMessage()));
        if (!problems.isEmpty()) {
            throw new InvalidSchemaException(what, problems);
        }
        try {
            var compiled = FACTORY.getSchema(schema, CONFIG);
            compiled.initializeValidators();
            return compiled;
        } catch (RuntimeException e) {
            throw new InvalidSchemaException(what, List.of(String.valueOf(e.getMessage())));
        }
    }

    /** Compiles a schema that has passed {@link #checkTenantSchema} (or ships with the service). */
    public static JsonSchema compile(JsonNode schema) {
        return FACTORY.getSchema(schema, CONFIG);
    }

    /** Every violation of {@code schema} by {@code instance}, as "path: message", sorted by path; empty if valid. */
    public static List<ValidationMessage> violations(JsonSchema schema, JsonNode instance) {
        return schema.validate(instance).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                        .thenComparing(ValidationMessage::getType))
                .toList();
    }

    private static void collectReferenceProblems(JsonNode node, String path, List<String> problems) {
        if (node.isObject()) {
            for (var entry : node.properties()) {
                String key = entry.getKey();
                JsonNode value = entry.getValue();
                if (("$ref".equals(key) || "$dynamicRef".equals(key))
                        && value.isTextual() && !value.textValue().startsWith("#")) {
                    problems.add(path + "/" + key + ": only references into the same schema (\"#/...\") are allowed");
                } else if ("$id".equals(key) && !path.isEmpty() && value.isTextual()) {
                    problems.add(path + "/$id: nested '$id' is not allowed");
                } else if ("$id".equals(key) && value.isTextual()) {
                    problems.add("/$id: '$id' is not allowed");
                }
                collectReferenceProblems(value, path + "/" + key, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectReferenceProblems(node.get(i), path + "/" + i, problems);
            }
        }
    }
}
