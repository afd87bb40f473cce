package io.voicecoach.tools;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionErased;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.Topics;
import io.voicecoach.tools.audit.ToolCallLog;
import io.voicecoach.tools.calls.ToolCallHandler;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.voicecoach.tools.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** session.erased deletes the audit rows of the envelope's tenant only: its session, or all its sessions. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
class ErasureTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ToolCallHandler handler;

    @Inject
    ToolCallLog log;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final String tenant = "erase-" + UUID.randomUUID();
    private final String neighbour = "keep-" + UUID.randomUUID();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aSessionsErasureDeletesThatSessionsCallsOfItsTenantOnly() {
        String session = "sess_" + UUID.randomUUID();
        String otherSession = "sess_" + UUID.randomUUID();
        call(tenant, session);
        call(tenant, session);
        call(tenant, otherSession);
        call(neighbour, session); // the same session id under another tenant

        erase(tenant, session, SessionErased.SESSION);

        await().atMost(WAIT).until(() -> rows(tenant, session) == 0);
        assertThat(rows(tenant, otherSession)).isEqualTo(1);
        assertThat(rows(neighbour, session)).isEqualTo(1);
    }

    @Test
    void aTenantsErasureDeletesAllItsCallsAndNoneOfAnotherTenant() {
        String session = "sess_" + UUID.randomUUID();
        call(tenant, session);
        call(tenant, "sess_" + UUID.randomUUID());
        call(neighbour, session);

        erase(tenant, "erase:" + tenant + ":0", SessionErased.TENANT);

        await().atMost(WAIT).until(() -> rows(tenant) == 0);
        assertThat(rows(neighbour)).isEqualTo(1);
    }

    private void call(String tenantId, String sessionId) {
        handler.answer(tenantId, sessionId, new ToolCall("call_" + UUID.randomUUID(), "decode_vin",
                json("{\"vin\": \"1HGCM82633A004352\"}"), "test", 15000));
    }

    private long rows(String tenantId, String sessionId) {
        return QuarkusTransaction.requiringNew().call(
                () -> log.count("tenantId = ?1 and sessionId = ?2", tenantId, sessionId));
    }

    private long rows(String tenantId) {
        return QuarkusTransaction.requiringNew().call(() -> log.count("tenantId", tenantId));
    }

    private void erase(String tenantId, String key, String scope) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_ERASED, tenantId, key, 1, "analytics-service",
                new SessionErased(scope, "api")));
    }
}
