package io.voicecoach.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.calls.ToolCallHandler;
import io.voicecoach.tools.WebhookReceiver.Answer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.tools.Calls.error;
import static io.voicecoach.tools.Calls.json;
import static io.voicecoach.tools.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Tenant-defined webhook tools: the REST API that manages them, signing, retries, timeouts and result schemas. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class WebhookToolsTest {

    private static final String DEMO_KEY = GatewayCredentialStub.keyOf("demo");
    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");

    private static final String PROBLEM = "application/problem+json";
    private static final String TENANT = "other";
    private static final String PARAMETERS = """
            {"type": "object",
             "properties": {"order_id": {"type": "string", "pattern": "^ORD-[0-9]+$"}},
             "required": ["order_id"], "additionalProperties": false}""";

    @Inject
    ToolCallHandler handler;

    private Calls calls;
    private WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        calls = new Calls(handler);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aTenantAddsAWebhookToolTheLlmCallsItAndTheReceiverVerifiesTheSignature() throws Exception {
        String name = toolName("order_status");
        var created = given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body(tool(name, false, 2000, null))
                .post("/api/v1/tools").then().statusCode(201)
                .header("Location", containsString("/api/v1/tools/" + name))
                .body("name", equalTo(name)).body("kind", equalTo("webhook")).body("enabled", equalTo(true))
                .body("webhook.url", equalTo(receiver.url())).body("webhook.timeoutMs", equalTo(2000))
                .body("signingSecret", startsWith("whsec_"))
                .extract().jsonPath();
        receiver.secret(created.getString("signingSecret"));

        // listed for the LLM, the secret never shown again
        given().auth().oauth2(OTHER_KEY).get("/api/v1/tools").then().statusCode(200)
                .body("function.name", hasItem(name));
        Calls.asService().get("/internal/v1/tenants/" + TENANT + "/tools").then().statusCode(200)
                .body("tools.find { it.function.name == '" + name + "' }.function.parameters.required[0]",
                        equalTo("order_id"));
        given().auth().oauth2(OTHER_KEY).get("/api/v1/tools/" + name).then().statusCode(200)
                .body("signingSecret", nullValue()).body("webhook.idempotent", equalTo(false))
                .body(not(containsString("whsec_")));

        receiver.script(Answer.ok("{\"status\": \"shipped\", \"eta\": \"2026-12-01\"}"));
        var answered = calls.answer(TENANT, name, "{\"order_id\": \"ORD-42\"}");
        var result = ok(answered.result());
        assertThat(result.path("status").asText()).isEqualTo("shipped");
        assertThat(result.path("eta").asText()).isEqualTo("2026-12-01");

        var request = receiver.received().getFirst();
        assertThat(receiver.received()).hasSize(1);
        assertThat(request.verified()).isTrue();
        JsonNode body = json(request.bodyText());
        assertThat(body.path("tool").asText()).isEqualTo(name);
        assertThat(body.path("call_id").asText()).isEqualTo(answered.result().callId());
        assertThat(body.path("session_id").asText()).startsWith("sess_");
        assertThat(body.path("arguments")).isEqualTo(json("{\"order_id\": \"ORD-42\"}"));
        assertThat(request.header("X-VoiceCoach-Call-Id")).isEqualTo(answered.result().callId());
        long timestamp = Long.parseLong(request.header("X-VoiceCoach-Timestamp"));
        assertThat(timestamp).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());
        assertThat(request.header("X-VoiceCoach-Signature")).matches("v1=[0-9a-f]{64}");

        // the receiver refuses a tampered body and an old timestamp, and accepts the genuine request
        var genuine = replay(request.header("X-VoiceCoach-Timestamp"), request.header("X-VoiceCoach-Signature"),
                request.bodyText());
        assertThat(genuine).isEqualTo(200);
        var tampered = replay(request.header("X-VoiceCoach-Timestamp"), request.header("X-VoiceCoach-Signature"),
                request.bodyText().replace("ORD-42", "ORD-43"));
        assertThat(tampered).isEqualTo(401);
        long old = Instant.now().getEpochSecond() - WebhookReceiver.REPLAY_WINDOW_SECONDS - 60;
        String oldSignature = sign(created.getString("signingSecret"), old, request.bodyText());
        assertThat(replay(Long.toString(old), oldSignature, request.bodyText())).isEqualTo(401);
        assertThat(replay(request.header("X-VoiceCoach-Timestamp"), sign("whsec_wrong", timestamp, request.bodyText()),
                request.bodyText())).isEqualTo(401);
    }

    /** Found by ToolFuzzTest: JSON followed by more text was taken as the JSON. */
    @Test
    void anAnswerOfJsonAndMoreIsNotJson() {
        String name = register(toolName("trailing"), false, 2000, null);
        receiver.script(Answer.ok("{\"status\": \"shipped\"} <html>oops</html>"));
        error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "invalid_result");
        receiver.script(Answer.ok("{\"status\": \"shipped\"}{}"));
        error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "invalid_result");
        receiver.script(new Answer(200, "{\"status\": \"shipped\"}\n", 0, null, "text/plain"));
        assertThat(ok(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}")).path("status").asText())
                .isEqualTo("shipped");
    }

    /** Found by ToolFuzzTest: a tool removed and added again under its name kept its old schemas (cached by version). */
    @Test
    void aToolRemovedAndAddedAgainUsesItsNewSchemas() {
        String name = register(toolName("again"), false, 2000, null);
        receiver.script(Answer.ok("{\"eta\": \"soon\"}"));
        ok(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"));
        given().auth().oauth2(OTHER_KEY).delete("/api/v1/tools/" + name).then().statusCode(204);
        register(name, false, 2000, "{\"type\": \"object\", \"required\": [\"status\"]}");
        error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "invalid_result");
    }

    @Test
    void argumentsBreakingTheToolsSchemaNeverReachTheEndpoint() {
        String name = register(toolName("checked"), false, 2000, null);
        var refused = error(calls.call(TENANT, name, "{\"order_id\": \"42\", \"extra\": 1}"), "invalid_arguments");
        assertThat(refused.result().path("violations").findValuesAsText("keyword"))
                .contains("pattern", "additionalProperties");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void anIdempotentToolIsRetriedAfter5xxAndTimeoutsWithTheSameCallId() {
        String name = register(toolName("retried"), true, 400, null);
        receiver.script(Answer.status(503), Answer.slow(1500), Answer.ok("{\"done\": true}"));
        var result = calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}");
        assertThat(ok(result).path("done").asBoolean()).isTrue();
        var requests = receiver.received();
        assertThat(requests).hasSize(3);
        assertThat(requests).allMatch(WebhookReceiver.Received::verified);
        assertThat(requests.stream().map(r -> r.header("X-VoiceCoach-Call-Id")).distinct())
                .containsExactly(result.callId());
    }

    @Test
    void anIdempotentToolWaitsTheRetryAfterItsEndpointAsksForAndGivesUpAtOnceWhenThatPassesTheDeadline() {
        String name = register(toolName("throttled"), true, 1000, null);
        receiver.script(Answer.unavailable("1"), Answer.ok("{\"done\": true}"));
        assertThat(ok(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}")).path("done").asBoolean()).isTrue();
        var requests = receiver.received();
        assertThat(requests).hasSize(2);
        // webhook.retry-backoff is 50 ms in %test: only the endpoint's Retry-After explains a wait of a second
        assertThat((requests.get(1).atNanos() - requests.get(0).atNanos()) / 1_000_000).isGreaterThanOrEqualTo(950);

        // the tool's own limit (3 x 1000 ms + back-offs + connect timeout) is about 5 s: a 120 s wait does not fit
        receiver.script(Answer.unavailable("120"));
        long start = System.nanoTime();
        var failed = error(calls.call(TENANT, name, "{\"order_id\": \"ORD-2\"}"), "webhook_failed");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(failed.result().path("reason").asText()).isEqualTo("timeout");
        assertThat(failed.result().path("attempts").asInt()).isEqualTo(1);
        assertThat(failed.error().message()).contains("HTTP 503").contains("no time left to retry");
        assertThat(receiver.received()).hasSize(3);
        assertThat(tookMs).as("gave up without waiting for the deadline, ms").isLessThan(4000);
    }

    @Test
    void anIdempotentToolGivesUpAfterItsAttemptsAndA4xxIsNotRetried() {
        String name = register(toolName("failing"), true, 1000, null);
        receiver.script(Answer.status(500));
        var failed = error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "webhook_failed");
        assertThat(failed.result().path("attempts").asInt()).isEqualTo(3);
        assertThat(failed.result().path("status").asInt()).isEqualTo(500);
        assertThat(failed.error().message()).contains("HTTP 500");
        assertThat(receiver.received()).hasSize(3);

        receiver.script(Answer.status(422));
        int before = receiver.received().size();
        var refused = error(calls.call(TENANT, name, "{\"order_id\": \"ORD-2\"}"), "webhook_failed");
        assertThat(refused.result().path("status").asInt()).isEqualTo(422);
        assertThat(refused.result().path("attempts").asInt()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(before + 1);
    }

    @Test
    void aNonIdempotentToolIsCalledOnceEvenAfterA5xxOrATimeout() {
        String name = register(toolName("once"), false, 400, null);
        receiver.script(Answer.status(503));
        var failed = error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "webhook_failed");
        assertThat(failed.result().path("attempts").asInt()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(1);

        receiver.script(Answer.slow(3000));
        long start = System.nanoTime();
        var timedOut = error(calls.call(TENANT, name, "{\"order_id\": \"ORD-2\"}"), "webhook_failed");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(timedOut.result().path("reason").asText()).isEqualTo("timeout");
        assertThat(timedOut.error().message()).contains("400 ms");
        assertThat(tookMs).isLessThan(2500);
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void anAnswerBreakingTheResultSchemaOrNotJsonIsAnInvalidResult() {
        String schema = """
                {"type": "object", "properties": {"status": {"type": "string"}}, "required": ["status"]}""";
        String name = register(toolName("typed"), false, 2000, schema);
        receiver.script(Answer.ok("{\"status\": 5}"));
        var invalid = error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "invalid_result");
        assertThat(invalid.result().path("violations").findValuesAsText("path")).containsExactly("/status");

        receiver.script(new Answer(200, "<html>not json</html>", 0));
        error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "invalid_result");

        receiver.script(Answer.ok("{\"status\": \"open\"}"));
        assertThat(ok(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}")).path("status").asText()).isEqualTo("open");
    }

    @Test
    void registrationRefusesBadNamesSchemasAndEndpointsWithProblemDocuments() {
        String name = toolName("valid");
        bad(tool("has space", false, 1000, null), "name");
        bad(tool("x".repeat(65), false, 1000, null), "name");
        bad(tool(name, false, 50, null), "timeoutMs");
        bad(withParameters(name, "{\"type\": \"objekt\"}"), "parameters");
        bad(withParameters(name, "{\"type\": \"array\"}"), "\"object\"");
        bad(withParameters(name, "{\"type\": \"object\", \"properties\": {\"a\": {\"minLength\": \"three\"}}}"),
                "parameters");
        bad(withParameters(name, "{\"type\": \"object\", \"properties\": {\"a\": "
                + "{\"$ref\": \"https://evil.example/schema.json\"}}}"), "references");
        bad(withParameters(name, "[1, 2]"), "parameters");
        bad(tool(name, false, 1000, "{\"type\": 12}"), "resultSchema");
        bad(tool(name, false, 1000, null).replace(receiver.url(), "http://example.com/hook"), "https://");
        bad(tool(name, false, 1000, null).replace(receiver.url(), "ftp://example.com/hook"), "https://");
        bad(tool(name, false, 1000, null).replace("\"description\"", "\"colour\": \"red\", \"description\""),
                "unknown field 'colour'");
        bad("{\"name\": \"" + name + "\"}", "description");

        given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body(tool("book_appointment", false, 1000, null))
                .post("/api/v1/tools").then().statusCode(409).contentType(PROBLEM);
        register(name, false, 1000, null);
        given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body(tool(name, false, 1000, null))
                .post("/api/v1/tools").then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString("already"));
        // nothing of the refused ones was stored
        given().auth().oauth2(OTHER_KEY).get("/api/v1/tools").then().statusCode(200)
                .body("function.name", hasItem(name)).body("function.name", not(hasItem("has space")));
    }

    @Test
    void aTenantChangesDisablesRotatesAndRemovesItsTool() {
        String name = register(toolName("managed"), false, 1000, null);
        var auth = given().auth().oauth2(OTHER_KEY).contentType("application/json");

        auth.body("{\"description\": \"Where is my order, v2\", \"webhook\": {\"idempotent\": true}}")
                .patch("/api/v1/tools/" + name).then().statusCode(200)
                .body("description", equalTo("Where is my order, v2")).body("webhook.idempotent", equalTo(true))
                .body("webhook.timeoutMs", equalTo(1000)).body("parameters.required[0]", equalTo("order_id"));
        given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body("{\"parameters\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}, "
                        + "\"required\": [\"n\"]}}")
                .patch("/api/v1/tools/" + name).then().statusCode(200).body("parameters.required[0]", equalTo("n"));
        // the changed schema applies to the next call at once
        error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "invalid_arguments");
        receiver.script(Answer.ok("{\"n\": 1}"));
        ok(calls.call(TENANT, name, "{\"n\": 1}"));
        given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body("{\"parameters\": {\"type\": \"objekt\"}}")
                .patch("/api/v1/tools/" + name).then().statusCode(400).contentType(PROBLEM);

        // PUT replaces the definition
        given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body(tool(name, false, 1500, null))
                .put("/api/v1/tools/" + name).then().statusCode(200)
                .body("webhook.timeoutMs", equalTo(1500)).body("webhook.idempotent", equalTo(false))
                .body("parameters.required[0]", equalTo("order_id"));

        // disabled: not listed, not callable, the endpoint not called
        int before = receiver.received().size();
        given().auth().oauth2(OTHER_KEY).contentType("application/json").body("{\"enabled\": false}")
                .patch("/api/v1/tools/" + name).then().statusCode(200).body("enabled", equalTo(false));
        given().auth().oauth2(OTHER_KEY).get("/api/v1/tools").then().body("function.name", not(hasItem(name)));
        Calls.asService().get("/internal/v1/tenants/" + TENANT + "/tools").then()
                .body("tools.function.name", not(hasItem(name)));
        error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "unknown_tool");
        assertThat(receiver.received()).hasSize(before);
        given().auth().oauth2(OTHER_KEY).contentType("application/json").body("{\"enabled\": true}")
                .patch("/api/v1/tools/" + name).then().statusCode(200).body("enabled", equalTo(true));

        // a new secret: the old one no longer verifies, the new one does
        String secret = given().auth().oauth2(OTHER_KEY).post("/api/v1/tools/" + name + "/secret")
                .then().statusCode(200).body("signingSecret", startsWith("whsec_")).extract().path("signingSecret");
        receiver.script(Answer.ok("{\"ok\": true}"));
        error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "webhook_failed");
        receiver.secret(secret);
        ok(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"));

        // built-in tools: only enabled changes, never removed
        given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body("{\"description\": \"mine now\"}").patch("/api/v1/tools/decode_vin").then().statusCode(400)
                .contentType(PROBLEM).body("detail", containsString("built-in"));
        given().auth().oauth2(OTHER_KEY).delete("/api/v1/tools/decode_vin").then().statusCode(400);
        given().auth().oauth2(OTHER_KEY).contentType("application/json").body(tool("decode_vin", false, 1000, null))
                .put("/api/v1/tools/decode_vin").then().statusCode(400);

        given().auth().oauth2(OTHER_KEY).delete("/api/v1/tools/" + name).then().statusCode(204);
        given().auth().oauth2(OTHER_KEY).get("/api/v1/tools/" + name).then().statusCode(404);
        error(calls.call(TENANT, name, "{\"order_id\": \"ORD-1\"}"), "unknown_tool");
    }

    @Test
    void anotherTenantCanNeitherSeeNorChangeNorCallTheTool() {
        String name = register(toolName("private"), false, 1000, null);
        given().auth().oauth2(DEMO_KEY).get("/api/v1/tools").then().statusCode(200)
                .body("function.name", not(hasItem(name)));
        Calls.asService().get("/internal/v1/tenants/demo/tools").then().statusCode(200)
                .body("tools.function.name", not(hasItem(name)));
        given().auth().oauth2(DEMO_KEY).get("/api/v1/tools/" + name).then().statusCode(404)
                .contentType(PROBLEM);
        given().auth().oauth2(DEMO_KEY).contentType("application/json").body("{\"enabled\": false}")
                .patch("/api/v1/tools/" + name).then().statusCode(404);
        given().auth().oauth2(DEMO_KEY).contentType("application/json").body(tool(name, true, 1000, null))
                .put("/api/v1/tools/" + name).then().statusCode(404);
        given().auth().oauth2(DEMO_KEY).delete("/api/v1/tools/" + name).then().statusCode(404);
        given().auth().oauth2(DEMO_KEY).post("/api/v1/tools/" + name + "/secret").then().statusCode(404);
        var refused = error(calls.call("demo", name, "{\"order_id\": \"ORD-1\"}"), "unknown_tool");
        assertThat(refused.error().message()).doesNotContain(name + ",").doesNotEndWith(name);
        assertThat(receiver.received()).isEmpty();

        // the owner's tool is untouched, and the other tenant may register one of the same name for itself
        given().auth().oauth2(OTHER_KEY).get("/api/v1/tools/" + name).then().statusCode(200)
                .body("enabled", equalTo(true)).body("webhook.timeoutMs", equalTo(1000));
        given().auth().oauth2(DEMO_KEY).contentType("application/json").body(tool(name, false, 700, null))
                .post("/api/v1/tools").then().statusCode(201);
        given().auth().oauth2(OTHER_KEY).get("/api/v1/tools/" + name).then().statusCode(200)
                .body("webhook.timeoutMs", equalTo(1000));
    }

    private String register(String name, boolean idempotent, int timeoutMs, String resultSchema) {
        String secret = given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body(tool(name, idempotent, timeoutMs, resultSchema))
                .post("/api/v1/tools").then().statusCode(201).extract().path("signingSecret");
        receiver.secret(secret);
        return name;
    }

    private String tool(String name, boolean idempotent, int timeoutMs, String resultSchema) {
        return "{\"name\": \"" + name + "\", \"description\": \"Where is my order\", \"parameters\": " + PARAMETERS
                + ", \"webhook\": {\"url\": \"" + receiver.url() + "\", \"timeoutMs\": " + timeoutMs
                + ", \"idempotent\": " + idempotent
                + (resultSchema == null ? "" : ", \"resultSchema\": " + resultSchema) + "}}";
    }

    private String withParameters(String name, String parameters) {
        return tool(name, false, 1000, null).replace(PARAMETERS, parameters);
    }

    private static void bad(String body, String detail) {
        given().auth().oauth2(OTHER_KEY).contentType("application/json").body(body)
                .post("/api/v1/tools").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString(detail));
    }

    private int replay(String timestamp, String signature, String body) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(URI.create(receiver.url()))
                    .header("X-VoiceCoach-Timestamp", timestamp)
                    .header("X-VoiceCoach-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static String sign(String secret, long timestamp, String body) throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1=" + java.util.HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static String toolName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

}
