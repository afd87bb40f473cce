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
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;

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
}
