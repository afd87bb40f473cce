package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19: with access logging on (the default pattern of application.properties, written to a file here), a
 * {@code ?client_secret=} never reaches the log: neither from a WebSocket upgrade nor from a plain request (the
 * line keeps the path).
 */
@QuarkusTest
@TestProfile(AccessLogTest.AccessLogToFile.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class AccessLogTest {

    static final Path DIRECTORY = Path.of("target", "access-log-test");
    static final Path FILE = DIRECTORY.resolve("access.log");

    public static class AccessLogToFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return toFile(DIRECTORY);
        }
    }

    /** Access logging on, to {@code directory}/access.log (emptied first). */
    static Map<String, String> toFile(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(directory.resolve("access.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.http.access-log.enabled", "true",
                "quarkus.http.access-log.log-to-file", "true",
                "quarkus.http.access-log.log-directory", directory.toAbsolutePath().toString(),
                "quarkus.http.access-log.base-file-name", "access",
                "quarkus.http.access-log.rotate", "false");
    }

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    @Test
    void aClientSecretInTheQueryNeverReachesTheAccessLog() {
        var tenant = new TestTenants(directory, apiKeys).create("access_log");
        String secret = given().header("Authorization", "Bearer " + tenant.key()).post("/v1/realtime/client_secrets")
                .then().statusCode(200).extract().jsonPath().getString("value");
        String refused = ApiKeys.CLIENT_SECRET_PREFIX + "refusedSecretThatMustNotBeLogged0123456789";

        try (var client = RealtimeClient.connectWith(URI.create(websocket(realtime)
                + "?model=gpt-realtime&client_secret=" + secret), b -> { })) {
            client.sessionId();
        }
        assertThat(RealtimeClient.refusalWith(URI.create(websocket(realtime) + "?client_secret=" + refused),
                b -> { })).isEqualTo(401);
        given().get("/v1/realtime?client_secret=" + secret).then().statusCode(org.hamcrest.Matchers.greaterThan(0));

        // the refused upgrade (401) and the plain request (404) are logged, by path; Quarkus writes no line for an
        // accepted upgrade (101), so the first connection's query could not show either way
        await().atMost(WAIT).until(() -> log().lines().filter(line -> line.contains("\"GET /v1/realtime"))
                .count() >= 2);
        String log = log();
        assertThat(log).doesNotContain(secret).doesNotContain(refused).doesNotContain("client_secret=")
                .doesNotContain("model=gpt-realtime");
    }

    private static String log() {
        try {
            return Files.exists(FILE) ? Files.readString(FILE) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
