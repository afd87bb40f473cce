package io.voicecoach.tools.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.BadRequestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON body of {@code POST}, {@code PUT} and {@code PATCH /api/v1/tools...}, read by hand so that unknown or
 * mistyped fields are refused (400) and, for PATCH, a field left out can be told from one set to {@code null}.
 * Fields left out are {@code null} here; {@link #resultSchemaSet} says whether {@code webhook.resultSchema} was given.
 */
record ToolRequest(String name, String description, JsonNode parameters, Boolean enabled, String url,
                   Integer timeoutMs, Boolean idempotent, JsonNode resultSchema, boolean resultSchemaSet,
                   boolean hasWebhook) {

    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    static final int MAX_DESCRIPTION = 1024;
    private static final Set<String> FIELDS = Set.of("name", "description", "parameters", "enabled", "webhook");
    private static final Set<String> WEBHOOK_FIELDS = Set.of("url", "timeoutMs", "idempotent", "resultSchema");

    static ToolRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the body must be a JSON object");
        }
        var problems = new ArrayList<String>();
        unknown(body, FIELDS, "", problems);
        String name = text(body, "name", problems);
        String description = text(body, "description", problems);
        JsonNode parameters = body.get("parameters");
        Boolean enabled = bool(body, "enabled", problems);
        JsonNode webhook = body.get("webhook");
        String url = null;
        Integer timeoutMs = null;
        Boolean idempotent = null;
        JsonNode resultSchema = null;
        boolean resultSchemaSet = false;
        if (webhook != null && !webhook.isObject()) {
            problems.add("'webhook' must be an object");
        } else if (webhook != null) {
            unknown(webhook, WEBHOOK_FIELDS, "webhook.", problems);
            url = text(webhook, "url", problems);
            if (webhook.has("timeoutMs")) {
                var t = webhook.get("timeoutMs");
                if (!t.canConvertToInt() || !t.isIntegralNumber()) {
                    problems.add("'webhook.timeoutMs' must be an integer");
                } else {
                    timeoutMs = t.intValue();
                }
            }
            idempotent = bool(webhook, "idempotent", problems);
            resultSchemaSet = webhook.has("resultSchema");
            resultSchema = resultSchemaSet && !webhook.get("resultSchema").isNull() ? webhook.get("resultSchema") : null;
        }
        if (!problems.isEmpty()) {
            throw new BadRequestException(String.join("; ", problems));
        }
        return new ToolRequest(name, description, parameters, enabled, url, timeoutMs, idempotent, resultSchema,
                resultSchemaSet, webhook != null);
    }

    /** True if the request changes anything but {@code enabled}. */
    boolean changesDefinition() {
        return description != null || parameters != null || hasWebhook;
    }

    private static void unknown(JsonNode node, Set<String> allowed, String prefix, List<String> problems) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                problems.add("unknown field '" + prefix + f + "'");
            }
        });
    }

    private static String text(JsonNode node, String field, List<String> problems) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add("'" + field + "' must be a string");
            return null;
        }
        return value.textValue();
    }

    private static Boolean bool(JsonNode node, String field, List<String> problems) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            problems.add("'" + field + "' must be true or false");
            return null;
        }
        return value.booleanValue();
    }

    static ObjectNode emptyObject() {
        return io.voicecoach.events.EventJson.MAPPER.createObjectNode();
    }
}
