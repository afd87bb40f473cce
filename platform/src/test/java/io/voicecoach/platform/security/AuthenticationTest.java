package io.voicecoach.platform.security;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(GatewayCredentialStub.class)
class AuthenticationTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void aTenantKeyNamesTheTenantAndOnlyReachesTheTenantApi() {
        given().auth().oauth2("key-acme").get("/api/v1/whoami").then().statusCode(200).body("tenant", equalTo("acme"));
        given().auth().oauth2("key-acme").get("/internal/v1/ping").then().statusCode(403).contentType(PROBLEM)
                .body("code", equalTo("forbidden"));
        assertThat(GatewayCredentialStub.serviceTokenSentWith("key-acme")).isEqualTo(GatewayCredentialStub.SERVICE_TOKEN);
    }

    @Test
    void refusalsAreProblemDocuments() {
        given().get("/api/v1/whoami").then().statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("missing_credentials"));
        given().auth().oauth2(GatewayCredentialStub.UNKNOWN_KEY).get("/api/v1/whoami").then().statusCode(401)
                .contentType(PROBLEM).header("WWW-Authenticate", "Bearer").body("detail", equalTo("invalid API key"))
                .body("code", equalTo("invalid_credentials"));
        given().header("Authorization", "Basic a2V5LWFjbWU6").get("/api/v1/whoami").then().statusCode(401);
        given().auth().oauth2(GatewayCredentialStub.BROKEN_KEY).get("/api/v1/whoami").then().statusCode(503)
                .contentType(PROBLEM).body("code", equalTo("credentials_unavailable"));
    }

    @Test
    void theServiceCredentialReachesInternalEndpointsOnly() {
        given().header(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN).get("/internal/v1/ping").then()
                .statusCode(200).body("pong", equalTo("yes"));
        given().header(ServiceCredentials.HEADER, "vcs_guessed").get("/internal/v1/ping").then().statusCode(401)
                .contentType(PROBLEM).header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("invalid_service_credential"));
        given().get("/internal/v1/ping").then().statusCode(401).contentType(PROBLEM);
        given().header(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN).get("/api/v1/whoami").then()
                .statusCode(403);
    }

    @Test
    void aPathWithoutAPolicyIsRefusedWhateverTheCredential() {
        given().get("/unlisted").then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2("key-acme").get("/unlisted").then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2("vc_operator_test").get("/unlisted").then().statusCode(403);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theOperatorTokenIsNoTenant() {
        given().auth().oauth2("vc_operator_test").get("/api/v1/whoami").then().statusCode(403);
        assertThat(GatewayCredentialStub.calls("vc_operator_test")).isZero();
    }

    @Test
    void verifiedKeysAreCachedAndARevocationWinsWithinTheCacheTtl() {
        String key = "key-revocable";
        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(200);
        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(200);
        assertThat(GatewayCredentialStub.calls(key)).isEqualTo(1);

        GatewayCredentialStub.revoke(key);
        long revokedAt = System.nanoTime();

        // voicecoach.auth.cache-ttl is 2 s in these tests: the revocation must show within it (plus slack for the build)
        await().atMost(Duration.ofSeconds(2 + 3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(401));
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(GatewayCredentialStub.calls(key)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void refusedKeysAreNotCached() {
        String key = "key-late";
        GatewayCredentialStub.revoke(key);
        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(401);

        GatewayCredentialStub.restore(key);

        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(200).body("tenant", equalTo("late"));
    }
}
