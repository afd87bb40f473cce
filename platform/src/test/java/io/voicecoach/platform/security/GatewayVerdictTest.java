package io.voicecoach.platform.security;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** How the gateway's answers to the credential check (the stub speaks them as the gateway does) reach a tenant. */
@QuarkusTest
@QuarkusTestResource(GatewayCredentialStub.class)
class GatewayVerdictTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void aRefusedKeyKeepsTheCodeTheGatewayGaveIt() {
        given().auth().oauth2(GatewayCredentialStub.SUSPENDED_KEY).get("/api/v1/whoami").then().statusCode(401)
                .contentType(PROBLEM).header("WWW-Authenticate", "Bearer").body("code", equalTo("tenant_suspended"));
        String revoked = "key-revoked" + UUID.randomUUID().toString().substring(0, 8);
        GatewayCredentialStub.revoke(revoked);
        given().auth().oauth2(revoked).get("/api/v1/whoami").then().statusCode(401).contentType(PROBLEM)
                .body("code", equalTo("revoked_credentials"));
        given().auth().oauth2(GatewayCredentialStub.UNKNOWN_KEY).get("/api/v1/whoami").then().statusCode(401)
                .contentType(PROBLEM).body("code", equalTo("invalid_credentials"));
    }

    @Test
    void aRefusedServiceCredentialIsNoRefusalOfTheTenantsKeyButA503LoggedOnce() {
        var errors = new CopyOnWriteArrayList<String>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()
                        && GatewayTenantCredentials.class.getName().equals(record.getLoggerName())) {
                    errors.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        GatewayCredentialStub.refuseServiceCredential(true);
        try {
            for (String key : List.of(fresh("acme"), fresh("globex"))) {
                given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(503).contentType(PROBLEM)
                        .body("code", equalTo("credentials_unavailable"));
                assertThat(GatewayCredentialStub.calls(key)).as("the gateway was asked").isEqualTo(1);
            }
        } finally {
            GatewayCredentialStub.refuseServiceCredential(false);
            Logger.getLogger("").removeHandler(capture);
        }
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst()).contains("voicecoach.auth.service-token").contains("invalid_service_credential");

        String key = fresh("acme");
        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(200).body("tenant", startsWith("acme-"));
    }

    /** A key of {@code tenant} nobody has verified yet (never in the cache). */
    private static String fresh(String tenant) {
        return GatewayCredentialStub.keyOf(tenant) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
