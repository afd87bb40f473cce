package io.voicecoach.devstack;

import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

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
}
