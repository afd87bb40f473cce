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
import io.voicecoach.tools.calls.ToolCallHandler;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.voicecoach.tools.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-call deadlines and per-tenant rate limits. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class LimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ToolCallHandler handler;

    @Inject
    ToolCallLog log;

    @Inject
    EntityManager entityManager;

    @Test
    void aCallWhoseCallerHasGivenUpIsAnsweredTimeoutWithoutRunning() {
        String session = "sess_" + UUID.randomUUID();
        String callId = "call_" + UUID.randomUUID();
        String email = "late-" + UUID.randomUUID() + "@example.com";
        var call = new ToolCall(callId, "log_lead", json("{\"name\": \"Late Lead\", \"email\": \"" + email + "\"}"),
                "test", 1000);
        try (var kafka = KafkaTestClient.forSharedBroker(); var results = kafka.read(Topics.TOOL_RESULTS)) {
            kafka.send(Topics.TOOL_CALLS, new Envelope(UUID.randomUUID(), EventTypes.TOOL_CALL, Envelope.SCHEMA_VERSION,
                    "saas-demo", session, 1, Instant.now().minusSeconds(10), "test", io.voicecoach.events.EventJson.tree(call)));
            var result = results.awaitOne(r -> r.envelope() != null
                    && callId.equals(r.envelope().payload().path("callId").asText()), WAIT).envelope().payloadAs(ToolResult.class);
            assertThat(result.status()).isEqualTo(ToolResult.ERROR);
            assertThat(result.error().code()).isEqualTo("timeout");
            assertThat(result.error().message()).contains("1000 ms");
        }
        assertThat(leads(email)).isZero();
        var record = QuarkusTransaction.requiringNew().call(() -> log.find("saas-demo", callId).orElseThrow());
        assertThat(record.errorCode).isEqualTo("timeout");
    }

    @Test
    void aToolThatOverrunsItsLimitIsCancelledRolledBackAndAnsweredTimeout() {
        String session = "sess_" + UUID.randomUUID();
        String callId = "call_" + UUID.randomUUID();
        try (var kafka = KafkaTestClient.forSharedBroker(); var results = kafka.read(Topics.TOOL_RESULTS)) {
            kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, "demo", session, 1, "test",
                    new ToolCall(callId, "test_sleeps_in_sql", json("{}"), "test", 30000)));
            var published = results.awaitOne(r -> r.envelope() != null
                    && callId.equals(r.envelope().payload().path("callId").asText()), WAIT).envelope();
            var result = published.payloadAs(ToolResult.class);
            assertThat(result.error().code()).isEqualTo("timeout");
            assertThat(result.error().message()).contains("800 ms");
            // pg_sleep(5) was cancelled at the 800 ms limit, not waited out
            assertThat(result.latencyMs()).isBetween(700L, 4000L);

            // the lead the tool wrote before sleeping was rolled back; the timeout is recorded and replayed
            assertThat(leads(callId + "@slow.example")).isZero();
            assertThat(QuarkusTransaction.requiringNew().call(() -> log.find("demo", callId).orElseThrow()).errorCode)
                    .isEqualTo("timeout");
            kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, "demo", session, 2, "test",
                    new ToolCall(callId, "test_sleeps_in_sql", json("{}"), "test", 30000)));
            var replayed = results.await(r -> r.envelope() != null
                    && callId.equals(r.envelope().payload().path("callId").asText()), 2, WAIT);
            assertThat(replayed.get(1).envelope().eventId()).isEqualTo(published.eventId());
        }
    }

    @Test
    void aTenantOverItsRateLimitGetsRateLimitedOthersDoNot() {
        // tenant "limited": burst 3, practically no refill (%test config)
        var calls = new Calls(handler);
        int limited = 0;
        int answered = 0;
        for (int i = 0; i < 6; i++) {
            var result = calls.call("limited", "decode_vin", "{\"vin\": \"1HGCM82633A004352\"}");
            if (!result.ok() && "rate_limited".equals(result.error().code())) {
                limited++;
            } else {
                assertThat(result.ok()).as("result %s", result).isTrue();
                answered++;
            }
        }
        assertThat(answered).isEqualTo(3);
        assertThat(limited).isEqualTo(3);
        // another tenant is unaffected
        assertThat(calls.call("demo", "decode_vin", "{\"vin\": \"1HGCM82633A004352\"}").ok()).isTrue();
    }

    private long leads(String email) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("SELECT count(*) FROM leads WHERE email = :e")
                .setParameter("e", email).getSingleResult()).longValue());
    }
}
