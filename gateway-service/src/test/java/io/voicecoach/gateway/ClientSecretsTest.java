package io.voicecoach.gateway;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.ClientSecretPurge;
import io.voicecoach.gateway.tenant.ClientSecretRepository;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Client secrets and the three ways a Realtime client presents a credential. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class ClientSecretsTest {

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    ApiKeys apiKeys;

    @Inject
    TenantDirectory directory;

    @Inject
    ClientSecretRepository secrets;

    @Inject
    ClientSecretPurge purge;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void mintsAShortLivedSecretStoredOnlyAsAHash() {
        long before = Instant.now().getEpochSecond();
        var minted = given().header("Authorization", "Bearer " + DEMO_KEY).contentType(ContentType.JSON).body("{}")
                .post("/v1/realtime/client_secrets")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        long after = Instant.now().getEpochSecond();
        String value = minted.getString("value");
        assertThat(value).startsWith("ek_").hasSizeGreaterThan(30);
        assertThat(minted.getLong("expires_at")).isBetween(before + 600, after + 600);

        var stored = QuarkusTransaction.requiringNew().call(() -> secrets.findByHash(ApiKeys.hash(value)).orElseThrow());
        assertThat(stored.tenantId).isEqualTo("demo");
        assertThat(stored.secretHash).isNotEqualTo(value).hasSize(64);
        assertThat(stored.expiresAt.getEpochSecond()).isEqualTo(minted.getLong("expires_at"));
    }

    @Test
    void expiresAfterIsHonouredAndCapped() {
        assertLifetime("{\"expires_after\": {\"anchor\": \"created_at\", \"seconds\": 60}}", 60);
        assertLifetime("{\"expires_after\": 120}", 120);
        assertLifetime("{\"expires_after\": {\"seconds\": 999999}}", 7200);

        given().header("Authorization", "Bearer " + DEMO_KEY).contentType(ContentType.JSON)
                .body("{\"expires_after\": {\"seconds\": 3}}")
                .post("/v1/realtime/client_secrets")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid_request"));
    }

    @Test
    void aBadBodyIsAProblemNamingTheFieldAndTheLifetimeIsTheDefaultWithoutOne() {
        badBody("{\"expires_after\": {\"seconds\": 3}}", "$.expires_after.seconds");
        badBody("{\"expires_after\": {\"anchor\": \"now\", \"seconds\": 60}}", "$.expires_after.anchor");
        badBody("{\"expires_after\": {\"anchor\": \"created_at\"}}", "$.expires_after.seconds");
        badBody("{\"expires_after\": \"600\"}", "$.expires_after");
        badBody("{\"expires_after\": 60.5}", "$.expires_after");
        badBody("{\"expires_after\": {\"seconds\": \"600\"}}", "$.expires_after.seconds");
        badBody("{\"voicecoach\": \"call_1\"}", "$.voicecoach");
        badBody("{\"voicecoach\": {\"call_id\": \"   \", \"role\": \"rep\"}}", "$.voicecoach.call_id");
        badBody("{\"voicecoach\": {\"call_id\": \"" + "c".repeat(201) + "\", \"role\": \"rep\"}}",
                "$.voicecoach.call_id");
        for (String notAnObject : new String[] {"[]", "\"x\"", "7"}) {
            given().header("Authorization", "Bearer " + DEMO_KEY).contentType(ContentType.JSON).body(notAnObject)
                    .post("/v1/realtime/client_secrets")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("invalid_request"));
        }
        given().header("Authorization", "Bearer " + DEMO_KEY).contentType(ContentType.JSON).body("{\"expires_after\": ")
                .post("/v1/realtime/client_secrets")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("detail", org.hamcrest.Matchers.startsWith("the body is not valid JSON"));

        // OpenAI's session config is not read; an empty body, a JSON null and no body at all mint with the default
        assertLifetime("{\"session\": {\"type\": \"realtime\", \"model\": \"gpt-realtime\"}}", 600);
        assertLifetime("null", 600);
        assertLifetime("", 600);
        given().header("Authorization", "Bearer " + DEMO_KEY).contentType("text/plain").body("{\"expires_after\": 30}")
                .post("/v1/realtime/client_secrets").then().statusCode(415).contentType("application/problem+json");
    }

    private static void badBody(String body, String path) {
        given().header("Authorization", "Bearer " + DEMO_KEY).contentType(ContentType.JSON).body(body)
                .post("/v1/realtime/client_secrets")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_request"))
                .body("errors.path", org.hamcrest.Matchers.hasItem(path));
    }

    private static void assertLifetime(String body, long seconds) {
        long before = Instant.now().getEpochSecond();
        long expiresAt = mint(DEMO_KEY, body).getLong("expires_at");
        long after = Instant.now().getEpochSecond();
        assertThat(expiresAt).isBetween(before + seconds, after + seconds);
    }

    @Test
    void onlyATenantApiKeyMintsSecrets() {
        given().post("/v1/realtime/client_secrets")
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("missing_credentials"));
        given().header("Authorization", "Bearer vc_unknown_" + UUID.randomUUID()).post("/v1/realtime/client_secrets")
                .then().statusCode(401).body("code", equalTo("invalid_credentials"));
        String secret = mint(DEMO_KEY, "{}").getString("value");
        given().header("Authorization", "Bearer " + secret).post("/v1/realtime/client_secrets")
                .then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("api_key_required"));
    }

    @Test
    void aSecretConnectsThroughTheHeaderTheBrowserSubprotocolOrTheQueryForItsOwnTenant() {
        String tenant = "acme_" + UUID.randomUUID().toString().substring(0, 8);
        String key = ApiKeys.newApiKey();
        directory.ensureTenant(tenant, "Acme Motors");
        apiKeys.register(tenant, key);
        String secret = mint(key, null).getString("value");

        try (var sessions = kafka.read(Topics.SESSIONS);
             var byHeader = RealtimeClient.connect(websocket(realtime), secret);
             var byProtocol = RealtimeClient.connectWith(websocket(realtime),
                     b -> b.subprotocols("realtime", "openai-insecure-api-key." + secret, "openai-beta.realtime-v1"));
             var byQuery = RealtimeClient.connectWith(URI.create(websocket(realtime)
                     + "?model=gpt-realtime&client_secret=" + secret), b -> { });
             var keyByProtocol = RealtimeClient.connectWith(websocket(realtime),
                     b -> b.subprotocols("realtime", "openai-insecure-api-key." + key))) {
            assertThat(byProtocol.subprotocol()).isEqualTo("realtime");
            assertThat(keyByProtocol.subprotocol()).isEqualTo("realtime");
            for (var client : java.util.List.of(byHeader, byProtocol, byQuery, keyByProtocol)) {
                String sessionId = client.sessionId();
                client.send(Map.of("type", "session.update", "session", Map.of()));
                var started = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                        && EventTypes.SESSION_STARTED.equals(r.envelope().type()), WAIT);
                assertThat(started.envelope().tenantId()).isEqualTo(tenant);
            }
        }
    }

    @Test
    void expiredRevokedAndUnknownCredentialsAreRefusedWithTheirCode() {
        String tenant = "globex_" + UUID.randomUUID().toString().substring(0, 8);
        String key = ApiKeys.newApiKey();
        directory.ensureTenant(tenant, "Globex");
        String keyId = apiKeys.register(tenant, key);
        String expired = "ek_expired_" + UUID.randomUUID();
        directory.storeClientSecret(tenant, keyId, ApiKeys.hash(expired), Instant.now().minusSeconds(1), null);
        String live = mint(key, null).getString("value");

        assertRefusal(Map.of("Authorization", "Bearer " + expired), "", "expired_credentials");
        assertRefusal(Map.of(), "?client_secret=" + expired, "expired_credentials");
        assertRefusal(Map.of("Authorization", "Bearer ek_never_minted_" + UUID.randomUUID()), "", "invalid_credentials");
        assertRefusal(Map.of(), "", "missing_credentials");
        assertRefusal(Map.of("Sec-WebSocket-Protocol", "realtime, openai-insecure-api-key.ek_bogus_123456789"), "",
                "invalid_credentials");
        try (var ok = RealtimeClient.connect(websocket(realtime), live)) {
            assertThat(ok.sessionId()).startsWith("sess_");
        }

        // revoking the key that minted a secret revokes the secret
        assertThat(apiKeys.revoke(key)).isTrue();
        assertRefusal(Map.of("Authorization", "Bearer " + live), "", "revoked_credentials");
        assertRefusal(Map.of("Authorization", "Bearer " + key), "", "revoked_credentials");
        assertThat(RealtimeClient.refusal(websocket(realtime), live)).isEqualTo(401);
    }

    @Test
    void secretsExpiredLongerThanTheRetentionAreDeletedTheOthersStay() {
        String tenant = "initech_" + UUID.randomUUID().toString().substring(0, 8);
        directory.ensureTenant(tenant, "Initech");
        String keyId = apiKeys.register(tenant, ApiKeys.newApiKey());
        String longGone = "ek_gone_" + UUID.randomUUID();
        String justExpired = "ek_just_" + UUID.randomUUID();
        String live = "ek_live_" + UUID.randomUUID();
        directory.storeClientSecret(tenant, keyId, ApiKeys.hash(longGone), Instant.now().minus(Duration.ofHours(2)),
                null);
        directory.storeClientSecret(tenant, keyId, ApiKeys.hash(justExpired), Instant.now().minusSeconds(60), null);
        directory.storeClientSecret(tenant, keyId, ApiKeys.hash(live), Instant.now().plusSeconds(600), null);

        assertThat(purge.purge()).isPositive();

        assertThat(stored(longGone)).as("expired 2 h ago, retention 1 h").isEmpty();
        assertThat(stored(justExpired)).as("still refused as expired").isPresent();
        assertThat(stored(live)).isPresent();
        assertRefusal(Map.of("Authorization", "Bearer " + justExpired), "", "expired_credentials");
    }

    private java.util.Optional<?> stored(String secret) {
        return QuarkusTransaction.requiringNew().call(() -> secrets.findByHash(ApiKeys.hash(secret)));
    }

    private void assertRefusal(Map<String, String> headers, String query, String code) {
        given().header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .headers(headers)
                .get(realtime + query)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("code", equalTo(code));
    }

    private static io.restassured.path.json.JsonPath mint(String key, String body) {
        var request = given().header("Authorization", "Bearer " + key);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post("/v1/realtime/client_secrets").then().statusCode(200).extract().jsonPath();
    }
}
