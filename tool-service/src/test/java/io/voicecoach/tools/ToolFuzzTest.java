package io.voicecoach.tools;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.platform.testing.HostileJson;
import io.voicecoach.platform.testing.SeededCases;
import io.voicecoach.tools.WebhookReceiver.Answer;
import io.voicecoach.tools.calls.ToolCallHandler;
import io.voicecoach.tools.customer.CustomerEntity;
import io.voicecoach.tools.registry.Schemas;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.seed.DemoData;
import io.voicecoach.tools.seed.DemoSeeder;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static io.voicecoach.platform.testing.SeededCases.chance;
import static io.voicecoach.platform.testing.SeededCases.oneOf;

/**
 * Fuzzes what a tenant's LLM and a tenant's webhook hand the tool service, through {@link ToolCallHandler} (the
 * {@code tool.calls} consumer's path) against the real database:
 * <ul>
 *     <li>the arguments of every built-in tool: a valid call with one argument replaced (wrong types, huge numbers
 *     and text, unicode, nulls, another tenant's phone numbers), removed or added;</li>
 *     <li>the arguments of a webhook tool, against its JSON schema: refused {@code invalid_arguments} exactly when
 *     the schema says so, else sent to the endpoint as they were;</li>
 *     <li>a webhook's answer: any status, content type and body (not JSON, JSON after JSON, too large, breaking the
 *     tool's result schema): the result is the body exactly when it is one JSON value of a 2xx answer within the
 *     limits and the schema, else {@code invalid_result} or {@code webhook_failed} naming the status.</li>
 * </ul>
 * Never an {@code internal} error, and no result of tenant {@value #TENANT} holds another tenant's data (the demo
 * tenants' customers and leads, or what tenant {@value #OTHER}'s webhook tool of the same name answers). 700 cases
 * from fixed seeds ({@link SeededCases}: a failure names seed and case); the number of calls is printed at the end.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class ToolFuzzTest {

    /** Given a large rate limit in the test profile, so the cases reach the tools. */
    static final String TENANT = "fuzz-tools";
    static final String OTHER = "fuzz-other";
    private static final String HOOK = "fuzz_order";
    private static final String OTHER_MARKER = "answer-of-tenant-" + OTHER;
    private static final String PHONE = "+16175550199";
    private static final Set<String> BUILT_IN_ERRORS = Set.of(ToolErrors.INVALID_ARGUMENTS, ToolErrors.NOT_FOUND,
            ToolErrors.NOT_ALLOWED, ToolErrors.SLOT_TAKEN, ToolErrors.INVALID_VIN, ToolErrors.UNAVAILABLE);
    private static final String PARAMETERS = """
            {"type": "object",
             "properties": {"order_id": {"type": "string", "pattern": "^ORD-[0-9]{1,12}$"},
                            "quantity": {"type": "integer", "minimum": 1, "maximum": 99},
                            "mode": {"enum": ["pickup", "delivery"]},
                            "tags": {"type": "array", "items": {"type": "string", "maxLength": 20}, "maxItems": 3},
                            "address": {"type": "object", "properties": {"zip": {"type": "string"}},
                                        "required": ["zip"], "additionalProperties": false}},
             "required": ["order_id"], "additionalProperties": false}""";
    private static final String VALID_HOOK_ARGUMENTS = """
            {"order_id": "ORD-123", "quantity": 2, "mode": "pickup", "tags": ["gift"], "address": {"zip": "02139"}}""";
    private static final String RESULT_SCHEMA = """
            {"type": "object", "properties": {"status": {"type": "string"}}, "required": ["status"]}""";
    private static final int MAX_RESPONSE_BYTES = 65536;
    private static final List<String> KEYS = List.of("phone", "service_type", "start", "name", "vin", "notes",
            "appointment_id", "reason", "title", "duration_minutes", "attendee_email", "from_date", "to_date", "limit",
            "category", "competitor", "email", "company", "query", "max_results", "order_id", "quantity", "mode",
            "tags", "address", "zip", "status", "x", "");
    private static final List<Integer> STATUSES = List.of(200, 200, 200, 201, 202, 203, 204, 206, 299, 300, 301, 302,
            304, 307, 400, 401, 403, 404, 409, 418, 422, 429, 451, 500, 502, 503, 504, 599);
    private static final List<String> CONTENT_TYPES = Stream.of("application/json", "application/json",
            "application/json; charset=utf-8", "text/html", "text/plain; charset=utf-16", "application/xml",
            "application/octet-stream", "application/problem+json", "", "x/y; q=\u00e9").toList();
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final AtomicInteger OK = new AtomicInteger();

    @Inject
    ToolCallHandler handler;

    @Inject
    DemoSeeder seeder;

    private WebhookReceiver receiver;
    private WebhookReceiver otherReceiver;
    private HostileJson hostile;
    private List<String> otherTenantsData;

    @BeforeEach
    void start() throws IOException {
        receiver = new WebhookReceiver();
        otherReceiver = new WebhookReceiver();
        var words = new ArrayList<>(List.of(PHONE, "oil_change", "brake_job", "price", "competitor",
                "1HGCM82633A004352", "ORD-1", "pickup", "delivery", "2026-12-20", "2026-12-20T09:00",
                UUID.randomUUID().toString()));
        otherTenantsData = new ArrayList<>(List.of(OTHER_MARKER));
        for (String seed : List.of("seed/demo-dealership.json", "seed/saas-demo.json")) {
            var data = DemoData.load(seed);
            for (var customer : data.customers() == null ? List.<DemoData.CustomerSeed>of() : data.customers()) {
                words.add(customer.phone()); // tenant demo's callers, asked for by another tenant
                otherTenantsData.add(customer.name());
            }
            for (var lead : data.leads() == null ? List.<DemoData.LeadSeed>of() : data.leads()) {
                otherTenantsData.add(lead.name());
            }
        }
        hostile = new HostileJson(KEYS, words);
        if (QuarkusTransaction.requiringNew().call(() -> CustomerEntity.count("tenantId", TENANT)) == 0) {
            seed();
        }
    }

    @AfterEach
    void stop() {
        receiver.close();
        otherReceiver.close();
    }

    @AfterAll
    static void report() {
        System.out.printf("tool fuzz: %d calls (%d answered ok, the rest a documented error), 0 internal errors, "
                + "no other tenant's data%n", CALLS.get(), OK.get());
    }

    @Test
    void anyArgumentsOfABuiltInToolAreAResultOrADocumentedError() {
        var valid = builtInCalls();
        var tools = List.copyOf(valid.keySet());
        SeededCases.run(19_401, 350, random -> {
            String tool = oneOf(random, tools);
            var arguments = mutated(random, Calls.json(valid.get(tool)));
            var result = call(tool, arguments);
            if (ToolResult.ERROR.equals(result.status()) && !BUILT_IN_ERRORS.contains(result.error().code())) {
                throw new AssertionError(tool + " " + abbreviated(arguments) + ": " + result.error());
            }
        });
    }

    @Test
    void webhookArgumentsAreRefusedExactlyWhenTheirSchemaSaysSoElseSentAsTheyAre() {
        register(TENANT, receiver, null);
        receiver.script(Answer.ok("{\"status\": \"ready\"}"));
        JsonSchema schema = Schemas.compile(Calls.json(PARAMETERS));
        SeededCases.run(19_402, 200, random -> {
            var arguments = mutated(random, Calls.json(VALID_HOOK_ARGUMENTS));
            int before = receiver.received().size();
            var result = call(HOOK, arguments);
            boolean valid = Schemas.violations(schema, arguments).isEmpty();
            if (!valid) {
                expectError(result, ToolErrors.INVALID_ARGUMENTS);
                if (receiver.received().size() != before) {
                    throw new AssertionError("invalid arguments reached the endpoint");
                }
                return;
            }
            if (!ToolResult.OK.equals(result.status()) || receiver.received().size() != before + 1) {
                throw new AssertionError("valid arguments " + abbreviated(arguments) + ": " + result);
            }
            var sent = Calls.json(receiver.received().getLast().bodyText()).path("arguments");
            // a lone surrogate has no UTF-8 form: it is sent as '?'
            var expected = Calls.json(new String(arguments.toString().getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
            if (!sent.equals(expected)) {
                throw new AssertionError("sent " + abbreviated(sent) + " for " + abbreviated(arguments));
            }
        });
    }

    @Test
    void anyWebhookAnswerIsItsResultOrADocumentedError() {
        register(TENANT, receiver, RESULT_SCHEMA);
        register(OTHER, otherReceiver, null);
        otherReceiver.script(Answer.ok("{\"status\": \"" + OTHER_MARKER + "\"}"));
        JsonSchema schema = Schemas.compile(Calls.json(RESULT_SCHEMA));
        SeededCases.run(19_403, 150, random -> {
            int status = oneOf(random, STATUSES);
            String body = answerBody(random);
            receiver.script(new Answer(status, body, 0, null, oneOf(random, CONTENT_TYPES)));
            var result = call(HOOK, Calls.json(VALID_HOOK_ARGUMENTS));
            JsonNode json = status == 204 || status == 304 ? null : strictJson(body);
            if (status < 200 || status >= 300) {
                expectError(result, ToolErrors.WEBHOOK_FAILED);
            } else if (json == null || body.getBytes(StandardCharsets.UTF_8).length > MAX_RESPONSE_BYTES
                    || !Schemas.violations(schema, json).isEmpty()) {
                expectError(result, ToolErrors.INVALID_RESULT);
            } else if (!ToolResult.OK.equals(result.status()) || !json.equals(result.result())) {
                throw new AssertionError("status " + status + ", body " + abbreviated(body) + ": " + result);
            }
        });
        if (!otherReceiver.received().isEmpty()) {
            throw new AssertionError("tenant " + TENANT + "'s calls reached tenant " + OTHER + "'s endpoint");
        }
    }

    private ToolResult call(String tool, JsonNode arguments) {
        CALLS.incrementAndGet();
        var result = handler.answer(TENANT, "sess_fuzz", new ToolCall("call_" + UUID.randomUUID(), tool, arguments,
                "fuzz", 15000)).result();
        if (ToolResult.OK.equals(result.status())) {
            OK.incrementAndGet();
        } else if (result.error() == null || ToolErrors.INTERNAL.equals(result.error().code())
                || result.error().message() == null || result.error().message().isBlank()) {
            throw new AssertionError(tool + " " + abbreviated(arguments) + ": an undocumented error " + result);
        }
        String text = EventJson.tree(result).toString();
        for (String data : otherTenantsData) {
            if (text.contains(data)) {
                throw new AssertionError(tool + " " + abbreviated(arguments) + " answered another tenant's '" + data
                        + "': " + abbreviated(text));
            }
        }
        return result;
    }

    private static void expectError(ToolResult result, String code) {
        if (!ToolResult.ERROR.equals(result.status()) || !code.equals(result.error().code())) {
            throw new AssertionError("expected " + code + ", got " + result);
        }
    }

    /** A valid argument object with one node replaced, removed or given a field, or no object at all. */
    private JsonNode mutated(Random random, JsonNode valid) {
        if (chance(random, 1, 20)) {
            return hostile.value(random, 3);
        }
        return hostile.mutated(random, valid);
    }

    /** What a webhook answers: JSON of the schema or not, not JSON, JSON and more, empty, or too large. */
    private String answerBody(Random random) {
        return switch (random.nextInt(8)) {
            case 0, 1 -> "{\"status\": \"ok\", \"eta\": " + hostile.value(random, 2) + "}";
            case 2 -> hostile.value(random, 3).toString();
            case 3 -> SeededCases.text(random, 200);
            case 4 -> oneOf(random, "", " ", "null", "{", "{\"status\": \"ok\"} trailing", "{\"status\": \"ok\"}{}",
                    "<html><body>502 Bad Gateway</body></html>", "\ufeff{\"status\": \"ok\"}", "[]");
            case 5 -> "{\"status\": \"" + "x".repeat(MAX_RESPONSE_BYTES - 16 + random.nextInt(32)) + "\"}";
            case 6 -> "{\"status\": \"ok\", \"rows\": [" + "{\"a\": 1},".repeat(random.nextInt(9000)) + "{}]}";
            default -> "{\"status\": " + hostile.leaf(random) + "}";
        };
    }

    /** The body as one JSON value, or null: what a webhook result must be. */
    private static JsonNode strictJson(String body) {
        try {
            var json = EventJson.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body.getBytes(StandardCharsets.UTF_8));
            return json == null || json.isMissingNode() ? null : json;
        } catch (IOException e) {
            return null;
        }
    }

    private static void register(String tenant, WebhookReceiver endpoint, String resultSchema) {
        given().auth().oauth2(GatewayCredentialStub.keyOf(tenant)).delete("/api/v1/tools/" + HOOK); // a test before
        var answer = given().auth().oauth2(GatewayCredentialStub.keyOf(tenant)).contentType("application/json")
                .body("{\"name\": \"" + HOOK + "\", \"description\": \"Where is my order\", \"parameters\": "
                        + PARAMETERS + ", \"webhook\": {\"url\": \"" + endpoint.url() + "\", \"timeoutMs\": 5000, "
                        + "\"idempotent\": false" + (resultSchema == null ? "" : ", \"resultSchema\": " + resultSchema)
                        + "}}")
                .post("/api/v1/tools").then().extract();
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException("tool not registered: " + answer.statusCode() + " " + answer.asString());
        }
        endpoint.secret(answer.path("signingSecret"));
    }

    private void seed() {
        var hours = List.of(1, 2, 3, 4, 5, 6, 7).stream().map(d -> new DemoData.HoursSeed(d, "08:00", "18:00"))
                .toList();
        var data = new DemoData(new DemoData.CalendarSeed("America/New_York", 30), hours,
                List.of(new DemoData.BaySeed("bay-1", "Bay 1")),
                List.of(new DemoData.ServiceTypeSeed("oil_change", "Oil change", 30)),
                List.of(new DemoData.CustomerSeed("Fuzz Caller", PHONE, null, null)), null, null, null);
        QuarkusTransaction.requiringNew().run(() -> seeder.seed(TENANT, data));
    }

    /** A valid call of every built-in tool, for the fuzz tenant's calendar and customer. */
    private static Map<String, String> builtInCalls() {
        String day = Calls.weekday(2, DayOfWeek.TUESDAY).toString();
        String appointment = UUID.randomUUID().toString();
        return Map.ofEntries(
                Map.entry("lookup_customer", "{\"phone\": \"" + PHONE + "\"}"),
                Map.entry("get_upcoming_appointments", "{\"phone\": \"" + PHONE + "\", \"limit\": 3}"),
                Map.entry("get_available_slots", "{\"service_type\": \"oil_change\", \"from_date\": \"" + day
                        + "\", \"to_date\": \"" + day + "\", \"limit\": 3}"),
                Map.entry("book_appointment", "{\"phone\": \"" + PHONE + "\", \"service_type\": \"oil_change\", "
                        + "\"start\": \"" + day + "T09:00\", \"name\": \"Fuzz Caller\", "
                        + "\"vin\": \"1HGCM82633A004352\", \"notes\": \"brakes squeak\"}"),
                Map.entry("cancel_appointment", "{\"appointment_id\": \"" + appointment + "\", \"reason\": \"r\"}"),
                Map.entry("reschedule_appointment", "{\"appointment_id\": \"" + appointment + "\", \"start\": \""
                        + day + "T10:00\"}"),
                Map.entry("decode_vin", "{\"vin\": \"1HGCM82633A004352\"}"),
                Map.entry("get_battle_card", "{\"category\": \"price\", \"competitor\": \"Globex\"}"),
                Map.entry("log_lead", "{\"name\": \"Fuzz Lead\", \"company\": \"Acme\", \"email\": \"a@b.co\", "
                        + "\"phone\": \"" + PHONE + "\", \"interest\": \"x\", \"budget\": \"1k\", "
                        + "\"timeline\": \"q1\", \"notes\": \"n\"}"),
                Map.entry("create_meeting_link", "{\"title\": \"Demo\", \"start\": \"2026-12-20T10:00:00Z\", "
                        + "\"duration_minutes\": 30, \"attendee_name\": \"A\", \"attendee_email\": \"a@b.co\"}"),
                Map.entry("search_knowledge", "{\"query\": \"price\", \"max_results\": 3}"));
    }

    private static String abbreviated(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
