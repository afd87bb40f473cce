package io.voicecoach.tools;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.SharedInfrastructure;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.tools.audit.ToolCallLog;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL is unavailable while tool calls arrive: a call is retried until the database answers again within its
 * deadline and then carried out once; a call whose deadline passes first is answered {@code unavailable} in time.
 * Neither lands in {@code tool.calls.dlq}.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
class DatabaseOutageTest {

    private static final String DEMO = "demo";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    MeterRegistry meters;

    @Inject
    ToolCallLog log;

    @Inject
    AgroalDataSource dataSource;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private KafkaTestClient.TopicReader results;
    private KafkaTestClient.TopicReader deadLetters;
    private final String session = "sess_" + UUID.randomUUID();

    @BeforeEach
    void read() {
        results = kafka.read(Topics.TOOL_RESULTS);
        deadLetters = kafka.read(Topics.deadLetter(Topics.TOOL_CALLS));
    }

    @AfterEach
    void close() {
        SharedInfrastructure.postgres().acceptConnections();
        // the pool still holds connections the outage ended; the test classes after this one must not meet them
        dataSource.flush(AgroalDataSource.FlushMode.INVALID);
        results.close();
        deadLetters.close();
        kafka.close();
    }

    @Test
    void aCallDuringAnOutageIsCarriedOutOnceTheDatabaseIsBackWithinItsDeadline() {
        double retriesBefore = retries();
        String callId = "call_" + UUID.randomUUID();

        SharedInfrastructure.postgres().refuseConnections();
        send(callId, "lookup_customer", "{\"phone\": \"+16175550101\"}", 30_000);
        await().atMost(WAIT).until(() -> retries() > retriesBefore);
        assertThat(results.envelopes(session, EventTypes.TOOL_RESULT)).as("no answer while the database is away")
                .isEmpty();
        SharedInfrastructure.postgres().acceptConnections();

        var result = results.awaitOne(r -> resultOf(r.envelope(), callId), WAIT).envelope().payloadAs(ToolResult.class);
        assertThat(result.status()).as("result %s", result).isEqualTo(ToolResult.OK);
        assertThat(result.result().path("customer").path("name").asText()).isEqualTo("Maria Gonzalez");
        assertThat(QuarkusTransaction.requiringNew().call(() -> log.countForCall(DEMO, callId))).isEqualTo(1);
        assertNothingParked();
        assertThat(results.envelopes(session, EventTypes.TOOL_RESULT)).as("one answer").hasSize(1);
    }

    @Test
    void aCallWhoseDeadlinePassesDuringTheOutageIsAnsweredUnavailableInTime() {
        String callId = "call_" + UUID.randomUUID();

        SharedInfrastructure.postgres().refuseConnections();
        long sent = System.nanoTime();
        send(callId, "get_battle_card", "{\"category\": \"price\"}", 800);
        var result = results.awaitOne(r -> resultOf(r.envelope(), callId), WAIT).envelope().payloadAs(ToolResult.class);
        long answeredMs = (System.nanoTime() - sent) / 1_000_000;

        assertThat(result.status()).isEqualTo(ToolResult.ERROR);
        assertThat(result.error().code()).isEqualTo("unavailable");
        assertThat(result.error().message()).contains("database").contains("not carried out");
        assertThat(answeredMs).as("answered about when the caller stops waiting (800 ms + 200 ms grace), ms")
                .isLessThan(WAIT.toMillis());
        SharedInfrastructure.postgres().acceptConnections();
        assertNothingParked();
    }

    /** A poison record behind the calls on the session's partition is the first of the session to be parked. */
    private void assertNothingParked() {
        kafka.sendRaw(Topics.TOOL_CALLS, session, "marker: not an envelope");
        var parked = deadLetters.awaitOne(r -> session.equals(r.key()), WAIT);
        assertThat(parked.valueAsString()).isEqualTo("marker: not an envelope");
    }

    private void send(String callId, String tool, String arguments, long timeoutMs) {
        kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, DEMO, session, 1, "coaching-service",
                new ToolCall(callId, tool, Calls.json(arguments), "coaching-service", timeoutMs)));
    }

    private static boolean resultOf(Envelope envelope, String callId) {
        return envelope != null && EventTypes.TOOL_RESULT.equals(envelope.type())
                && callId.equals(envelope.payloadAs(ToolResult.class).callId());
    }

    private double retries() {
        var counter = meters.find("voicecoach.tool.database.retries").counter();
        return counter == null ? 0 : counter.count();
    }
}
