package io.voicecoach.devstack;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voicecoach replay} against a local server that answers as coaching-service's replay API does. */
class ReplayCommandTest {

    private static final String REPORT = """
            {"playbookVersion": 3, "playbookName": "q4", "activeVersion": 2, "complete": true, "sessions": 1,
             "utterances": 2, "counts": {"added": 1, "removed": 0, "recategorised": 1, "unchanged": 0},
             "latency": {"liveP50Ms": 210.0, "liveP95Ms": 480.0, "replayDetectP50Ms": 0.4, "replayDetectP95Ms": 12.5},
             "changes": [
               {"sessionId": "sess_1", "utteranceId": "u2", "text": "Onboarding is slow.", "change": "added",
                "replayed": {"kind": "objection", "category": "need", "source": "rules", "title": "Need objection"}},
               {"sessionId": "sess_1", "utteranceId": "u4", "text": "The price is too high.", "change": "recategorised",
                "live": {"kind": "objection", "category": "price", "source": "rules", "title": "Price objection"},
                "replayed": {"kind": "objection", "category": "budget", "source": "rules", "title": "Budget"}}]}""";

    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void sendsTheSessionAndVersionWithTheKeyAndPrintsEveryChange() throws Exception {
        URI coaching = serve(200, REPORT);
        int code = run(coaching, "--session", "sess_1", "--playbook-version", "3", "--key", "vck_tenant");

        assertThat(code).isZero();
        assertThat(body.get()).isEqualTo("{\"sessionId\":\"sess_1\",\"playbookVersion\":3}");
        assertThat(authorization.get()).isEqualTo("Bearer vck_tenant");
        assertThat(text(out)).contains("playbook version 3 (q4; active: 2), 1 session(s), 2 coached utterance(s)")
                .contains("added 1, removed 0, re-categorised 1, unchanged 0")
                .contains("live: transcript -> suggestion p50 210.0 ms")
                .contains("added         sess_1  \"Onboarding is slow.\"", "live: (none)",
                        "now:  objection/need (rules): Need objection")
                .contains("live: objection/price (rules): Price objection", "now:  objection/budget (rules): Budget");
    }

    @Test
    void withAnLlmModelTheModelIsSentAndItsAdviceChangesPrinted() throws Exception {
        URI coaching = serve(200, REPORT.substring(0, REPORT.length() - 1) + """
                , "llm": {"model": "strong-model", "calls": 3, "failed": 1, "complete": false, "promptTokens": 300,
                  "completionTokens": 60, "costUsd": 0.24, "latencyP50Ms": 420.0, "latencyP95Ms": 900.0,
                  "counts": {"added": 0, "removed": 1, "recategorised": 0, "unchanged": 1},
                  "changes": [{"sessionId": "sess_1", "utteranceId": "u6", "text": "When can we start?",
                    "change": "removed",
                    "live": {"kind": "buying_signal", "category": "buying_signal", "source": "llm", "title": "Close"}}]}}""");
        assertThat(run(coaching, "--session", "sess_1", "--llm-model", "strong-model")).isZero();
        assertThat(body.get()).isEqualTo("{\"sessionId\":\"sess_1\",\"llm\":{\"model\":\"strong-model\"}}");
        assertThat(text(out)).contains("LLM strong-model: 3 request(s), 1 failed (NOT complete); 300 prompt + 60 "
                        + "completion tokens, $0.2400; p50 420.0 ms, p95 900.0 ms")
                .contains("LLM advice: added 0, removed 1, re-categorised 0, unchanged 1")
                .contains("removed       sess_1  \"When can we start?\"", "live: buying_signal/buying_signal (llm): Close",
                        "now:  (none)");
    }

    @Test
    void aRefusalPrintsTheProblemAndEachFieldAndFails() throws Exception {
        URI coaching = serve(400, """
                {"status": 400, "code": "invalid_replay", "detail": "the replay request is not valid",
                 "errors": [{"path": "$.sessionId", "message": "name a session, or a range with from and to"}]}""");
        assertThat(run(coaching, "--playbook-version", "1")).isEqualTo(1);
        assertThat(text(err)).contains("400 the replay request is not valid")
                .contains("$.sessionId: name a session, or a range with from and to");
    }

    @Test
    void badOptionsAreRefusedBeforeAnyRequest() throws Exception {
        URI coaching = serve(200, REPORT);
        assertThat(run(coaching, "--sesion", "x")).isEqualTo(2);
        assertThat(run(coaching, "--session")).isEqualTo(2);
        assertThat(run(coaching)).isEqualTo(2);
        assertThat(text(err)).contains("unknown option --sesion").contains("--session needs a value").contains("usage:");
        assertThat(body.get()).isNull();
        assertThat(run(coaching, "--help")).isZero();
    }

    @Test
    void aSuiteThatIsNotRunningIsNamed() {
        assertThat(run(URI.create("http://127.0.0.1:1"), "--session", "s")).isEqualTo(1);
        assertThat(text(err)).contains("cannot reach coaching-service").contains("./voicecoach up");
    }

    private int run(URI coaching, String... args) {
        return ReplayCommand.run(List.of(args), coaching, "vck_demo", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private URI serve(int status, String answer) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/replays", exchange -> {
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
