package io.voicecoach.coaching.agent;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.llm.LlmRefusedException;
import io.voicecoach.coaching.llm.StubLlmResource;
import io.voicecoach.coaching.llm.StubLlmServer;
import io.voicecoach.coaching.llm.TokenUsage;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Topics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tenant's LLM calls stay within its share of the pool and its rate: beyond them a reply fails at once with the
 * documented code on {@code agent.response.done}, no LLM request is made for it, and another tenant's replies go on.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(StubLlmResource.class)
class LlmFairShareTest {

    @Inject
    SessionStateLookup sessions;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final StubLlmServer stub = StubLlmResource.server();

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        for (String tenant : List.of(StubLlmResource.FLOOD_TENANT, StubLlmResource.RATE_TENANT)) {
            stub.reset(tenant);
            stub.tools(tenant, "{\"tools\": []}");
        }
        stub.reset(StubLlmResource.AGENT_TENANT);
        stub.tools(StubLlmResource.AGENT_TENANT, AgentCalls.AGENT_TOOLS);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aTenantAtItsShareOfInFlightCallsIsRefusedWhileAnotherTenantIsServed() {
        String flood = StubLlmResource.FLOOD_TENANT; // its share: one call in flight
        var release = new CountDownLatch(1);
        stub.then(flood, StubLlmServer.streamThenWait(List.of("One moment"), release, ", please.", new TokenUsage(5, 2)));
        var holding = new AgentCalls(kafka, flood).start(sessions);
        var refused = new AgentCalls(kafka, flood).start(sessions);
        var other = new AgentCalls(kafka, StubLlmResource.AGENT_TENANT).start(sessions);
        stub.then(StubLlmResource.AGENT_TENANT, StubLlmServer.text(new TokenUsage(5, 2), "Served."));
        try (var replies = kafka.read(Topics.AGENT_REPLIES)) {
            holding.customerSays("Please hold the line.");
            replies.awaitOne(r -> holding.ofType(r, io.voicecoach.events.EventTypes.AGENT_TEXT_DELTA), AgentCalls.BOUND);

            refused.customerSays("And me?");
            var done = refused.awaitDone(replies, 1).getFirst();
            assertThat(done.status()).isEqualTo("failed");
            assertThat(done.code()).isEqualTo(LlmRefusedException.TENANT_BUSY);

            other.customerSays("Is anyone there?");
            var served = other.awaitDone(replies, 1).getFirst();
            assertThat(served.status()).isEqualTo("completed");
            assertThat(served.deliveredText()).isEqualTo("Served.");

            release.countDown();
            assertThat(holding.awaitDone(replies, 1).getFirst().deliveredText()).isEqualTo("One moment, please.");
        } finally {
            release.countDown();
        }
        assertThat(stub.requests(flood)).as("the refused reply never reached the LLM").hasSize(1);
    }

    @Test
    void aTenantBeyondItsCallRateIsRefusedWithTheRateCode() {
        String tenant = StubLlmResource.RATE_TENANT; // one call a minute, a burst of one
        stub.fallback(tenant, StubLlmServer.text(new TokenUsage(5, 2), "Hello."));
        var call = new AgentCalls(kafka, tenant).start(sessions);
        try (var replies = kafka.read(Topics.AGENT_REPLIES)) {
            call.customerSays("Hello?");
            var first = call.awaitDone(replies, 1).getFirst();
            call.customerSays("Hello again?");
            var second = call.awaitDone(replies, 2).getLast();
            assertThat(first.status()).isEqualTo("completed");
            assertThat(second.status()).isEqualTo("failed");
            assertThat(second.code()).isEqualTo(LlmRefusedException.RATE_LIMITED);
        }
        assertThat(stub.requests(tenant)).hasSize(1);
    }
}
