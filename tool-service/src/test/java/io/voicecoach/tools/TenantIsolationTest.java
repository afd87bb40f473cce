package io.voicecoach.tools;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.audit.ToolCallLog;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.tools.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant isolation over Kafka, the path the voice agent uses: a call runs for the envelope's tenant only, whatever
 * tool name or call id it carries. (REST and direct-call isolation: {@link RegistryApiTest},
 * {@link WebhookToolsTest#anotherTenantCanNeitherSeeNorChangeNorCallTheTool()}, {@link KnowledgeSearchTest}.)
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class TenantIsolationTest {

    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ToolCallLog log;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private KafkaTestClient.TopicReader results;
    private WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        results = kafka.read(Topics.TOOL_RESULTS);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        results.close();
        kafka.close();
    }

    @Test
    void aToolCallNamingAnotherTenantsWebhookToolIsUnknownAndNeverReachesTheEndpoint() {
        String name = "crm_sync_" + UUID.randomUUID().toString().substring(0, 8);
        String secret = given().auth().oauth2(OTHER_KEY).contentType("application/json")
                .body("{\"name\": \"" + name + "\", \"description\": \"sync\", \"parameters\": {\"type\": \"object\"}, "
                        + "\"webhook\": {\"url\": \"" + receiver.url() + "\"}}")
                .post("/api/v1/tools").then().statusCode(201).extract().path("signingSecret");
        receiver.secret(secret);
        receiver.script(WebhookReceiver.Answer.ok("{\"synced\": true}"));

        var foreign = call("demo", name, "{}");
        assertThat(foreign.envelope().tenantId()).isEqualTo("demo");
        var refused = foreign.envelope().payloadAs(ToolResult.class);
        assertThat(refused.error().code()).isEqualTo("unknown_tool");
        assertThat(receiver.received()).isEmpty();

        // the owner's call over the same path reaches it
        var own = call("other", name, "{}").envelope().payloadAs(ToolResult.class);
        assertThat(own.ok()).as("result %s", own).isTrue();
        assertThat(own.result().path("synced").asBoolean()).isTrue();
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void aCallIdAnotherTenantUsedIsNotAnsweredWithThatTenantsStoredResult() {
        String callId = "call_" + UUID.randomUUID();
        String session = "sess_" + UUID.randomUUID();
        var demo = call("demo", session, callId, "lookup_customer", "{\"phone\": \"+16175550101\"}")
                .envelope().payloadAs(ToolResult.class);
        assertThat(demo.result().path("found").asBoolean()).isTrue();
        assertThat(demo.result().path("customer").path("name").asText()).isEqualTo("Maria Gonzalez");

        // another tenant sending the same call id (and arguments) gets its own answer, not demo's customer
        var other = call("other", session, callId, "lookup_customer", "{\"phone\": \"+16175550101\"}");
        assertThat(other.envelope().tenantId()).isEqualTo("other");
        var result = other.envelope().payloadAs(ToolResult.class);
        assertThat(result.result().path("found").asBoolean()).isFalse();
        assertThat(result.result().toString()).doesNotContain("Maria");

        // each tenant's audit row holds its own outcome
        var demoRow = QuarkusTransaction.requiringNew().call(() -> log.find("demo", callId).orElseThrow());
        var otherRow = QuarkusTransaction.requiringNew().call(() -> log.find("other", callId).orElseThrow());
        assertThat(demoRow.result.path("found").asBoolean()).isTrue();
        assertThat(otherRow.result.path("found").asBoolean()).isFalse();
    }

    private KafkaTestClient.Received call(String tenant, String tool, String arguments) {
        return call(tenant, "sess_" + UUID.randomUUID(), "call_" + UUID.randomUUID(), tool, arguments);
    }

    private KafkaTestClient.Received call(String tenant, String session, String callId, String tool, String arguments) {
        kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, tenant, session, 1, "test",
                new ToolCall(callId, tool, json(arguments), "test", 15000)));
        return results.awaitOne(r -> r.envelope() != null && tenant.equals(r.envelope().tenantId())
                && callId.equals(r.envelope().payload().path("callId").asText()), WAIT);
    }
}
