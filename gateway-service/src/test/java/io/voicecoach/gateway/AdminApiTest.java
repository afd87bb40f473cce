package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.voicecoach.devstack.DevstackTestResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The operator's API over HTTP, and what its changes do to the Realtime WebSocket. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class AdminApiTest {

    static final String OPERATOR = "vc_operator_test_0123456789";

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Test
    void theOperatorTokenIsRequired() {
        given().get("/admin/v1/tenants").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid_operator_token"));
        given().header("Authorization", "Bearer " + OPERATOR + "x").get("/admin/v1/tenants").then().statusCode(401);
        // a tenant API key is not an operator credential
        given().header("Authorization", "Bearer " + TestEvents.DEMO_KEY)
                .contentType(ContentType.JSON).body("{\"name\": \"Intruder\"}")
                .post("/admin/v1/tenants").then().statusCode(401);
        admin().get("/admin/v1/tenants").then().statusCode(200).body("id", hasItem("demo"));
    }

    @Test
    void createsTenantsAndKeysThatConnectAndShowsTheKeyOnlyOnce() {
        String tenant = newTenant();
        admin().get("/admin/v1/tenants/" + tenant).then().statusCode(200)
                .body("name", equalTo("Tenant " + tenant)).body("status", equalTo("active"));
        admin().contentType(ContentType.JSON).body("{\"id\": \"" + tenant + "\", \"name\": \"again\"}")
                .post("/admin/v1/tenants").then().statusCode(409).body("code", equalTo("tenant_exists"));
        admin().contentType(ContentType.JSON).body("{\"id\": \"Bad Id!\", \"name\": \"x\"}")
                .post("/admin/v1/tenants").then().statusCode(400).body("code", equalTo("invalid_request"));

        var key = newKey(tenant);
        assertThat(key.getString("key")).startsWith("vc_").hasSizeGreaterThan(40);
        assertThat(key.getString("prefix")).isEqualTo(key.getString("key").substring(0, 8));
        var listed = admin().get("/admin/v1/tenants/" + tenant + "/api-keys").then().statusCode(200).extract().asString();
        assertThat(listed).contains(key.getString("id")).doesNotContain(key.getString("key"));

        try (var client = RealtimeClient.connect(websocket(realtime), key.getString("key"))) {
            assertThat(client.sessionId()).startsWith("sess_");
        }
    }

    @Test
    void badBodiesAreProblemsNamingTheField() {
        String tenant = newTenant();
        var key = newKey(tenant);
        invalid(admin().contentType(ContentType.JSON).body("{\"id\": \"Bad Id!\", \"name\": \"x\"}")
                .post("/admin/v1/tenants"), "$.id");
        invalid(admin().contentType(ContentType.JSON).body("{\"name\": \"   \"}").post("/admin/v1/tenants"), "$.name");
        invalid(admin().contentType(ContentType.JSON).body("{\"name\": \"" + "n".repeat(201) + "\"}")
                .post("/admin/v1/tenants"), "$.name");
        invalid(admin().contentType(ContentType.JSON).body("{\"name\": 42}").post("/admin/v1/tenants"), "$.name");
        invalid(admin().post("/admin/v1/tenants"), "body");
        invalid(admin().contentType(ContentType.JSON).body("{\"status\": \"deleted\"}")
                .patch("/admin/v1/tenants/" + tenant), "$.status");
        invalid(admin().contentType(ContentType.JSON).body("{}").patch("/admin/v1/tenants/" + tenant), "$.status");
        String rotate = "/admin/v1/tenants/" + tenant + "/api-keys/" + key.getString("id") + "/rotate";
        invalid(admin().contentType(ContentType.JSON).body("{\"grace_seconds\": -1}").post(rotate), "$.grace_seconds");
        invalid(admin().contentType(ContentType.JSON).body("{\"grace_seconds\": 1.5}").post(rotate), "$.grace_seconds");
        for (String unreadable : new String[] {"{\"name\": ", "[\"x\"]"}) {
            admin().contentType(ContentType.JSON).body(unreadable).post("/admin/v1/tenants").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_request"));
        }
        admin().contentType("application/x-www-form-urlencoded").body("{\"name\": \"Form\"}")
                .post("/admin/v1/tenants").then().statusCode(415).contentType("application/problem+json");
        admin().get("/admin/v1/tenants/" + tenant).then().statusCode(200).body("status", equalTo("active"));
        assertThat(admin().get("/admin/v1/tenants/" + tenant + "/api-keys").then().statusCode(200).extract()
                .jsonPath().getList("status")).as("no refused rotation touched the key").containsExactly("active");

        var generated = admin().contentType(ContentType.JSON).body("{\"name\": \"Generated\"}")
                .post("/admin/v1/tenants").then().statusCode(201).extract().jsonPath();
        assertThat(generated.getString("id")).matches("t_[0-9a-f]{16}");
    }

    private static void invalid(io.restassured.response.Response response, String path) {
        response.then().statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("errors.path", hasItem(path));
    }

    @Test
    void aRevokedKeyIsRefusedAtTheWebSocket() {
        String tenant = newTenant();
        var key = newKey(tenant);
        try (var client = RealtimeClient.connect(websocket(realtime), key.getString("key"))) {
            assertThat(client.sessionId()).startsWith("sess_");
        }
        admin().delete("/admin/v1/tenants/" + tenant + "/api-keys/" + key.getString("id"))
                .then().statusCode(200).body("status", equalTo("revoked"));
        assertThat(RealtimeClient.refusal(websocket(realtime), key.getString("key"))).isEqualTo(401);
        given().header("Authorization", "Bearer " + key.getString("key")).post("/v1/realtime/client_secrets")
                .then().statusCode(401).body("code", equalTo("revoked_credentials"));
    }

    @Test
    void rotationKeepsTheOldKeyForItsGracePeriodOrRevokesItAtOnce() {
        String tenant = newTenant();
        var first = newKey(tenant);
        var second = admin().contentType(ContentType.JSON).body("{\"grace_seconds\": 3600}")
                .post("/admin/v1/tenants/" + tenant + "/api-keys/" + first.getString("id") + "/rotate")
                .then().statusCode(201).extract().jsonPath();
        assertThat(second.getString("key")).isNotEqualTo(first.getString("key"));
        assertThat(second.getString("replaced.id")).isEqualTo(first.getString("id"));
        assertThat(second.getString("replaced.status")).isEqualTo("expiring");
        assertThat(second.getString("replaced.expires_at")).isNotNull();
        for (String key : new String[] {first.getString("key"), second.getString("key")}) {
            try (var client = RealtimeClient.connect(websocket(realtime), key)) {
                assertThat(client.sessionId()).startsWith("sess_");
            }
        }

        var third = admin().contentType(ContentType.JSON).body("{\"grace_seconds\": 0}")
                .post("/admin/v1/tenants/" + tenant + "/api-keys/" + second.getString("id") + "/rotate")
                .then().statusCode(201).extract().jsonPath();
        assertThat(third.getString("replaced.status")).isEqualTo("revoked");
        assertThat(RealtimeClient.refusal(websocket(realtime), second.getString("key"))).isEqualTo(401);
        try (var client = RealtimeClient.connect(websocket(realtime), third.getString("key"))) {
            assertThat(client.sessionId()).startsWith("sess_");
        }
        admin().post("/admin/v1/tenants/" + tenant + "/api-keys/" + second.getString("id") + "/rotate")
                .then().statusCode(409).body("code", equalTo("api_key_revoked"));
    }

    @Test
    void keyOperationsAreScopedToTheTenantInThePath() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        var keyB = newKey(tenantB);
        String keyBPath = "/api-keys/" + keyB.getString("id");

        admin().delete("/admin/v1/tenants/" + tenantA + keyBPath).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("api_key_not_found"));
        admin().post("/admin/v1/tenants/" + tenantA + keyBPath + "/rotate").then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        assertThat(admin().get("/admin/v1/tenants/" + tenantA + "/api-keys").then().statusCode(200).extract()
                .asString()).doesNotContain(keyB.getString("id"));
        admin().post("/admin/v1/tenants/nobody_" + UUID.randomUUID().toString().substring(0, 8) + "/api-keys")
                .then().statusCode(404).body("code", equalTo("tenant_not_found"));

        try (var client = RealtimeClient.connect(websocket(realtime), keyB.getString("key"))) {
            assertThat(client.sessionId()).startsWith("sess_");
        }
    }

    @Test
    void aSuspendedTenantIsRefused() {
        String tenant = newTenant();
        var key = newKey(tenant);
        admin().contentType(ContentType.JSON).body("{\"status\": \"suspended\"}").patch("/admin/v1/tenants/" + tenant)
                .then().statusCode(200).body("status", equalTo("suspended"));
        given().header("Authorization", "Bearer " + key.getString("key")).post("/v1/realtime/client_secrets")
                .then().statusCode(401).body("code", equalTo("tenant_suspended"));
        assertThat(RealtimeClient.refusal(websocket(realtime), key.getString("key"))).isEqualTo(401);
    }

    static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + OPERATOR);
    }

    static String newTenant() {
        String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin().contentType(ContentType.JSON).body("{\"id\": \"" + id + "\", \"name\": \"Tenant " + id + "\"}")
                .post("/admin/v1/tenants").then().statusCode(201).body("id", equalTo(id));
        return id;
    }

    static JsonPath newKey(String tenant) {
        return admin().post("/admin/v1/tenants/" + tenant + "/api-keys").then().statusCode(201)
                .body("tenant_id", equalTo(tenant)).extract().jsonPath();
    }
}
