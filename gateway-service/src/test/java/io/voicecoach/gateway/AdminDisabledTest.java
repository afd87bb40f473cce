package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** Without {@code voicecoach.admin.token} the admin API does not exist, whatever a caller presents. */
@QuarkusTest
@TestProfile(AdminDisabledTest.NoOperatorToken.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class AdminDisabledTest {

    public static class NoOperatorToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicecoach.admin.token", "");
        }
    }

    @Test
    void theAdminApiAnswersNotFound() {
        given().get("/admin/v1/tenants").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("admin_disabled"));
        given().header("Authorization", "Bearer " + AdminApiTest.OPERATOR).get("/admin/v1/tenants/demo")
                .then().statusCode(404).body("code", equalTo("admin_disabled"));
        given().header("Authorization", "Bearer " + TestEvents.DEMO_KEY).post("/admin/v1/tenants/demo/api-keys")
                .then().statusCode(404).body("code", equalTo("admin_disabled"));
    }
}
