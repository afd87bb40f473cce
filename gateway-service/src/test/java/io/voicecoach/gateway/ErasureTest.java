package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionErased;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19: {@code session.erased} reaches the gateway. The erased session is closed (4011) and ended, its snapshot on
 * {@code gateway.sessions} is tombstoned and it can be resumed nowhere, also when another instance held it; a session
 * of another tenant named by the same id stays as it was.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class ErasureTest {

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    @Inject
    SessionStore store;

    @Inject
    SessionRegistry registry;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final StateRecords records = new StateRecords();

    @AfterEach
    void close() {
        records.close();
        kafka.close();
    }

    @Test
    void anErasedLiveSessionIsClosedTombstonedAndCannotBeResumed() {
        var tenant = new TestTenants(directory, apiKeys).create("erase");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var snapshots = kafka.read(Topics.GATEWAY_SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            String sessionId = client.sessionId();
            client.send(textItem("evt_erase", null, "My card number is 4111.", "customer"));
            client.awaitType("conversation.item.created");
            await().atMost(WAIT).until(() -> store.find(sessionId).isPresent());

            erase(tenant.id(), sessionId, sessionId, SessionErased.SESSION);

            assertThat(client.awaitCloseCode()).isEqualTo(4011);
            assertThat(client.closeReason()).isEqualTo("session_erased");
            snapshots.awaitOne(r -> sessionId.equals(r.key()) && r.value() == null, WAIT);
            await().atMost(WAIT).until(() -> store.find(sessionId).isEmpty() && registry.find(sessionId).isEmpty());
            assertThat(RealtimeClient.refusal(resume(sessionId), tenant.key())).isEqualTo(404);
            var ended = TestEvents.awaitEvent(sessions, sessionId, EventTypes.SESSION_ENDED);
            assertThat(ended.payloadAs(SessionEnded.class).reason()).isEqualTo("session_erased");
        }
    }

    /** Two instances: the session is held by another (live) one; this one drops and tombstones its snapshot too. */
    @Test
    void aSessionHeldByAnotherInstanceIsForgottenHereAndAnotherTenantsSameIdSessionIsUntouched() {
        var tenant = new TestTenants(directory, apiKeys).create("erase_held");
        var neighbour = new TestTenants(directory, apiKeys).create("erase_keep");
        String elsewhere = "sess_" + UUID.randomUUID();
        try (var snapshots = kafka.read(Topics.GATEWAY_SESSIONS);
             var kept = RealtimeClient.connect(websocket(realtime), neighbour.key())) {
            String keptId = kept.sessionId();
            records.beat("gw-other");
            records.snapshot(StateRecords.snapshot(tenant.id(), elsewhere, "gw-other", Instant.now()));
            await().atMost(WAIT).until(() -> store.find(elsewhere).isPresent() && store.find(keptId).isPresent());

            // the neighbour's session id under the erasing tenant: nothing may happen to it
            erase(tenant.id(), keptId, keptId, SessionErased.SESSION);
            // then, on the same partition (keyed alike) so it is read after, the tenant's own session
            erase(tenant.id(), keptId, elsewhere, SessionErased.SESSION);

            snapshots.awaitOne(r -> elsewhere.equals(r.key()) && r.value() == null, WAIT);
            await().atMost(WAIT).until(() -> store.find(elsewhere).isEmpty());
            assertThat(RealtimeClient.refusal(resume(elsewhere), tenant.key())).isEqualTo(404);
            assertThat(snapshots.all()).noneMatch(r -> keptId.equals(r.key()) && r.value() == null);
            assertThat(store.find(keptId)).isPresent();
            assertThat(registry.find(keptId)).isPresent();
            kept.send(textItem("evt_kept", null, "Still here.", "customer"));
            kept.awaitType("conversation.item.created");
            assertThat(kept.closeCode()).isEqualTo(-1);
        }
    }

    @Test
    void aTenantsErasureClosesAllItsSessionsAndNoneOfAnotherTenant() {
        var tenant = new TestTenants(directory, apiKeys).create("erase_all");
        var neighbour = new TestTenants(directory, apiKeys).create("erase_all_keep");
        String elsewhere = "sess_" + UUID.randomUUID();
        try (var first = RealtimeClient.connect(websocket(realtime), tenant.key());
             var second = RealtimeClient.connect(websocket(realtime), tenant.key());
             var kept = RealtimeClient.connect(websocket(realtime), neighbour.key())) {
            String firstId = first.sessionId();
            String secondId = second.sessionId();
            String keptId = kept.sessionId();
            records.snapshot(StateRecords.snapshot(tenant.id(), elsewhere, "gw-dead", Instant.now()));
            await().atMost(WAIT).until(() -> store.find(elsewhere).isPresent());

            erase(tenant.id(), "erase:" + tenant.id() + ":0", "erase:" + tenant.id() + ":0", SessionErased.TENANT);

            assertThat(first.awaitCloseCode()).isEqualTo(4011);
            assertThat(second.awaitCloseCode()).isEqualTo(4011);
            await().atMost(WAIT).until(() -> store.find(elsewhere).isEmpty() && store.find(firstId).isEmpty()
                    && store.find(secondId).isEmpty());
            assertThat(RealtimeClient.refusal(resume(firstId), tenant.key())).isEqualTo(404);
            kept.send(textItem("evt_kept_all", null, "Unaffected.", "customer"));
            kept.awaitType("conversation.item.created");
            assertThat(kept.closeCode()).isEqualTo(-1);
            assertThat(store.find(keptId)).isPresent();
        }
    }

    /** A {@code session.erased} as analytics publishes it; {@code key} chooses the partition. */
    private void erase(String tenantId, String key, String sessionId, String scope) {
        var envelope = Envelope.of(EventTypes.SESSION_ERASED, tenantId, sessionId, 1, "analytics-service",
                new SessionErased(scope, "api"));
        kafka.sendRaw(Topics.SESSIONS, key, EventJson.encode(envelope));
    }

    private URI resume(String sessionId) {
        return URI.create(websocket(realtime) + "?session_id=" + sessionId);
    }
}
