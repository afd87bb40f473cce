package io.voicecoach.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code voicecoach replay}: asks coaching-service to re-run recorded calls through a playbook version in shadow mode
 * ({@code POST /api/v1/replays}) and prints what would have changed.
 */
final class ReplayCommand {

    static final String USAGE = """
            usage: voicecoach replay (--session ID | --from ISO-TIME --to ISO-TIME) [--playbook-version N]
                                     [--llm-model MODEL] [--key API-KEY]
              re-runs the session (or the tenant's sessions in the range) through the playbook version (default: the
              active one) without notifying anyone, and prints the suggestions it adds, removes or re-categorises;
              with --llm-model, also asks the tenant's LLM with that model about each customer utterance and prints
              where its advice differs from the LLM advice shown live (the tokens are real and cost money)""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayCommand() {
    }

    /** Runs the command against {@code coaching}; returns the exit code. */
    static int run(List<String> args, URI coaching, String defaultKey, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        var body = JSON.createObjectNode();
        String key = defaultKey;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                err.println("voicecoach replay: " + option + " needs a value\n" + USAGE);
                return 2;
            }
            String value = args.get(++i);
            switch (option) {
                case "--session" -> body.put("sessionId", value);
                case "--from" -> body.put("from", instant(value));
                case "--to" -> body.put("to", instant(value));
                case "--playbook-version" -> body.put("playbookVersion", Integer.parseInt(value));
                case "--llm-model" -> body.putObject("llm").put("model", value);
                case "--key" -> key = value;
                default -> {
                    err.println("voicecoach replay: unknown option " + option + "\n" + USAGE);
                    return 2;
                }
            }
        }
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            var request = HttpRequest.newBuilder(coaching.resolve("/api/v1/replays"))
                    .timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            var answer = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
            if (response.statusCode() != 200) {
                err.printf("voicecoach replay: %d %s%n", response.statusCode(), answer.path("detail").asText(""));
                answer.path("errors").forEach(e -> err.printf("  %s: %s%n", e.path("path").asText(),
                        e.path("message").asText()));
                return 1;
            }
            print(answer, out);
            return 0;
        } catch (IOException e) {
            err.println("voicecoach replay: cannot reach coaching-service at " + coaching + " (" + e.getMessage()
                    + ")\n  is the suite running? ./voicecoach up");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static void print(JsonNode report, PrintStream out) {
        var counts = report.path("counts");
        out.printf("playbook version %d (%s; active: %d), %d session(s), %d coached utterance(s)%s%n",
                report.path("playbookVersion").asInt(), report.path("playbookName").asText(),
                report.path("activeVersion").asInt(), report.path("sessions").asInt(),
                report.path("utterances").asInt(), report.path("complete").asBoolean() ? "" : " (NOT complete)");
        out.printf("added %d, removed %d, re-categorised %d, unchanged %d%n", counts.path("added").asInt(),
                counts.path("removed").asInt(), counts.path("recategorised").asInt(), counts.path("unchanged").asInt());
        var latency = report.path("latency");
        out.printf("live: transcript -> suggestion p50 %s ms, p95 %s ms; replay detection p50 %s ms, p95 %s ms%n",
                latency.path("liveP50Ms").asText("-"), latency.path("liveP95Ms").asText("-"),
                latency.path("replayDetectP50Ms").asText("-"), latency.path("replayDetectP95Ms").asText("-"));
        changes(report.path("changes"), out);
        var llm = report.path("llm");
        if (llm.isObject()) {
            var llmCounts = llm.path("counts");
            out.printf("LLM %s: %d request(s), %d failed%s; %d prompt + %d completion tokens, $%.4f; p50 %s ms, p95 %s ms%n",
                    llm.path("model").asText(), llm.path("calls").asInt(), llm.path("failed").asInt(),
                    llm.path("complete").asBoolean() ? "" : " (NOT complete)", llm.path("promptTokens").asLong(),
                    llm.path("completionTokens").asLong(), llm.path("costUsd").asDouble(),
                    llm.path("latencyP50Ms").asText("-"), llm.path("latencyP95Ms").asText("-"));
            out.printf("LLM advice: added %d, removed %d, re-categorised %d, unchanged %d%n",
                    llmCounts.path("added").asInt(), llmCounts.path("removed").asInt(),
                    llmCounts.path("recategorised").asInt(), llmCounts.path("unchanged").asInt());
            changes(llm.path("changes"), out);
        }
    }

    private static void changes(JsonNode changes, PrintStream out) {
        for (JsonNode change : changes) {
            out.printf("%-13s %s  \"%s\"%n    live: %s%n    now:  %s%n", change.path("change").asText(),
                    change.path("sessionId").asText(), change.path("text").asText(), found(change.path("live")),
                    found(change.path("replayed")));
        }
    }

    private static String found(JsonNode suggestion) {
        if (suggestion.isMissingNode() || suggestion.isNull()) {
            return "(none)";
        }
        return suggestion.path("kind").asText() + "/" + suggestion.path("category").asText() + " ("
                + suggestion.path("source").asText() + "): " + suggestion.path("title").asText();
    }

    private static String instant(String value) {
        try {
            return Instant.parse(value).toString();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 time such as 2026-12-01T09:00:00Z: " + value);
        }
    }
}
