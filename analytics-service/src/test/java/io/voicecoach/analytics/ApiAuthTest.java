package io.voicecoach.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class ApiAuthTest {

    private static final String DEMO_KEY = GatewayCredentialStub.keyOf("demo");
    private static final String CACHED_KEY = GatewayCredentialStub.keyOf("cached");

    @Test
    void requestsWithoutAKeyAreRefused() {
        given().get("/api/v1/sessions")
                .then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"))
                .body("type", startsWith("urn:voicecoach:problem:"))
                .body("detail", containsString("missing API key"));
        given().header("Authorization", "Basic a2V5LWRlbW86").get("/api/v1/sessions/x").then().statusCode(401);
        given().header("Authorization", "Bearer ").get("/api/v1/sessions").then().statusCode(401);
    }

    @Test
    void unknownKeysAreRefused() {
        given().header("Authorization", "Bearer key-nobody").get("/api/v1/sessions")
                .then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("invalid API key"));
    }

    @Test
    void unknownSessionsAreNotFound() {
        SessionIngestTest.problem(DEMO_KEY, "/api/v1/sessions/sess_does_not_exist", 404);
    }

    @Test
    void badParametersAreRejected() {
        for (String limit : new String[]{"0", "101", "ten", "-1"}) {
            given().header("Authorization", "Bearer " + DEMO_KEY)
                    .get("/api/v1/sessions?limit=" + limit)
                    .then().statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(400))
                    .body("detail", containsString("limit"));
        }
        given().header("Authorization", "Bearer " + DEMO_KEY)
                .get("/api/v1/sessions?limit=5").then().statusCode(200);
    }

    @Test
    void verifiedKeysAreCachedBriefly() {
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + CACHED_KEY)
                    .get("/api/v1/sessions").then().statusCode(200).body("sessions.size()", equalTo(0));
        }
        assertThat(GatewayCredentialStub.calls(CACHED_KEY)).isEqualTo(1);
    }

    @Test
    void aGatewayThatCannotAnswerMeansServiceUnavailable() {
        for (String key : new String[]{GatewayCredentialStub.BROKEN_KEY, GatewayCredentialStub.SLOW_KEY}) {
            given().header("Authorization", "Bearer " + key).get("/api/v1/sessions")
                    .then().statusCode(503)
                    .contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(503));
        }
    }

    @Test
    void healthMetricsAndOpenApiNeedNoKey() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("voicecoach_analytics_events_total"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/sessions/{sessionId}"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("\"/api/v1/live\""), containsString("\"/api/v1/export/sessions\""),
                        containsString("\"/api/v1/aggregates/{groupBy}\""), containsString("\"/api/v1/latency\""),
                        containsString("talkListenRatio = talkMs / the other track"),
                        containsString("interruptions / interruptionsMade / timesInterrupted"));
    }
}
