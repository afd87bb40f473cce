package io.voicecoach.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What {@link LocalLlm} answers: a scripted model for the demo dealership's service desk, deterministic and
 * instant. A caller who asks for a service gets a tool round over tool-service's demo data, one tool per model turn:
 * {@code lookup_customer} (the phone number in what they said, else {@value #DEFAULT_PHONE}, Maria Gonzalez in
 * tool-service's {@code seed/demo-dealership.json}), then {@code get_available_slots} for the service they named,
 * then {@code book_appointment} at the first free slot for their first vehicle, then a spoken confirmation naming the
 * slot. A tool error ends the round with an apology that quotes it. Requests for a JSON object get {@code {"kind":
 * "none"}} (live coaching: nothing to add to the rules) or, for the post-call summary prompt, a short summary.
 * <p>
 * Tool call ids are derived from the conversation so far, so asking again with the same conversation (a replacement
 * instance redoing a round) gets the same call: its id and its arguments.
 */
public final class ServiceDeskScript implements LocalLlm.Script {

    public static final String DEFAULT_PHONE = "+16175550101";
    static final String LOOKUP = "lookup_customer";
    static final String SLOTS = "get_available_slots";
    static final String BOOK = "book_appointment";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d ().-]{6,}\\d");
    private static final Pattern BOOKING = Pattern.compile(
            "\\b(book|booking|appointment|schedule|service|oil|brake|brakes|tire|tires|alignment)\\b");
    private static final Map<String, String> SERVICE_WORDS = Map.of(
            "oil", "oil_change", "tire", "tire_rotation", "tires", "tire_rotation", "brake", "brake_inspection",
            "brakes", "brake_inspection", "alignment", "wheel_alignment", "annual", "annual_service");

    @Override
    public LocalLlm.Answer answer(JsonNode request) {
        var messages = request.path("messages");
        if ("json_object".equals(request.path("response_format").path("type").asText())) {
            return LocalLlm.Answer.text(systemText(messages).toLowerCase(Locale.ROOT).contains("summar")
                    ? "{\"summary\":\"The caller talked with the service desk.\",\"nextSteps\":[\"Follow up by email\"]}"
                    : "{\"kind\":\"none\"}");
        }
        int lastUser = lastIndexOf(messages, "user");
        if (lastUser < 0) {
            return LocalLlm.Answer.text("Hello, this is the service desk. How can I help you today?");
        }
        String said = messages.get(lastUser).path("content").asText("");
        if (!BOOKING.matcher(said.toLowerCase(Locale.ROOT)).find()) {
            return LocalLlm.Answer.text("I can book a service appointment for you. Which service do you need?");
        }
        var results = toolResults(messages, lastUser);
        boolean toolsAllowed = !"none".equals(request.path("tool_choice").asText());
        var offered = offeredTools(request);
        for (var result : results.values()) {
            if (result.path("error").isObject()) {
                return LocalLlm.Answer.text("I'm sorry, I could not finish the booking: "
                        + result.path("error").path("message").asText("the system did not answer") + ".");
            }
        }
        String phone = phoneIn(said).orElse(DEFAULT_PHONE);
        String service = serviceIn(said);
        if (!results.containsKey(LOOKUP)) {
            return call(request, toolsAllowed, offered, LOOKUP, JSON.createObjectNode().put("phone", phone));
        }
        if (!results.containsKey(SLOTS)) {
            return call(request, toolsAllowed, offered, SLOTS, JSON.createObjectNode().put("service_type", service));
        }
        if (!results.containsKey(BOOK)) {
            var slots = result(results.get(SLOTS)).path("slots");
            if (slots.isEmpty()) {
                return LocalLlm.Answer.text("I'm sorry, there is no free slot this week.");
            }
            var arguments = JSON.createObjectNode().put("phone", phone).put("service_type", service)
                    .put("start", slots.get(0).path("start").asText());
            var vin = result(results.get(LOOKUP)).path("customer").path("vehicles").path(0).path("vin");
            if (vin.isTextual()) {
                arguments.put("vin", vin.asText());
            }
            return call(request, toolsAllowed, offered, BOOK, arguments);
        }
        var booked = result(results.get(BOOK));
        String name = booked.path("customerName").asText("");
        String when = booked.path("start").asText("the booked time");
        return LocalLlm.Answer.text("You're all set" + (name.isEmpty() ? "" : ", " + name) + ": your "
                + booked.path("serviceName").asText(service.replace('_', ' ')) + " is booked for " + when
                + ". See you then!");
    }

    private static LocalLlm.Answer call(JsonNode request, boolean allowed, List<String> offered, String tool,
                                        ObjectNode arguments) {
        if (!allowed || !offered.contains(tool)) {
            return LocalLlm.Answer.text("I'm sorry, I cannot book appointments right now.");
        }
        return LocalLlm.Answer.toolCall(callId(request.path("messages"), tool), tool, arguments.toString());
    }

    /** {@code call_} and 24 hex digits of a name-based UUID over the conversation and the tool. */
    static String callId(JsonNode messages, String tool) {
        var uuid = UUID.nameUUIDFromBytes((messages.toString() + "\u0000" + tool).getBytes(StandardCharsets.UTF_8));
        return "call_" + uuid.toString().replace("-", "").substring(0, 24);
    }

    /** Tool name -> its result content (parsed), for the tool messages after the last user message. */
    private static Map<String, JsonNode> toolResults(JsonNode messages, int from) {
        var names = new HashMap<String, String>();
        var results = new HashMap<String, JsonNode>();
        for (int i = from + 1; i < messages.size(); i++) {
            var message = messages.get(i);
            switch (message.path("role").asText()) {
                case "assistant" -> message.path("tool_calls").forEach(call -> names.put(call.path("id").asText(),
                        call.path("function").path("name").asText()));
                case "tool" -> {
                    String name = names.get(message.path("tool_call_id").asText());
                    if (name != null) {
                        results.put(name, parse(message.path("content").asText("")));
                    }
                }
                default -> {
                }
            }
        }
        return results;
    }

    /** coaching-service hands a tool's answer over as {@code {"tool", "status": "ok", "data": ...}} (or an {@code error}). */
    private static JsonNode result(JsonNode content) {
        return content.has("data") ? content.path("data") : content;
    }

    private static JsonNode parse(String content) {
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            return JSON.createObjectNode().put("text", content);
        }
    }

    private static List<String> offeredTools(JsonNode request) {
        var names = new ArrayList<String>();
        request.path("tools").forEach(tool -> names.add(tool.path("function").path("name").asText()));
        return names;
    }

    private static int lastIndexOf(JsonNode messages, String role) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (role.equals(messages.get(i).path("role").asText())) {
                return i;
            }
        }
        return -1;
    }

    private static String systemText(JsonNode messages) {
        var out = new StringBuilder();
        messages.forEach(m -> {
            if ("system".equals(m.path("role").asText())) {
                out.append(m.path("content").asText("")).append('\n');
            }
        });
        return out.toString();
    }

    static Optional<String> phoneIn(String text) {
        var matcher = PHONE.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String digits = matcher.group().replaceAll("[^0-9+]", "");
        return Optional.of(digits.startsWith("+") ? digits : "+1" + digits);
    }

    static String serviceIn(String text) {
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            var code = SERVICE_WORDS.get(word);
            if (code != null) {
                return code;
            }
        }
        return "oil_change";
    }
}
