package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import io.voicecoach.gateway.tenant.Verification;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 19: a revoked credential or a suspended tenant closes its open connections at once (close 4010). */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class RevocationTest {

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @TestHTTPResource("/v1/twilio/media")
    URI twilio;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    @Inject
    SessionFactory database;

    @Inject
    MeterRegistry meters;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void revokingAKeyClosesItsConnectionsAndThoseOfTheSecretsItMinted() {
        var tenant = new TestTenants(directory, apiKeys).create("revoke");
        String otherKey = ApiKeys.newApiKey();
        apiKeys.register(tenant.id(), otherKey);
        String secret = given().header("Authorization", "Bearer " + tenant.key()).post("/v1/realtime/client_secrets")
                .then().statusCode(200).extract().jsonPath().getString("value");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var byKey = RealtimeClient.connect(websocket(realtime), tenant.key());
             var bySecret = RealtimeClient.connect(websocket(realtime), secret);
             var byOtherKey = RealtimeClient.connect(websocket(realtime), otherKey)) {
            String sessionId = byKey.sessionId();
            bySecret.sessionId();
            byOtherKey.sessionId();
            byKey.send(textItem("evt_rev", null, "Hello.", "agent"));
            sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_STARTED.equals(r.envelope().type()), WAIT);

            assertThat(apiKeys.revoke(tenant.key())).isTrue();

            assertThat(byKey.awaitCloseCode()).isEqualTo(4010);
            assertThat(byKey.closeReason()).isEqualTo("revoked_credentials");
            assertThat(bySecret.awaitCloseCode()).isEqualTo(4010);
            var ended = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_ENDED.equals(r.envelope().type()), WAIT);
            assertThat(ended.envelope().payloadAs(SessionEnded.class).reason()).isEqualTo("revoked_credentials");
            // the tenant's other key still works
            byOtherKey.send(textItem("evt_other", null, "Still here.", "agent"));
            byOtherKey.awaitType("conversation.item.created");
            assertThat(byOtherKey.closeCode()).isEqualTo(-1);
        }
    }

    /** What another instance does: the database changes, this instance's cache and admin API are not told. */
    @Test
    void aRevocationMadeElsewhereClosesTheConnectionWithinTheRecheckInterval() {
        var tenant = new TestTenants(directory, apiKeys).create("revoke_elsewhere");
        try (var client = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            client.sessionId();
            assertThat(directory.revoke(ApiKeys.hash(tenant.key()))).isTrue();
            assertThat(client.awaitCloseCode()).isEqualTo(4010);
            assertThat(client.closeReason()).isEqualTo("revoked_credentials");
        }
    }

    @Test
    void suspendingATenantClosesItsRealtimeAndTwilioConnections() {
        var tenant = new TestTenants(directory, apiKeys).create("suspend");
        var other = new TestTenants(directory, apiKeys).create("suspend_other");
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), tenant.key());
             var otherClient = RealtimeClient.connect(websocket(realtime), other.key());
             var call = new TwilioClient(websocket(twilio), callSid)) {
            client.sessionId();
            otherClient.sessionId();
            call.start(Map.of("api_key", tenant.key()), List.of("inbound"));
            sessions.awaitOne(r -> r.envelope() != null && EventTypes.SESSION_STARTED.equals(r.envelope().type())
                    && callSid.equals(r.envelope().payloadAs(SessionStarted.class).callId()), WAIT);

            directory.setStatus(tenant.id(), "suspended");
            apiKeys.evictAll();

            assertThat(client.awaitCloseCode()).isEqualTo(4010);
            assertThat(client.closeReason()).isEqualTo("tenant_suspended");
            assertThat(call.awaitCloseCode()).isEqualTo(4010);
            assertThat(call.closeReason()).isEqualTo("tenant_suspended");
            otherClient.send(textItem("evt_other", null, "Unaffected.", "agent"));
            otherClient.awaitType("conversation.item.created");
            assertThat(otherClient.closeCode()).isEqualTo(-1);
        }
    }

    /** The recheck costs one query per interval however many credentials are open (not one lookup per credential). */
    @Test
    void theOpenConnectionsOfManyClientSecretsAreRecheckedWithOneStatementPerInterval() {
        var tenant = new TestTenants(directory, apiKeys).create("recheck_cost");
        var clients = new ArrayList<RealtimeClient>();
        try {
            for (int i = 0; i < 40; i++) {
                String secret = given().header("Authorization", "Bearer " + tenant.key())
                        .post("/v1/realtime/client_secrets").then().statusCode(200).extract().jsonPath()
                        .getString("value");
                var client = RealtimeClient.connect(websocket(realtime), secret);
                clients.add(client);
                client.sessionId();
            }
            var statistics = database.getStatistics();
            double before = rechecks();
            statistics.clear();
            await().atMost(WAIT).until(() -> rechecks() >= before + 3);
            long statements = statistics.getPrepareStatementCount();
            double ran = rechecks() - before;
            // each recheck that ran is one statement; one more may be in flight
            assertThat(statements).as("statements for %s rechecks of 40 secrets", ran)
                    .isLessThanOrEqualTo((long) ran + 1);

            // and it still finds them: a revocation elsewhere closes all 40
            assertThat(directory.revoke(ApiKeys.hash(tenant.key()))).isTrue();
            for (var client : clients) {
                assertThat(client.awaitCloseCode()).isEqualTo(4010);
                assertThat(client.closeReason()).isEqualTo("revoked_credentials");
            }
        } finally {
            clients.forEach(RealtimeClient::close);
        }
    }

    @Test
    void theBatchedRecheckNamesRevokedAndSuspendedCredentialsOnly() {
        var revoked = new TestTenants(directory, apiKeys).create("recheck_revoked");
        var suspended = new TestTenants(directory, apiKeys).create("recheck_suspended");
        var active = new TestTenants(directory, apiKeys).create("recheck_active");
        // a secret past its expiry whose key is then revoked: its connection closes too
        String expiredSecret = ApiKeys.hash("ek_expired_" + UUID.randomUUID());
        directory.storeClientSecret(revoked.id(), directory.keysOf(revoked.id()).getFirst().id, expiredSecret,
                Instant.now().minusSeconds(5), null);
        String activeSecret = ApiKeys.hash("ek_active_" + UUID.randomUUID());
        directory.storeClientSecret(active.id(), directory.keysOf(active.id()).getFirst().id, activeSecret,
                Instant.now().plusSeconds(600), null);
        directory.revoke(ApiKeys.hash(revoked.key()));
        directory.setStatus(suspended.id(), "suspended");

        var refusals = directory.closingRefusals(List.of(ApiKeys.hash(revoked.key()), expiredSecret,
                ApiKeys.hash(suspended.key()), ApiKeys.hash(active.key()), activeSecret,
                ApiKeys.hash("vc_unknown_" + UUID.randomUUID())));

        assertThat(refusals).containsExactlyInAnyOrderEntriesOf(Map.of(
                ApiKeys.hash(revoked.key()), Verification.REVOKED,
                expiredSecret, Verification.REVOKED,
                ApiKeys.hash(suspended.key()), Verification.TENANT_SUSPENDED));
    }

    private double rechecks() {
        return meters.counter("voicecoach.gateway.credential.rechecks").count();
    }
}
