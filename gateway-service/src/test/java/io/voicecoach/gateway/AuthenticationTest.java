package io.voicecoach.gateway;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.gateway.tenant.ApiKeyRepository;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.platform.security.ServiceCredentials;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class AuthenticationTest {

    /** {@code %test.voicecoach.auth.service-token}: what the other services present on /internal/v1/*. */
    static final String SERVICE_TOKEN = "vcs_gateway_test_0123456789";

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    ApiKeys apiKeys;

    @Inject
    ApiKeyRepository keys;

    @Test
    void refusesTheUpgradeWithoutAKey() {
        assertThat(RealtimeClient.refusal(websocket(realtime), null)).isEqualTo(401);
    }

    @Test
    void refusesTheUpgradeWithAnUnknownKey() {
        assertThat(RealtimeClient.refusal(websocket(realtime), "vc_nobody_" + UUID.randomUUID())).isEqualTo(401);
    }

    @Test
    void refusesTheUpgradeWithARevokedKey() {
        String key = "vc_revoked_" + UUID.randomUUID();
        apiKeys.register(DEMO_TENANT, key);
        try (var accepted = RealtimeClient.connect(websocket(realtime), key)) {
            assertThat(accepted.sessionId()).startsWith("sess_");
        }

        assertThat(apiKeys.revoke(key)).isTrue();

        assertThat(RealtimeClient.refusal(websocket(realtime), key)).isEqualTo(401);
    }

    @Test
    void refusalCarriesAProblemBody() {
        given().header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Authorization", "Bearer vc_wrong_key_123456")
                .get(realtime)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }

    @Test
    void acceptsTheBootstrapKeyAndCreatesASession() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            var created = client.awaitType("session.created");
            var session = created.path("session");
            assertThat(created.path("event_id").asText()).startsWith("evt_");
            assertThat(session.path("id").asText()).startsWith("sess_");
            assertThat(session.path("object").asText()).isEqualTo("realtime.session");
            assertThat(session.path("type").asText()).isEqualTo("realtime");
            assertThat(session.path("voicecoach").path("mode").asText()).isEqualTo("coach");
            assertThat(session.path("voicecoach").path("call_id").asText()).isEqualTo(session.path("id").asText());
            assertThat(session.path("voicecoach").path("rep_id").isNull()).isTrue();
        }
    }

    @Test
    void storesOnlyTheHashAndPrefixOfTheBootstrapKey() {
        var stored = QuarkusTransaction.requiringNew().call(() -> keys.findByHash(ApiKeys.hash(DEMO_KEY)).orElseThrow());
        assertThat(stored.tenantId).isEqualTo(DEMO_TENANT);
        assertThat(stored.keyHash).hasSize(64).matches("[0-9a-f]+");
        assertThat(stored.keyPrefix).isEqualTo("vc_demo_");
        assertThat(stored.revokedAt).isNull();
    }

    @Test
    void verifiesCredentialsForOtherServices() {
        given().header(ServiceCredentials.HEADER, SERVICE_TOKEN).header("Authorization", "Bearer " + DEMO_KEY)
                .post("/internal/v1/credentials/verify")
                .then().statusCode(200)
                .body("tenantId", equalTo(DEMO_TENANT));
    }

    @Test
    void onlyOtherServicesMayAskForAVerification() {
        given().header("Authorization", "Bearer " + DEMO_KEY).post("/internal/v1/credentials/verify")
                .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("forbidden"));
        given().header(ServiceCredentials.HEADER, "vcs_guessed").header("Authorization", "Bearer " + DEMO_KEY)
                .post("/internal/v1/credentials/verify")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("invalid service credential"))
                .body("code", equalTo("invalid_service_credential"));
    }

    @Test
    void aVerificationSaysWhyAKeyIsRefused() {
        String key = "vc_revoked_" + UUID.randomUUID();
        apiKeys.register(DEMO_TENANT, key);
        verify(key).then().statusCode(200).body("tenantId", equalTo(DEMO_TENANT));
        assertThat(apiKeys.revoke(key)).isTrue();
        verify(key).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("code", equalTo("revoked_credentials"));
    }

    private static io.restassured.response.Response verify(String key) {
        return given().header(ServiceCredentials.HEADER, SERVICE_TOKEN).header("Authorization", "Bearer " + key)
                .post("/internal/v1/credentials/verify");
    }

    @Test
    void refusesUnknownOrMissingCredentialsWithAProblem() {
        given().header(ServiceCredentials.HEADER, SERVICE_TOKEN)
                .header("Authorization", "Bearer vc_unknown_" + UUID.randomUUID())
                .post("/internal/v1/credentials/verify")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"))
                .body("type", containsString("unauthorized"))
                .body("detail", containsString("API key"));
        given().header(ServiceCredentials.HEADER, SERVICE_TOKEN).post("/internal/v1/credentials/verify")
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid_credentials"));
        given().post("/internal/v1/credentials/verify")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void readinessCoversKafkaAndTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("Database connections health check"))
                .body(containsString("SmallRye Reactive Messaging - readiness check"));
    }
}
