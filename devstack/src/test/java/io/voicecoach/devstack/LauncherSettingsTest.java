package io.voicecoach.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
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
                .contains("-Dvoicecoach.auth.gateway-url=http://127.0.0.1:8080",
                        "-Dquarkus.rest-client.coaching.url=http://127.0.0.1:8082");
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

    @Test
    void oneReplicaRunsEachServiceOnItsOwnPortWithoutABalancer() {
        var config = LauncherSettings.fromEnvironment(Map.of("VOICECOACH_HOME", "/tmp/vc")).suiteConfig();

        assertThat(config.replicas()).isEqualTo(1);
        assertThat(config.balanced()).isFalse();
        assertThat(config.instances(Service.GATEWAY)).containsExactly(
                new Instance(Service.GATEWAY, 1, "gateway-service", 8080));
        assertThat(config.log(config.instances(Service.GATEWAY).getFirst()))
                .isEqualTo(Path.of("/tmp/vc/.devstack/logs/gateway-service.log"));
    }

    @Test
    void replicasGetTheirOwnPortsIdsClientIdsStateAndLogsWhileOtherServicesAreReachedThroughTheBalancers() {
        var settings = LauncherSettings.fromEnvironment(Map.of("VOICECOACH_HOME", "/tmp/vc",
                "VOICECOACH_REPLICAS", "2"));
        var config = settings.suiteConfig();

        assertThat(settings.replicas()).isEqualTo(2);
        assertThat(config.balanced()).isTrue();
        assertThat(config.port(Service.GATEWAY)).as("the public port, served by the balancer").isEqualTo(8080);
        assertThat(config.instances()).hasSize(10);
        assertThat(config.instances(Service.GATEWAY)).containsExactly(
                new Instance(Service.GATEWAY, 1, "gateway-service-1", 8180),
                new Instance(Service.GATEWAY, 2, "gateway-service-2", 8280));
        assertThat(config.instances(Service.ANALYTICS)).extracting(Instance::port).containsExactly(8184, 8284);

        var second = config.instances(Service.GATEWAY).get(1);
        assertThat(Suite.command(config, second)).contains("-Dquarkus.http.port=8280",
                "-Dvoicecoach.gateway.instance-id=gateway-service-2",
                "-Dmp.messaging.connector.smallrye-kafka.client-id-prefix=gateway-service-2-");
        assertThat(config.log(second)).isEqualTo(Path.of("/tmp/vc/.devstack/logs/gateway-service-2.log"));

        var coaching = config.instances(Service.COACHING).getFirst();
        assertThat(Suite.command(config, coaching)).contains("-Dquarkus.http.port=8182",
                "-Dkafka-streams.client.id=coaching-service-1",
                "-Dkafka-streams.state.dir=/tmp/vc/.devstack/instances/coaching-service-1/kafka-streams",
                "-Dvoicecoach.agent.tools-url=http://127.0.0.1:8083",
                "-Dvoicecoach.auth.gateway-url=http://127.0.0.1:8080");
        assertThat(Suite.command(config, config.instances(Service.ANALYTICS).get(1)))
                .contains("-Dvoicecoach.live.instance-id=analytics-service-2");
        assertThat(Suite.busyPorts(config)).as("nothing listens on the suite's ports here").isEmpty();
    }

    @Test
    void replicasOutsideOneToNineAreRefusedByName() {
        for (String replicas : List.of("0", "10", "two")) {
            assertThatThrownBy(() -> LauncherSettings.fromEnvironment(Map.of("VOICECOACH_REPLICAS", replicas)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("VOICECOACH_REPLICAS");
        }
    }

    @Test
    void theLocalLlmIsOffByDefaultAndWhenOnServesTheDemoTenantsCoaching() {
        assertThat(LauncherSettings.fromEnvironment(Map.of("VOICECOACH_HOME", "/tmp/vc")).llm()).isFalse();
        var settings = LauncherSettings.fromEnvironment(Map.of("VOICECOACH_HOME", "/tmp/vc", "VOICECOACH_LLM", "true",
                "VOICECOACH_LLM_PORT", "18090"));

        assertThat(settings.llm()).isTrue();
        assertThat(settings.llmBaseUrl()).isEqualTo("http://127.0.0.1:18090/v1");
        var coaching = Suite.command(settings.suiteConfig(), Service.COACHING);
        assertThat(coaching).contains("-Dvoicecoach.llm.tenants.demo.enabled=true",
                "-Dvoicecoach.llm.tenants.demo.base-url=http://127.0.0.1:18090/v1",
                "-Dvoicecoach.llm.tenants.demo.live-model=" + LocalLlm.MODEL);
        assertThat(Suite.command(settings.suiteConfig(), Service.GATEWAY)).noneMatch(a -> a.contains("llm"));
    }

    @Test
    void freePortConfigsGetDistinctInstancePortsAndAnEmptiedStateFolder(@TempDir Path dir) throws Exception {
        var logs = dir.resolve("logs");
        var leftover = dir.resolve("logs-state/coaching-service-1/kafka-streams/old");
        java.nio.file.Files.createDirectories(leftover);

        var config = SuiteConfig.withFreePorts(dir, logs, "127.0.0.1:9092", null, "key").withReplicas(2);

        assertThat(java.nio.file.Files.exists(leftover)).as("state of an earlier run is gone").isFalse();
        assertThat(config.stateDir(config.instances(Service.COACHING).getFirst()))
                .isEqualTo(dir.resolve("logs-state/coaching-service-1"));
        var allPorts = new java.util.HashSet<Integer>();
        config.instances().forEach(i -> allPorts.add(i.port()));
        for (Service service : Service.values()) {
            allPorts.add(config.port(service));
        }
        assertThat(allPorts).as("10 instance ports and 5 public ports, all different").hasSize(15);
    }
}
