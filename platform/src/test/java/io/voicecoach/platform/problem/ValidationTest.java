package io.voicecoach.platform.problem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(GatewayCredentialStub.class)
class ValidationTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void everyViolationOfABodyIsNamedByItsJsonPath() {
        given().auth().oauth2("key-acme").contentType("application/json")
                .body("{\"title\": \"far too long a title\", \"items\": [{\"name\": \"a\", \"priority\": 3},"
                        + " {\"name\": \"\", \"priority\": 9}], \"due_in_days\": 0}")
                .post("/api/v1/orders").then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400)).body("code", equalTo("invalid_request"))
                .body("errors.path", containsInAnyOrder("$.title", "$.items[1].name", "$.items[1].priority",
                        "$.due_in_days"))
                .body("errors.find { it.path == '$.items[1].priority' }.message", startsWith("must be less than"));
    }

    @Test
    void parametersAreNamedAsSuch() {
        given().auth().oauth2("key-acme").queryParam("k", 50).get("/api/v1/search").then().statusCode(400)
                .contentType(PROBLEM).body("errors.path", containsInAnyOrder("q", "k"));
    }

    @Test
    void unreadableJsonSaysWhere() {
        given().auth().oauth2("key-acme").contentType("application/json").body("{\"title\": \"x\", \"items\": [{\"priority\": \"high\"}]}")
                .post("/api/v1/orders").then().statusCode(400).contentType(PROBLEM)
                .body("errors.path", hasItem("$.items[0].priority"));
        given().auth().oauth2("key-acme").contentType("application/json").body("{not json")
                .post("/api/v1/orders").then().statusCode(400).contentType(PROBLEM)
                .body("code", equalTo("invalid_request")).body("detail", startsWith("the body is not valid JSON"));
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        given().auth().oauth2("key-acme").get("/api/v1/nothing-here").then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2("key-acme").delete("/api/v1/whoami").then().statusCode(405).contentType(PROBLEM);
    }
}
