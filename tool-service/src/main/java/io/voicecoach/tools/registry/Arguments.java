package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.Optional;

/** Reads a tool's JSON arguments object; every violation is a {@link ToolException} with code invalid_arguments. */
public final class Arguments {

    private final JsonNode object;

    private Arguments(JsonNode object) {
        this.object = object;
    }

    /** Accepts only a JSON object whose properties are all in {@code allowed}. */
    public static Arguments of(JsonNode arguments, Collection<String> allowed) {
        if (arguments == null || !arguments.isObject()) {
            throw ToolException.invalidArguments("arguments must be a JSON object, got "
                    + (arguments == null || arguments.isMissingNode() ? "nothing" : arguments.getNodeType().name().toLowerCase()));
        }
        arguments.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw ToolException.invalidArguments("unknown argument '" + name + "'; allowed: " + String.join(", ", allowed));
            }
        });
        return new Arguments(arguments);
    }

    public String requiredString(String name) {
        return optionalString(name).orElseThrow(() ->
                ToolException.invalidArguments("argument '" + name + "' is required"));
    }

    /** A required string that must be one of {@code values}. */
    public String requiredOneOf(String name, Collection<String> values) {
        String value = requiredString(name);
        if (!values.contains(value)) {
            throw ToolException.invalidArguments("argument '" + name + "' must be one of "
                    + String.join(", ", values) + ", got '" + value + "'");
        }
        return value;
    }

    /** Absent or JSON null is empty; a blank string is empty too; any other type is invalid. */
    public Optional<String> optionalString(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ToolException.invalidArguments("argument '" + name + "' must be a string, got "
                    + value.getNodeType().name().toLowerCase());
        }
        String text = value.textValue().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
