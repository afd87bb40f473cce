package io.voicecoach.tools;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.calls.ToolCallHandler;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.voicecoach.tools.Calls.error;
import static io.voicecoach.tools.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code search_knowledge} asks coaching-service's internal search (played by {@link KnowledgeSearchStub}). */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class KnowledgeSearchTest {

    @Inject
    ToolCallHandler handler;

    private Calls calls;

    @BeforeEach
    void calls() {
        calls = new Calls(handler);
    }

    @Test
    void searchesTheCallingTenantsKnowledgeBase() {
        var found = ok(calls.call("demo", "search_knowledge",
                "{\"query\": \"does the warranty cover brakes?\", \"max_results\": 2}"));
        assertThat(found.path("query").asText()).isEqualTo("does the warranty cover brakes?");
        assertThat(found.path("results")).hasSize(2);
        var first = found.path("results").get(0);
        assertThat(first.path("documentId").asText()).isEqualTo("doc-demo-0");
        assertThat(first.path("documentTitle").asText()).isEqualTo("demo handbook");
        assertThat(first.path("chunkIndex").asInt()).isZero();
        assertThat(first.path("excerpt").asText()).contains("does the warranty cover brakes?");
        assertThat(first.path("score").asDouble()).isGreaterThan(found.path("results").get(1).path("score").asDouble());

        // the tenant comes from the call: another tenant's search reaches its own knowledge base only
        var other = ok(calls.call("other", "search_knowledge", "{\"query\": \"warranty\"}"));
        assertThat(other.path("results")).hasSize(3);
        assertThat(other.path("results").findValuesAsText("documentTitle")).containsOnly("other handbook");
    }

    @Test
    void badArgumentsAreRefusedBeforeSearching() {
        error(calls.call("demo", "search_knowledge", "{}"), "invalid_arguments");
        error(calls.call("demo", "search_knowledge", "{\"query\": \"x\", \"max_results\": 50}"), "invalid_arguments");
        error(calls.call("demo", "search_knowledge", "{\"query\": \"warranty\", \"tenant\": \"other\"}"),
                "invalid_arguments");
    }

    @Test
    void aFailingOrSlowKnowledgeBaseIsReportedUnavailableInTime() {
        var failed = error(calls.call("demo", "search_knowledge", "{\"query\": \"boom\"}"), "unavailable");
        assertThat(failed.error().message()).contains("knowledge base");

        long start = System.nanoTime();
        var slow = error(calls.call("demo", "search_knowledge", "{\"query\": \"slow question\"}"), "unavailable");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(slow.error().message()).contains("try again");
        // the knowledge client times out after 3 s in %test (below the tool's 5 s limit); the stub would answer after 10 s
        assertThat(tookMs).isBetween(2500L, 9000L);
    }
}
