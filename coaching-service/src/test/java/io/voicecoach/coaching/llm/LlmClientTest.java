package io.voicecoach.coaching.llm;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.voicecoach.coaching.llm.StubLlmServer.contentChunk;
import static io.voicecoach.coaching.llm.StubLlmServer.ending;
import static io.voicecoach.coaching.llm.StubLlmServer.roleChunk;
import static io.voicecoach.coaching.llm.StubLlmServer.toolCallChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chat-completions client against a local server speaking OpenAI's streaming wire format. */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(StubLlmResource.class)
class LlmClientTest {

    private static final String TENANT = StubLlmResource.COACH_TENANT;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    LlmClient client;

    private final StubLlmServer stub = StubLlmResource.server();
    private TenantLlm tenant;

    @BeforeEach
    void reset() {
        stub.reset(TENANT);
        tenant = client.tenant(TENANT).orElseThrow();
    }

    @Test
    void streamsContentDeltasAndReadsUsageFromTheLastChunk() {
        stub.then(TENANT, StubLlmServer.text(new TokenUsage(42, 7), "Anchor ", "on ", "value."));

        var events = client.stream(tenant, request()).collect().asList().await().atMost(WAIT);

        assertThat(events).hasSize(4);
        assertThat(events.subList(0, 3)).extracting(e -> ((ChatEvent.TextDelta) e).text())
                .containsExactly("Anchor ", "on ", "value.");
        var result = ((ChatEvent.Completed) events.getLast()).result();
        assertThat(result.text()).isEqualTo("Anchor on value.");
        assertThat(result.finishReason()).isEqualTo("stop");
        assertThat(result.usage()).isEqualTo(new TokenUsage(42, 7));
        assertThat(result.model()).isEqualTo("stub-model-2026");
        assertThat(result.toolCalls()).isEmpty();
    }

    @Test
    void sendsAStreamingRequestWithUsageRequestedAndTheTenantsKey() {
        stub.then(TENANT, StubLlmServer.text(new TokenUsage(1, 1), "ok"));

        client.complete(tenant, request().withTools(List.of(), "auto")).await().atMost(WAIT);

        var captured = stub.requests(TENANT).getFirst();
        assertThat(captured.path()).isEqualTo("/t/" + TENANT + "/v1/chat/completions");
        assertThat(captured.header("Authorization")).isEqualTo("Bearer " + StubLlmResource.API_KEY);
        assertThat(captured.header("Accept")).contains("text/event-stream");
        assertThat(captured.body().path("model").asText()).isEqualTo("fast-model");
        assertThat(captured.body().path("stream").asBoolean()).isTrue();
        assertThat(captured.body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(captured.body().path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(captured.body().has("tools")).as("no empty tools array").isFalse();
        assertThat(captured.body().has("tool_choice")).isFalse();
    }

    @Test
    void joinsToolCallDeltasByIndexAcrossChunks() {
        var payloads = new ArrayList<String>();
        payloads.add(roleChunk());
        payloads.add(toolCallChunk(0, "call_slots", "get_available_slots", ""));
        payloads.add(toolCallChunk(1, "call_cust", "lookup_customer", "{\"pho"));
        payloads.add(toolCallChunk(0, null, null, "{\"date\": "));
        payloads.add(toolCallChunk(1, null, null, "ne\": \"+1555\"}"));
        payloads.add(toolCallChunk(0, null, null, "\"2026-11-23\"}"));
        payloads.addAll(ending("tool_calls", new TokenUsage(80, 30)));
        stub.then(TENANT, StubLlmServer.sse(payloads));

        var result = client.complete(tenant, request()).await().atMost(WAIT);

        assertThat(result.finishReason()).isEqualTo("tool_calls");
        assertThat(result.text()).isEmpty();
        assertThat(result.toolCalls()).containsExactly(
                ToolCallRef.function("call_slots", "get_available_slots", "{\"date\": \"2026-11-23\"}"),
                ToolCallRef.function("call_cust", "lookup_customer", "{\"phone\": \"+1555\"}"));
        assertThat(result.usage()).isEqualTo(new TokenUsage(80, 30));
    }

    @Test
    void skipsGarbageLinesAndUnreadableDataButKeepsTheAnswer() {
        stub.then(TENANT, StubLlmServer.raw(": keep-alive comment\n\n"
                + "event: ping\ndata: {\"type\": \"ping\"\n\n"
                + "this line is not SSE at all\n\n"
                + "data: " + roleChunk() + "\n\n"
                + "data: <html>502 Bad Gateway</html>\n\n"
                + "data: " + contentChunk("still ") + "\n\n"
                + "data: " + contentChunk("fine") + "\n\n"
                + String.join("", ending("stop", new TokenUsage(5, 2)).stream().map(p -> "data: " + p + "\n\n").toList())));

        var result = client.complete(tenant, request()).await().atMost(WAIT);

        assertThat(result.text()).isEqualTo("still fine");
        assertThat(result.skippedChunks()).isEqualTo(2);
        assertThat(result.usage()).isEqualTo(new TokenUsage(5, 2));
    }

    @Test
    void aStreamOfOnlyGarbageIsABadResponse() {
        stub.then(TENANT, StubLlmServer.raw("data: not json\n\ndata: neither\n\n"));

        assertThatThrownBy(() -> client.complete(tenant, request()).await().atMost(WAIT))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.BAD_RESPONSE));
    }

    @Test
    void aStreamCutBeforeDoneIsABadResponse() {
        stub.then(TENANT, StubLlmServer.sse(List.of(roleChunk(), contentChunk("half an ans"))));

        assertThatThrownBy(() -> client.complete(tenant, request()).await().atMost(WAIT))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.BAD_RESPONSE);
                    assertThat(e.getMessage()).contains("before [DONE]");
                });
    }

    @Test
    void http429CarriesOpenAisErrorMessageAndRetryAfter() {
        stub.then(TENANT, StubLlmServer.error(429, "rate_limit_exceeded", "rate_limit_exceeded",
                "Rate limit reached for fast-model", "2"));

        assertThatThrownBy(() -> client.complete(tenant, request()).await().atMost(WAIT))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.RATE_LIMITED);
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).contains("Rate limit reached for fast-model");
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void http500IsARetryableServerErrorAnd401IsNot() {
        stub.then(TENANT, StubLlmServer.error(500, "server_error", null, "The server had an error"));
        stub.then(TENANT, StubLlmServer.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided"));

        assertThatThrownBy(() -> client.complete(tenant, request()).await().atMost(WAIT))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.SERVER_ERROR);
                    assertThat(e.getMessage()).contains("The server had an error");
                    assertThat(e.retryable()).isTrue();
                });
        assertThatThrownBy(() -> client.complete(tenant, request()).await().atMost(WAIT))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.CLIENT_ERROR);
                    assertThat(e.getMessage()).contains("Incorrect API key provided").contains("invalid_api_key");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void anErrorObjectInsideTheStreamFailsIt() {
        stub.then(TENANT, StubLlmServer.sse(List.of(roleChunk(),
                "{\"error\":{\"message\":\"upstream provider overloaded\",\"code\":502}}")));

        assertThatThrownBy(() -> client.complete(tenant, request()).await().atMost(WAIT))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.SERVER_ERROR);
                    assertThat(e.getMessage()).contains("upstream provider overloaded");
                });
    }

    @Test
    void aServerThatNeverAnswersIsCutByTheCallersDeadline() {
        stub.then(TENANT, stub.silent());
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.complete(tenant, request()).ifNoItem().after(Duration.ofMillis(300)).fail()
                .await().atMost(WAIT)).isInstanceOf(io.smallrye.mutiny.TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(stub.requests(TENANT)).hasSize(1);
    }

    @Test
    void retriesRateLimitsAndServerErrorsWithBackOffButNotClientErrors() {
        stub.then(TENANT, StubLlmServer.error(429, "rate_limit_exceeded", "rate_limit_exceeded", "slow down", "0"));
        stub.then(TENANT, StubLlmServer.error(503, "server_error", null, "overloaded"));
        stub.then(TENANT, StubLlmServer.text(new TokenUsage(3, 1), "third time lucky"));

        var result = Retries.withBackOff(() -> client.complete(tenant, request()), 3, Duration.ofMillis(20),
                Duration.ofMillis(200)).await().atMost(WAIT);

        assertThat(result.text()).isEqualTo("third time lucky");
        assertThat(stub.requests(TENANT)).hasSize(3);

        stub.reset(TENANT);
        stub.then(TENANT, StubLlmServer.error(400, "invalid_request_error", "model_not_found", "no such model"));
        assertThatThrownBy(() -> Retries.withBackOff(() -> client.complete(tenant, request()), 3, Duration.ofMillis(20),
                Duration.ofMillis(200)).await().atMost(WAIT)).isInstanceOf(LlmException.class);
        assertThat(stub.requests(TENANT)).hasSize(1);
    }

    @Test
    void callsOfOneTenantAtOnceDoNotCloseEachOthersConnection() {
        String busy = StubLlmResource.BUSY_TENANT;
        stub.fallback(busy, StubLlmServer.text(new TokenUsage(3, 2), "Anchor ", "on ", "value."));
        var busyTenant = client.tenant(busy).orElseThrow();
        var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
        // a call's end used to close its connection after it went back to the pool: the next call on it failed
        for (int round = 0; round < 200; round++) {
            var calls = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> client.complete(busyTenant, request()).onFailure().invoke(failures::add)
                            .onFailure().recoverWithNull())
                    .toList();
            io.smallrye.mutiny.Uni.join().all(calls).andCollectFailures().await().atMost(WAIT);
        }
        assertThat(failures).as("calls failed by another call's connection").isEmpty();
    }

    @Test
    void aDisabledOrUnknownTenantHasNoLlm() {
        assertThat(client.tenant(StubLlmResource.DISABLED_TENANT)).isEmpty();
        assertThat(client.tenant("demo")).isEmpty();
        assertThat(client.tenant(TENANT)).isPresent();
    }

    private ChatRequest request() {
        return ChatRequest.of(tenant.liveModel(), List.of(ChatMessage.system("You are a test."), ChatMessage.user("hi")));
    }
}
