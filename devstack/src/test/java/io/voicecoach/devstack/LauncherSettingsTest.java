package io.voicecoach.devstack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherSettingsTest {

    @Test
    void defaultsAreTheDocumentedPortsAndEmbeddedInfrastructure() {
        var settings = LauncherSettings.fromEnvironment(Map.of("VOICECOACH_HOME", "/tmp/vc"));

        assertThat(settings.ports()).containsExactlyInAnyOrderEntriesOf(Map.of(Service.GATEWAY, 8080,
                Service.TRANSCRIPTION, 8081, Service.COACHING, 8082, Service.TOOL, 8083, Service.ANALYTICS, 8084));
        assertThat(settings.embeddedKafka()).isTrue();
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.kafkaControllerPort()).isEqualTo(9093);
        assertThat(settings.embeddedPostgres()).isTrue();
        assertThat(settings.postgresPort()).isEqualTo(5433);
        assertThat(settings.demoApiKey()).isEqualTo("vc_demo_local_0123456789abcdef");
        assertThat(settings.pidFile()).isEqualTo(Path.of("/tmp/vc/.devstack/launcher.pid"));
        assertThat(settings.logDir()).isEqualTo(Path.of("/tmp/vc/.devstack/logs"));
    }

    @Test
    void environmentOverridesPortsBrokerDatabaseAndKey() {
        var settings = LauncherSettings.fromEnvironment(Map.of(
                "VOICECOACH_HOME", "/tmp/vc",
                "VOICECOACH_GATEWAY_PORT", "18080",
                "VOICECOACH_KAFKA_BOOTSTRAP", "kafka:9092",
                "VOICECOACH_POSTGRES_URL", "jdbc:postgresql://db:5432/vc",
                "VOICECOACH_POSTGRES_USER", "vc",
                "VOICECOACH_POSTGRES_PASSWORD", "secret",
                "VOICECOACH_DEMO_API_KEY", "vc_other_key_123"));

        assertThat(settings.ports().get(Service.GATEWAY)).isEqualTo(18080);
        assertThat(settings.ports().get(Service.COACHING)).isEqualTo(8082);
        assertThat(settings.embeddedKafka()).isFalse();
        assertThat(settings.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(settings.postgres()).isEqualTo(new Database("jdbc:postgresql://db:5432/vc", "vc", "secret"));
        assertThat(settings.suiteConfig().realtimeUrl()).isEqualTo("ws://127.0.0.1:18080/v1/realtime");
        assertThat(settings.suiteConfig().demoApiKey()).isEqualTo("vc_other_key_123");
    }

    @Test
    void aPortThatIsNotANumberIsRefusedByName() {
        assertThatThrownBy(() -> LauncherSettings.fromEnvironment(Map.of("VOICECOACH_TOOL_PORT", "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VOICECOACH_TOOL_PORT");
    }

    @Test
    void eachServiceGetsItsPortBrokerSchemaAndWiringBeforeTheJar() {
        var settings = LauncherSettings.fromEnvironment(Map.of("VOICECOACH_HOME", "/tmp/vc"));
        var config = settings.suiteConfig("127.0.0.1:9092",
                new Database("jdbc:postgresql://127.0.0.1:5433/voicecoach?sslmode=disable", "postgres", "pw"));

        var gateway = Suite.command(config, Service.GATEWAY);
        assertThat(gateway).containsSubsequence("-Dquarkus.http.port=8080", "-jar",
                "/tmp/vc/gateway-service/target/quarkus-app/quarkus-run.jar");
        assertThat(gateway.subList(0, gateway.indexOf("-jar"))).contains(
                "-Dkafka.bootstrap.servers=127.0.0.1:9092",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5433/voicecoach?sslmode=disable"
                        + "&currentSchema=gateway",
                "-Dquarkus.datasource.username=postgres",
                "-Dvoicecoach.bootstrap.tenant-id=demo",
                "-Dvoicecoach.bootstrap.api-key=vc_demo_local_0123456789abcdef");
        assertThat(gateway.getLast()).endsWith("quarkus-run.jar");
        assertThat(Suite.command(config, Service.TOOL)).contains("-Dvoicecoach.tools.seed-tenant=demo",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5433/voicecoach?sslmode=disable"
                        + "&currentSchema=tool",
                "-Dvoicecoach.auth.gateway-url=http://127.0.0.1:8080",
                "-Dvoicecoach.tools.knowledge.base-url=http://127.0.0.1:8082");
        assertThat(Suite.command(config, Service.ANALYTICS))
                .contains("-Dvoicecoach.auth.gateway-url=http://127.0.0.1:8080");
        assertThat(Suite.command(config, Service.COACHING)).contains(
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5433/voicecoach?sslmode=disable"
                        + "&currentSchema=coaching",
                "-Dvoicecoach.auth.gateway-url=http://127.0.0.1:8080",
                "-Dvoicecoach.agent.tools-url=http://127.0.0.1:8083");
        assertThat(Suite.command(config, Service.TRANSCRIPTION)).noneMatch(arg -> arg.contains("datasource"));

        var tuned = Suite.command(config.withProperty(Service.COACHING, "voicecoach.coaching.battle-card-wait", "3s"),
                Service.COACHING);
        assertThat(tuned).containsSubsequence("-Dkafka.bootstrap.servers=127.0.0.1:9092",
                "-Dvoicecoach.coaching.battle-card-wait=3s", "-jar");
    }
}
