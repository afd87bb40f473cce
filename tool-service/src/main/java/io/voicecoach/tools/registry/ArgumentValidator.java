package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.voicecoach.events.EventJson;

import java.util.ArrayList;
import java.util.List;

/**
 * A tool's parameter schema, compiled once (JSON Schema 2020-12, formats asserted), and the check of a call's
 * arguments against it. Violations become one {@code invalid_arguments} error whose message lists them all and
 * whose details are {@code {"violations": [{"path", "keyword", "message"}]}}.
 */
public final class ArgumentValidator {

    private final JsonSchema schema;
    private final List<String> properties;

    public ArgumentValidator(ToolDefinition definition) {
        this.schema = Schemas.compile(definition.parameters());
        var names = new ArrayList<String>();
        definition.parameters().path("properties").fieldNames().forEachRemaining(names::add);
        this.properties = List.copyOf(names);
    }

    /** @throws ToolException {@code invalid_arguments} listing every violation */
    public void validate(JsonNode arguments) {
        JsonNode instance = arguments == null || arguments.isMissingNode() ? NullNode.getInstance() : arguments;
        var messages = Schemas.violations(schema, instance);
        if (messages.isEmpty()) {
            return;
        }
        var details = EventJson.MAPPER.createObjectNode();
        var violations = details.putArray("violations");
        var texts = new ArrayList<String>();
        for (var message : messages) {
            String text = describe(message);
            texts.add(text);
            violations.addObject()
                    .put("path", message.getInstanceLocation().toString())
                    .put("keyword", message.getType())
                    .put("message", text);
        }
        throw new ToolException(ToolErrors.INVALID_ARGUMENTS, String.join("; ", texts), details);
    }

    private String describe(ValidationMessage message) {
        String path = message.getInstanceLocation().toString();
        Object[] args = message.getArguments();
        if (path.isEmpty() && "type".equals(message.getType())) {
            return "arguments must be a JSON object, got " + (args != null && args.length > 0 ? args[0] : "something else");
        }
        String argument = "argument '" + (path.startsWith("/") ? path.substring(1) : path) + "'";
        return switch (message.getType()) {
            case "required" -> "argument '" + prefixed(path, message.getProperty()) + "' is required";
            case "additionalProperties" -> "unknown argument '" + prefixed(path, message.getProperty())
                    + "'; allowed: " + String.join(", ", properties);
            case "type" -> argument + " must be a " + args[1] + ", got " + args[0];
            case "enum" -> argument + " must be one of " + String.join(", ", enumValues(args)) + ", got "
                    + message.getInstanceNode();
            default -> argument + " " + withoutLocation(message.getMessage());
        };
    }

    private static String prefixed(String path, String property) {
        return path.isEmpty() ? property : path.substring(1) + "/" + property;
    }

    private static List<String> enumValues(Object[] args) {
        // networknt renders the allowed values as "[a, b, c]"
        String rendered = args != null && args.length > 0 ? String.valueOf(args[0]) : "";
        rendered = rendered.replaceAll("^\\[|]$", "");
        return java.util.Arrays.stream(rendered.split(",\\s*")).map(v -> v.replaceAll("^\"|\"$", "")).toList();
    }

    private static String withoutLocation(String text) {
        int colon = text.indexOf(": ");
        return colon >= 0 ? text.substring(colon + 2) : text;
    }
}
