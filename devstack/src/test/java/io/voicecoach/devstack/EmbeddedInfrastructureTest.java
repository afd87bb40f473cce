package io.voicecoach.devstack;

import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedInfrastructureTest {

    @Test
    void brokerCarriesEnvelopesBetweenProducerAndReader() {
        try (var client = KafkaTestClient.forSharedBroker(); var reader = client.read(Topics.SESSIONS)) {
            var sent = Envelope.of(EventTypes.SESSION_ENDED, "acme", "sess_42", 1, "test", new SessionEnded("client_closed", 10));
            client.send(Topics.SESSIONS, sent);

            var received = reader.awaitOne(r -> r.envelope() != null && r.envelope().eventId().equals(sent.eventId()),
                    Duration.ofSeconds(20));

            assertThat(received.key()).isEqualTo("sess_42");
            assertThat(received.envelope().payloadAs(SessionEnded.class).reason()).isEqualTo("client_closed");
        }
    }

    @Test
    void postgresServesTheVoicecoachDatabase() throws Exception {
        var postgres = SharedInfrastructure.postgres();
        try (var connection = DriverManager.getConnection(postgres.jdbcUrlForSchema("public"),
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
             var rs = connection.createStatement().executeQuery("SELECT current_database(), version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("voicecoach");
            assertThat(rs.getString(2)).startsWith("PostgreSQL");
        }
    }

    @Test
    void postgresRestartsOnTheSamePortWithItsData(@TempDir Path dir) throws Exception {
        try (var postgres = EmbeddedPostgresServer.start(0, dir.resolve("pg"))) {
            int port = postgres.port();
            String url = postgres.jdbcUrlForSchema("public");
            try (var connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD); var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id int primary key)");
                statement.execute("INSERT INTO kept VALUES (42)");
            }
            var before = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);

            postgres.stop();
            assertThat(postgres.running()).isFalse();
            assertThatThrownBy(() -> DriverManager.getConnection(url, EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD)).as("nothing answers while it is down")
                    .isInstanceOf(java.sql.SQLException.class);
            postgres.start();

            assertThat(postgres.port()).isEqualTo(port);
            assertThatThrownBy(() -> before.createStatement().executeQuery("SELECT 1"))
                    .as("a connection from before the restart is gone").isInstanceOf(java.sql.SQLException.class);
            try (var connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD);
                 var rs = connection.createStatement().executeQuery("SELECT id FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void anOutageOfTheDatabaseEndsItsSessionsAndRefusesNewOnesUntilItEnds() throws Exception {
        var postgres = SharedInfrastructure.postgres();
        String url = postgres.jdbcUrlForSchema("public");
        var open = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
        try {
            postgres.refuseConnections();
            assertThatThrownBy(() -> open.createStatement().executeQuery("SELECT 1"))
                    .isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD)).hasMessageContaining("not currently accepting connections");
        } finally {
            postgres.acceptConnections();
        }
        try (var again = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
             var rs = again.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aTemporaryPostgresRefusesToRestart() {
        assertThatThrownBy(() -> SharedInfrastructure.postgres().stop()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data folder");
    }

    @Test
    void theBrokerProcessRestartsOnTheSamePortWithItsTopicsAndRecords(@TempDir Path dir) {
        try (var kafka = KafkaProcess.startOnFreePorts(dir.resolve("kafka"), dir.resolve("kafka.log"),
                Duration.ofSeconds(90))) {
            var sent = Envelope.of(EventTypes.SESSION_ENDED, "acme", "sess_kept", 1, "test",
                    new SessionEnded("client_closed", 10));
            try (var client = new KafkaTestClient(kafka.bootstrapServers())) {
                client.send(Topics.SESSIONS, sent);
            }
            long pid = kafka.process().pid();

            kafka.restart(Duration.ofSeconds(90));

            assertThat(kafka.process().pid()).isNotEqualTo(pid);
            assertThat(kafka.process().alive()).isTrue();
            try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(java.util.Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(), "group.id", "restart-test",
                    "auto.offset.reset", "earliest"), new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.StringDeserializer())) {
                consumer.subscribe(java.util.List.of(Topics.SESSIONS));
                var values = new java.util.ArrayList<String>();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                    return values.stream().anyMatch(v -> v.contains(sent.eventId().toString()));
                });
            }
            assertThat(ManagedProcess.tail(kafka.log(), 100_000).lines()
                    .filter(line -> line.equals("kafka ready on " + kafka.bootstrapServers())))
                    .as("one log for both runs").hasSize(2);
        }
    }
}
