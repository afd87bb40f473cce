package io.voicecoach.gateway;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.session.SessionOpener;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.ClientSecretRepository;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Isolation inside one tenant: client secrets bound to a leg of a call (or to a session), which calls a session may
 * join, and which credential may resume (take over) a session, here and from another instance's snapshot.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class CallBindingTest {

    private static final String SUGGESTION = "voicecoach.coaching.suggestion";

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    @Inject
    ClientSecretRepository secrets;

    @Inject
    SessionRegistry registry;

    @Inject
    SessionStore store;

    private final StateRecords records = new StateRecords();
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        records.close();
        kafka.close();
    }

    @Test
    void aSecretBoundToALegIsShownStoredAndOpensOnlyThatLeg() {
        var tenant = tenant();
        String callId = "call_" + UUID.randomUUID();
        var minted = mint(tenant.key(), binding(callId, "customer", null));
        assertThat(minted.getString("voicecoach.call_id")).isEqualTo(callId);
        assertThat(minted.getString("voicecoach.role")).isEqualTo("customer");
        assertThat(minted.getMap("voicecoach")).doesNotContainKey("session_id");
        String secret = minted.getString("value");
        var stored = QuarkusTransaction.requiringNew()
                .call(() -> secrets.findByHash(ApiKeys.hash(secret)).orElseThrow());
        assertThat(stored.callId).isEqualTo(callId);
        assertThat(stored.role).isEqualTo("customer");
        assertThat(stored.sessionId).isNull();

        try (var leg = RealtimeClient.connect(websocket(realtime), secret)) {
            var created = leg.awaitType("session.created").path("session").path("voicecoach");
            assertThat(created.path("call_id").asText()).isEqualTo(callId);
            assertThat(created.path("role").asText()).isEqualTo("customer");

            leg.send(update("evt_other_call", Map.of("call_id", "call_" + UUID.randomUUID())));
            assertRefused(leg, "evt_other_call", "session.voicecoach.call_id");
            leg.send(update("evt_become_rep", Map.of("role", "rep")));
            assertRefused(leg, "evt_become_rep", "session.voicecoach.role");

            leg.send(update("evt_own_leg", Map.of("call_id", callId, "role", "customer", "rep_id", "rep_9")));
            var updated = leg.awaitType("session.updated").path("session").path("voicecoach");
            assertThat(updated.path("call_id").asText()).isEqualTo(callId);
            assertThat(updated.path("role").asText()).isEqualTo("customer");
            assertThat(leg.ofType("session.updated")).hasSize(1);
            var session = registry.find(leg.sessionId()).orElseThrow();
            assertThat(session.settings().voicecoach().callId()).isEqualTo(callId);
            assertThat(session.settings().voicecoach().role()).isEqualTo("customer");
        }
    }

    @Test
    void joiningACallNeedsASecretBoundToIt() {
        var tenant = tenant();
        String callId = "call_" + UUID.randomUUID();
        try (var rep = RealtimeClient.connect(websocket(realtime), secret(tenant, binding(callId, "rep", null)));
             var customer = RealtimeClient.connect(websocket(realtime),
                     secret(tenant, binding(callId, "customer", null)));
             var intruder = RealtimeClient.connect(websocket(realtime), secret(tenant, null))) {
            String intruderSession = intruder.sessionId();
            intruder.send(update("evt_join", Map.of("call_id", callId, "role", "rep")));
            assertRefused(intruder, "evt_join", "session.voicecoach.call_id");
            assertThat(registry.find(intruderSession).orElseThrow().settings().voicecoach().callId())
                    .isEqualTo(intruderSession);
            // its own call it may name (and take any role in it)
            intruder.send(update("evt_own", Map.of("call_id", intruderSession, "role", "rep")));
            intruder.awaitType("session.updated");

            String suggestionId = "sug_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(tenant.id(), customer.sessionId(), suggestionId));
            rep.awaitFrame(f -> suggestionId.equals(f.path("suggestion").path("id").asText()));
            assertThat(intruder.ofType(SUGGESTION)).isEmpty();
            assertThat(customer.ofType(SUGGESTION)).isEmpty();
        }
    }

    @Test
    void anApiKeyKeepsTheTenantsScope() {
        var tenant = tenant();
        String callId = "call_" + UUID.randomUUID();
        try (var server = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            server.send(update("evt_join", Map.of("call_id", callId, "role", "customer")));
            var updated = server.awaitType("session.updated").path("session").path("voicecoach");
            assertThat(updated.path("call_id").asText()).isEqualTo(callId);
            assertThat(server.ofType("error")).isEmpty();
        }
    }

    @Test
    void mintingRefusesHalfABindingABadRoleAndASessionTheTenantDoesNotHave() {
        var tenant = tenant();
        var other = tenant();
        mintRefused(tenant.key(), "{\"voicecoach\": {\"call_id\": \"call_1\"}}", 400, "invalid_request");
        mintRefused(tenant.key(), "{\"voicecoach\": {\"role\": \"rep\"}}", 400, "invalid_request");
        mintRefused(tenant.key(), "{\"voicecoach\": {\"call_id\": \"call_1\", \"role\": \"boss\"}}", 400,
                "invalid_request");
        mintRefused(tenant.key(), "{\"voicecoach\": {\"session_id\": 7}}", 400, "invalid_request");
        mintRefused(tenant.key(), "{\"voicecoach\": {\"session_id\": \"sess_" + UUID.randomUUID() + "\"}}", 404,
                "session_not_found");
        try (var theirs = RealtimeClient.connect(websocket(realtime), other.key())) {
            mintRefused(tenant.key(), "{\"voicecoach\": {\"session_id\": \"" + theirs.sessionId() + "\"}}", 404,
                    "session_not_found");
        }
    }

    @Test
    void onlyTheOpenerOrASecretBoundToTheSessionOrItsLegResumesIt() {
        var tenant = tenant();
        String otherKey = secondKey(tenant);
        String keyId = apiKeys.register(tenant.id(), tenant.key());
        String callId = "call_" + UUID.randomUUID();

        var opened = RealtimeClient.connect(websocket(realtime), tenant.key());
        String sessionId = opened.sessionId();
        opened.send(update("evt_leg", Map.of("call_id", callId, "role", "rep")));
        opened.awaitType("session.updated");
        // the opener's identity travels with the snapshot every instance reads
        await().atMost(WAIT).until(() -> store.find(sessionId)
                .filter(s -> s.opener() != null && keyId.equals(s.opener().credentialId())
                        && callId.equals(s.configured().voicecoach().callId())).isPresent());
        assertThat(store.find(sessionId).orElseThrow().opener())
                .isEqualTo(new SessionOpener(SessionOpener.API_KEY, keyId, null, null));
        opened.abort();
        await().atMost(WAIT).until(() -> !registry.find(sessionId).orElseThrow().client().isOpen());

        assertResumeRefused(sessionId, otherKey);
        assertResumeRefused(sessionId, secret(tenant, null));
        assertResumeRefused(sessionId, secret(tenant, binding(callId, "customer", null)));
        assertResumeRefused(sessionId, secret(tenant, binding("call_" + UUID.randomUUID(), "rep", null)));
        try (var unrelated = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            assertResumeRefused(sessionId, secret(tenant, binding(null, null, unrelated.sessionId())));
        }

        try (var byOpener = RealtimeClient.connect(resumeUri(sessionId), tenant.key())) {
            assertThat(byOpener.sessionId()).isEqualTo(sessionId);
            try (var bySession = RealtimeClient.connect(resumeUri(sessionId),
                    secret(tenant, binding(null, null, sessionId)))) {
                assertThat(bySession.sessionId()).isEqualTo(sessionId);
                assertThat(byOpener.awaitCloseCode()).isEqualTo(4003);
                try (var byLeg = RealtimeClient.connect(resumeUri(sessionId),
                        secret(tenant, binding(callId, "rep", null)))) {
                    assertThat(byLeg.sessionId()).isEqualTo(sessionId);
                    assertThat(bySession.awaitCloseCode()).isEqualTo(4003);
                    // the session keeps its opener (and its scope), whoever resumed it
                    assertThat(registry.find(sessionId).orElseThrow().opener().credentialId()).isEqualTo(keyId);
                }
            }
        }
    }

    @Test
    void aSecretBoundToASessionOpensNoOtherAndTheSecretThatOpenedASessionResumesIt() {
        var tenant = tenant();
        String secret = secret(tenant, null);
        var opened = RealtimeClient.connect(websocket(realtime), secret);
        String sessionId = opened.sessionId();
        opened.abort();
        await().atMost(WAIT).until(() -> !registry.find(sessionId).orElseThrow().client().isOpen());

        String boundToSession = secret(tenant, binding(null, null, sessionId));
        upgradeRefused(websocket(realtime).toString(), boundToSession, 403, "secret_bound_to_session");
        try (var again = RealtimeClient.connect(resumeUri(sessionId), secret)) {
            assertThat(again.sessionId()).isEqualTo(sessionId);
            // an unbound secret's session stays in its own call after a resume too
            again.send(update("evt_join", Map.of("call_id", "call_" + UUID.randomUUID())));
            assertRefused(again, "evt_join", "session.voicecoach.call_id");
        }
    }

    @Test
    void aTakeoverFromAnotherInstancesSnapshotChecksTheOpenerToo() {
        var tenant = tenant();
        String otherKey = secondKey(tenant);
        String keyId = apiKeys.register(tenant.id(), tenant.key());
        String sessionId = "sess_" + UUID.randomUUID();
        var snapshot = StateRecords.snapshot(tenant.id(), sessionId, "gw-dead", Instant.now().minusSeconds(5))
                .openedBy(new SessionOpener(SessionOpener.API_KEY, keyId, null, null));
        records.snapshot(snapshot);
        await().atMost(WAIT).until(() -> store.find(sessionId).filter(s -> s.opener() != null).isPresent());

        assertResumeRefused(sessionId, otherKey);
        assertResumeRefused(sessionId, secret(tenant, null));
        assertResumeRefused(sessionId, secret(tenant, binding(sessionId, "customer", null)));
        assertThat(registry.find(sessionId)).isEmpty(); // a refused resume takes nothing over

        // the snapshot's leg is its own call as the rep
        String leg = secret(tenant, binding(sessionId, "rep", null));
        try (var byLeg = RealtimeClient.connect(resumeUri(sessionId), leg)) {
            assertThat(byLeg.sessionId()).isEqualTo(sessionId);
            assertThat(registry.find(sessionId).orElseThrow().opener().credentialId()).isEqualTo(keyId);
        }
        String secondId = "sess_" + UUID.randomUUID();
        records.snapshot(StateRecords.snapshot(tenant.id(), secondId, "gw-dead", Instant.now().minusSeconds(5))
                .openedBy(new SessionOpener(SessionOpener.API_KEY, keyId, null, null)));
        await().atMost(WAIT).until(() -> store.find(secondId).isPresent());
        try (var byOpener = RealtimeClient.connect(resumeUri(secondId), tenant.key())) {
            assertThat(byOpener.sessionId()).isEqualTo(secondId);
        }
    }

    private TestTenants.Tenant tenant() {
        return new TestTenants(directory, apiKeys).create("bind");
    }

    /** Another API key of the tenant. */
    private String secondKey(TestTenants.Tenant tenant) {
        String key = "vc_" + tenant.id() + "_second_" + UUID.randomUUID();
        apiKeys.register(tenant.id(), key);
        return key;
    }

    private static Map<String, Object> binding(String callId, String role, String sessionId) {
        var voicecoach = new HashMap<String, Object>();
        if (callId != null) {
            voicecoach.put("call_id", callId);
            voicecoach.put("role", role);
        }
        if (sessionId != null) {
            voicecoach.put("session_id", sessionId);
        }
        return Map.of("session", Map.of("type", "realtime"), "voicecoach", voicecoach);
    }

    private static JsonPath mint(String key, Map<String, Object> body) {
        var request = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
        return (body == null ? request.body("{}") : request.body(body))
                .post("/v1/realtime/client_secrets").then().statusCode(200).extract().jsonPath();
    }

    private static String secret(TestTenants.Tenant tenant, Map<String, Object> binding) {
        return mint(tenant.key(), binding).getString("value");
    }

    private static void mintRefused(String key, String body, int status, String code) {
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/realtime/client_secrets")
                .then().statusCode(status).contentType("application/problem+json").body("code", equalTo(code));
    }

    private static Map<String, Object> update(String eventId, Map<String, String> voicecoach) {
        return Map.of("type", "session.update", "event_id", eventId, "session", Map.of("voicecoach", voicecoach));
    }

    private static void assertRefused(RealtimeClient client, String eventId, String param) {
        var error = client.awaitFrame(f -> "error".equals(f.path("type").asText())
                && eventId.equals(f.path("error").path("event_id").asText())).path("error");
        assertThat(error.path("code").asText()).isEqualTo("call_not_permitted");
        assertThat(error.path("param").asText()).isEqualTo(param);
    }

    private void assertResumeRefused(String sessionId, String credential) {
        upgradeRefused(resumeUri(sessionId).toString(), credential, 403, "resume_not_permitted");
    }

    private void upgradeRefused(String uri, String credential, int status, String code) {
        given().header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Authorization", "Bearer " + credential)
                .get(uri.replaceFirst("^ws", "http"))
                .then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("code", equalTo(code));
    }

    private URI resumeUri(String sessionId) {
        return URI.create(websocket(realtime) + "?session_id=" + sessionId);
    }
}
