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
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.tools.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenant isolation over Kafka, the path the voice agent uses: a call runs for the envelope's tenant only, whatever
 * tool name or call id it carries, and one tenant's slow webhooks cannot stall another's calls. (REST and direct-call isolation: {@link RegistryApiTest},
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
    /** The slow tool's timeout: each of its calls holds a worker this long at most. */
    private static final int WEBHOOK_TIMEOUT_MS = 3000;

    @Inject
    ToolCallLog log;

    @Inject
    EntityManager entityManager;

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

    /**
     * A hostile tenant's webhooks send their headers at once and then trickle the body (30 s): each call is cut at its
     * timeout (the body included), none holds a database transaction, and the tenant gets only its share of the
     * workers, so another tenant's tool calls keep answering in their usual time.
     */
    @Test
    void eightTricklingWebhooksOfOneTenantLeaveAnotherTenantsToolsTheirUsualTime() {
        String attacker = "slow-" + UUID.randomUUID();
        String tool = "trickle_" + UUID.randomUUID().toString().substring(0, 8);
        String secret = given().auth().oauth2(GatewayCredentialStub.keyOf(attacker)).contentType("application/json")
                .body("{\"name\": \"" + tool + "\", \"description\": \"slow\", \"parameters\": {\"type\": \"object\"},"
                        + " \"webhook\": {\"url\": \"" + receiver.url() + "\", \"timeoutMs\": " + WEBHOOK_TIMEOUT_MS
                        + "}}")
                .post("/api/v1/tools").then().statusCode(201).extract().path("signingSecret");
        receiver.secret(secret);
        receiver.script(WebhookReceiver.Answer.trickle(200));

        long usual = victimCallMillis();

        long floodStart = System.nanoTime();
        var slowCalls = new ArrayList<String>();
        String session = "sess_" + UUID.randomUUID();
        for (int i = 0; i < 8; i++) {
            String callId = "call_" + UUID.randomUUID();
            slowCalls.add(callId);
            send(attacker, session, callId, tool, "{}");
        }
        // the tenant's share (webhook.tenant-concurrency, 4) is called; the rest are refused at once
        await().atMost(WAIT).until(() -> receiver.received().size() == 4);
        assertThat(results.await(r -> resultOf(r, slowCalls, "tool_busy"), 4, WAIT)).hasSize(4);
        assertThat(idleInTransaction()).as("connections idle in a transaction while the webhooks trickle").isZero();

        var during = new ArrayList<Long>();
        for (int i = 0; i < 5; i++) {
            during.add(victimCallMillis());
        }
        assertThat(receiver.received()).hasSize(4);
        assertThat(during).as("the victim's calls while the flood runs (usual: %d ms)", usual)
                .allMatch(ms -> ms < Math.max(1500, usual * 5));

        var cut = results.await(r -> resultOf(r, slowCalls, "webhook_failed"), 4, WAIT);
        long floodMs = (System.nanoTime() - floodStart) / 1_000_000;
        assertThat(cut).hasSize(4).allMatch(r -> r.envelope().payloadAs(ToolResult.class).result()
                .path("reason").asText().equals("timeout"));
        assertThat(floodMs).as("the trickling bodies (30 s) were cut at the tool's timeout, ms")
                .isLessThan(WEBHOOK_TIMEOUT_MS + 10_000);
    }

    private KafkaTestClient.Received call(String tenant, String tool, String arguments) {
        return call(tenant, "sess_" + UUID.randomUUID(), "call_" + UUID.randomUUID(), tool, arguments);
    }

    private KafkaTestClient.Received call(String tenant, String session, String callId, String tool, String arguments) {
        send(tenant, session, callId, tool, arguments);
        return results.awaitOne(r -> r.envelope() != null && tenant.equals(r.envelope().tenantId())
                && callId.equals(r.envelope().payload().path("callId").asText()), WAIT);
    }

    private void send(String tenant, String session, String callId, String tool, String arguments) {
        kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, tenant, session, 1, "test",
                new ToolCall(callId, tool, json(arguments), "test", 15000)));
    }

    /** Milliseconds from sending a {@code get_battle_card} call of tenant demo to its result. */
    private long victimCallMillis() {
        long start = System.nanoTime();
        var result = call("demo", "get_battle_card", "{\"category\": \"price\"}").envelope().payloadAs(ToolResult.class);
        assertThat(result.ok()).as("victim's result %s", result).isTrue();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private long idleInTransaction() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' "
                        + "AND datname = current_database()").getSingleResult()).longValue());
    }

    private static boolean resultOf(KafkaTestClient.Received received, List<String> callIds, String code) {
        var envelope = received.envelope();
        if (envelope == null || !EventTypes.TOOL_RESULT.equals(envelope.type())
                || !callIds.contains(envelope.payload().path("callId").asText())) {
            return false;
        }
        var error = envelope.payloadAs(ToolResult.class).error();
        return error != null && error.code().equals(code);
    }
}
