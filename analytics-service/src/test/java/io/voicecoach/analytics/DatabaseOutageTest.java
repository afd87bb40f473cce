package io.voicecoach.analytics;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.SharedInfrastructure;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away while a call's events arrive: ingestion holds the batches and retries until the database
 * answers again, then stores everything exactly once; nothing is parked in a dead-letter topic.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class DatabaseOutageTest {

    private static final String DEMO_KEY = GatewayCredentialStub.keyOf("demo");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> TOPICS = List.of(Topics.SESSIONS, Topics.TRANSCRIPTS, Topics.SUGGESTIONS,
            Topics.TOOL_CALLS, Topics.TOOL_RESULTS);

    @Inject
    AgroalDataSource dataSource;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        SharedInfrastructure.postgres().acceptConnections();
        // the pool still holds connections the outage ended; the test classes after this one must not meet them
        dataSource.flush(AgroalDataSource.FlushMode.INVALID);
        kafka.close();
    }

    @Test
    void eventsThatArriveDuringAnOutageAreStoredOnceItEndsAndNoneIsParked() {
        var call = DemoCall.of("demo");
        var toolCall = DemoCall.envelope(EventTypes.TOOL_CALL, "demo", call.session(), 5, call.at(2800),
                new ToolCall("call_outage_1", "get_battle_card", EventJson.tree(java.util.Map.of("category", "price")),
                        "coaching-service", 400));
        var toolResult = DemoCall.envelope(EventTypes.TOOL_RESULT, "demo", call.session(), 1, call.at(2850),
                new ToolResult("call_outage_1", "get_battle_card", ToolResult.OK,
                        EventJson.tree(java.util.Map.of("title", "Anchor on value")), null, 12));
        var dlqs = new ArrayList<KafkaTestClient.TopicReader>();
        try {
            TOPICS.forEach(topic -> dlqs.add(kafka.read(Topics.deadLetter(topic))));
            double waitsBefore = counted("voicecoach_analytics_database_waits_total");

            SharedInfrastructure.postgres().refuseConnections();
            call.send(kafka);
            kafka.send(Topics.TOOL_CALLS, toolCall);
            kafka.send(Topics.TOOL_RESULTS, toolResult);
            // ingestion has met the outage and is holding a batch (readiness reports the datasource DOWN meanwhile)
            await().atMost(WAIT).until(() -> counted("voicecoach_analytics_database_waits_total") > waitsBefore);
            given().get("/q/health/ready").then().statusCode(503);
            SharedInfrastructure.postgres().acceptConnections();

            var session = SessionIngestTest.awaitSession(DEMO_KEY, call.session(),
                    s -> s.getString("endedAt") != null && s.getList("utterances").size() == 3
                            && s.getList("suggestions.deliveredAt").stream().allMatch(d -> d != null)
                            && s.getList("suggestions").size() == 2 && s.getList("toolCalls").size() == 1
                            && s.getList("suggestions.kind").stream().allMatch(k -> k != null)
                            && "ok".equals(s.getString("toolCalls[0].outcome")));
            SessionIngestTest.assertComplete(call, session);

            // a poison record behind the call on each topic's partition: it is the first record of this session
            // parked, so none of the call's events was
            for (String topic : TOPICS) {
                kafka.sendRaw(topic, call.session(), "marker: not an envelope");
            }
            for (var dlq : dlqs) {
                var parked = dlq.awaitOne(r -> call.session().equals(r.key()), WAIT);
                assertThat(parked.valueAsString()).as("first record of the session parked in %s", parked.topic())
                        .isEqualTo("marker: not an envelope");
            }
            var listed = given().header("Authorization", "Bearer " + DEMO_KEY)
                    .get("/api/v1/sessions?rep=rep_7&limit=100").then().statusCode(200).extract().jsonPath();
            int index = listed.getList("sessions.sessionId").indexOf(call.session());
            assertThat(listed.getInt("sessions[" + index + "].utteranceCount")).isEqualTo(3);
            assertThat(listed.getInt("sessions[" + index + "].suggestionCount")).isEqualTo(2);
        } finally {
            dlqs.forEach(KafkaTestClient.TopicReader::close);
        }
    }

    private static double counted(String metric) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(metric))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
