package io.voicecoach.tools.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.tools.registry.ToolDefinition;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BadRequestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON body of {@code POST}, {@code PUT} and {@code PATCH /api/v1/tools...}. {@link #parse} reads it by hand so
 * that unknown or mistyped fields are refused (400) and, for PATCH, a field left out can be told from one set to
 * {@code null}; fields left out are {@code null} here. The values' rules are Bean Validation constraints, checked by
 * {@link ToolRequestCheck} (problem+json {@code errors[{path, message}]}); which fields an operation needs, the
 * resource checks.
 */
record ToolRequest(
        @Pattern(regexp = NAME, message = "must be 1-64 characters of A-Z, a-z, 0-9, _ and -") String name,
        @Pattern(regexp = DESCRIPTION, message = "must be 1-" + MAX_DESCRIPTION + " characters, not all blank")
        String description,
        JsonNode parameters,
        Boolean enabled,
        @Valid Webhook webhook) {

    static final String NAME = ToolDefinition.NAME;
    static final int MAX_DESCRIPTION = 1024;
    private static final String DESCRIPTION = "(?s)(?=.*\\S).{1," + MAX_DESCRIPTION + "}";
    private static final Set<String> FIELDS = Set.of("name", "description", "parameters", "enabled", "webhook");
    private static final Set<String> WEBHOOK_FIELDS = Set.of("url", "timeoutMs", "idempotent", "resultSchema");

    /** {@code webhook}; {@code resultSchemaSet} says whether {@code resultSchema} was given (null removes it). */
    record Webhook(String url,
                   @Min(value = 100, message = "must be 100-60000") @Max(value = 60_000, message = "must be 100-60000")
                   Integer timeoutMs,
                   Boolean idempotent, JsonNode resultSchema, boolean resultSchemaSet) {
    }

    static ToolRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the body must be a JSON object");
        }
        var problems = new ArrayList<String>();
        unknown(body, FIELDS, "", problems);
        String name = text(body, "name", problems);
        String description = text(body, "description", problems);
        Boolean enabled = bool(body, "enabled", problems);
        JsonNode webhook = body.get("webhook");
        Webhook parsedWebhook = null;
        if (webhook != null && !webhook.isObject()) {
            problems.add("'webhook' must be an object");
        } else if (webhook != null) {
            parsedWebhook = webhook(webhook, problems);
        }
        if (!problems.isEmpty()) {
            throw new BadRequestException(String.join("; ", problems));
        }
        return new ToolRequest(name, description, body.get("parameters"), enabled, parsedWebhook);
    }

    private static Webhook webhook(JsonNode webhook, List<String> problems) {
        unknown(webhook, WEBHOOK_FIELDS, "webhook.", problems);
        Integer timeoutMs = null;
        if (webhook.has("timeoutMs")) {
            var t = webhook.get("timeoutMs");
            if (!t.canConvertToInt() || !t.isIntegralNumber()) {
                problems.add("'webhook.timeoutMs' must be an integer");
            } else {
                timeoutMs = t.intValue();
            }
        }
        boolean resultSchemaSet = webhook.has("resultSchema");
        var resultSchema = resultSchemaSet && !webhook.get("resultSchema").isNull()
                ? webhook.get("resultSchema") : null;
        return new Webhook(text(webhook, "url", problems), timeoutMs, bool(webhook, "idempotent", problems),
                resultSchema, resultSchemaSet);
    }

    String url() {
        return webhook == null ? null : webhook.url();
    }

    Integer timeoutMs() {
        return webhook == null ? null : webhook.timeoutMs();
    }

    Boolean idempotent() {
        return webhook == null ? null : webhook.idempotent();
    }

    JsonNode resultSchema() {
        return webhook == null ? null : webhook.resultSchema();
    }

    boolean resultSchemaSet() {
        return webhook != null && webhook.resultSchemaSet();
    }

    /** True if the request changes anything but {@code enabled}. */
    boolean changesDefinition() {
        return description != null || parameters != null || webhook != null;
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
}
