package io.voicecoach.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.WebhookReceiver.Answer;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostile tenant's webhooks send their headers at once and then trickle the body: each call is cut at its timeout
 * (the body included), none holds a database transaction, and the tenant gets only its share of the workers, so
 * another tenant's tool calls keep answering in their usual time.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class SlowWebhookTest {

    private static final String VICTIM = "demo";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The slow tool's timeout: each of its calls holds a worker this long at most. */
    private static final int WEBHOOK_TIMEOUT_MS = 3000;

    @Inject
    EntityManager entityManager;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final String attacker = "slow-" + UUID.randomUUID();
    private final String session = "sess_" + UUID.randomUUID();
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
    void eightTricklingWebhooksOfOneTenantLeaveAnotherTenantsToolsTheirUsualTime() {
        String tool = "trickle_" + UUID.randomUUID().toString().substring(0, 8);
        String secret = given().auth().oauth2(GatewayCredentialStub.keyOf(attacker)).contentType("application/json")
                .body("{\"name\": \"" + tool + "\", \"description\": \"slow\", \"parameters\": {\"type\": \"object\"},"
                        + " \"webhook\": {\"url\": \"" + receiver.url() + "\", \"timeoutMs\": " + WEBHOOK_TIMEOUT_MS
                        + "}}")
                .post("/api/v1/tools").then().statusCode(201).extract().path("signingSecret");
        receiver.secret(secret);
        receiver.script(Answer.trickle(200));

        long usual = victimCallMillis();

        long floodStart = System.nanoTime();
        var slowCalls = new ArrayList<String>();
        for (int i = 0; i < 8; i++) {
            slowCalls.add(send(attacker, tool));
        }
        // the tenant's share (webhook.tenant-concurrency, 4) is called; the rest are refused at once
        await().atMost(WAIT).until(() -> receiver.received().size() == 4);
        var refused = results.await(r -> isResultOf(r, slowCalls) && code(r).equals("tool_busy"), 4, WAIT);
        assertThat(refused).hasSize(4);
        assertThat(idleInTransaction()).as("connections idle in a transaction while the webhooks trickle").isZero();

        var during = new ArrayList<Long>();
        for (int i = 0; i < 5; i++) {
            during.add(victimCallMillis());
        }
        assertThat(receiver.received()).hasSize(4);
        assertThat(during).as("the victim's calls while the flood runs (usual: %d ms)", usual)
                .allMatch(ms -> ms < Math.max(1500, usual * 5));

        var cut = results.await(r -> isResultOf(r, slowCalls) && code(r).equals("webhook_failed"), 4, WAIT);
        long floodMs = (System.nanoTime() - floodStart) / 1_000_000;
        assertThat(cut).hasSize(4).allMatch(r -> payload(r).result().path("reason").asText().equals("timeout"));
        assertThat(floodMs).as("the trickling bodies (30 s) were cut at the tool's timeout, ms")
                .isLessThan(WEBHOOK_TIMEOUT_MS + 10_000);
    }

    private long victimCallMillis() {
        long start = System.nanoTime();
        String callId = send(VICTIM, "get_battle_card");
        var result = results.awaitOne(r -> isResultOf(r, List.of(callId)), WAIT);
        assertThat(payload(result).status()).as("victim's result %s", payload(result)).isEqualTo(ToolResult.OK);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private String send(String tenant, String tool) {
        String callId = "call_" + UUID.randomUUID();
        JsonNode arguments = EventJson.MAPPER.createObjectNode().put("category", "price");
        kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, tenant, session, 1, "coaching-service",
                new ToolCall(callId, tool, arguments, "coaching-service", 15000)));
        return callId;
    }

    private long idleInTransaction() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' "
                        + "AND datname = current_database()").getSingleResult()).longValue());
    }

    private static boolean isResultOf(KafkaTestClient.Received received, List<String> callIds) {
        var envelope = received.envelope();
        return envelope != null && EventTypes.TOOL_RESULT.equals(envelope.type())
                && callIds.contains(envelope.payload().path("callId").asText());
    }

    private static ToolResult payload(KafkaTestClient.Received received) {
        return received.envelope().payloadAs(ToolResult.class);
    }

    private static String code(KafkaTestClient.Received received) {
        var error = payload(received).error();
        return error == null ? "" : error.code();
    }
}
