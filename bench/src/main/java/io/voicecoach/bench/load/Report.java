package io.voicecoach.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The tables {@link LoadBench} prints, and the JSON it writes (read back by {@link ScalingChart}). */
final class Report {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Everything about one level, as it ends. */
    static void level(LevelResult level, boolean speech, PrintStream out) {
        out.println();
        out.printf("level %d (%s, %d leg(s) per call): %d calls measured in the %.0f s steady window; calls started "
                        + "%d, completed %d, hung up at the end %d, failed %d%n", level.calls(), level.label(),
                level.legs(), level.callsMeasured(), level.windowSeconds(), level.callsStarted(),
                level.callsCompleted(), level.callsHungUp(), level.callsFailed());
        var audio = level.hop(Hop.FRAME_TO_KAFKA);
        var shown = level.hop(Hop.END_TO_END);
        out.printf("  throughput in the window: %,.0f frames/s sent, %s audio chunks/s on Kafka, %s suggestions/s on "
                        + "screen (customer turns)%n", level.framesPerSecond(),
                audio == null ? "-" : String.format("%,.0f", audio.count() / level.windowSeconds()),
                shown == null ? "-" : String.format("%.1f", shown.count() / level.windowSeconds()));
        out.printf("  frames sent %,d, late (> %d ms) %,d, dropped %,d, queued behind a write %,d; load average %s%n",
                level.framesSent(), Counters.LATE_MS, level.framesLate(), level.framesDropped(), level.sendBacklog(),
                level.loadAverage());
        out.println("  errors: " + (level.errors().isEmpty() ? "none" : level.errors() + " e.g. "
                + level.errorExamples().values().stream().findFirst().orElse("")));
        if (level.errors().containsKey("http_429") || level.errors().containsKey("session_limit_reached")) {
            out.println("  (HTTP 429: the tenant's session limit, voicecoach.limits.sessions-per-tenant, 100 per "
                    + "gateway instance by default; run the suite with VOICECOACH_LIMITS_SESSIONS_PER_TENANT=100000)");
        }
        if (level.errors().containsKey("tenant_rate_limit_exceeded")) {
            out.println("  (the tenant's typed-item budget, voicecoach.limits.tenant-items-per-minute, 2400 per gateway "
                    + "instance by default; run the suite with VOICECOACH_LIMITS_TENANT_ITEMS_PER_MINUTE=1000000)");
        }
        var detection = level.detection();
        if (detection.expected() > 0) {
            out.printf("  suggestions: %d customer turns expected one: %d right, %d another category, %d missed; on "
                    + "other turns: %s%n", detection.expected(), detection.matched(), detection.otherCategory(),
                    detection.missed(), detection.unexpectedByKind().isEmpty() ? "none" : detection.unexpectedByKind());
        }
        var replies = level.replies();
        if (replies.turns() > 0) {
            out.printf("  agent replies: %d caller turns, %d answered (%s), %d missing, %d tool calls%n",
                    replies.turns(), replies.answered(), replies.byStatus(), replies.missing(),
                    replies.functionCalls());
        }
        out.println();
        out.println("| hop | clocks | n | p50 ms | p95 ms | p99 ms | max ms |");
        out.println("|---|---|---|---|---|---|---|");
        level.latency().forEach((name, hop) -> out.printf("| %s | %s | %d | %s | %s | %s | %s |%n",
                name.equals(Hop.END_TO_END.name()) && !speech ? "typed turn sent -> suggestion on screen" : hop.span(),
                hop.clocks(), hop.count(), ms(hop.p50()), ms(hop.p95()), ms(hop.p99()), ms(hop.max())));
        out.println();
        out.println("| process | instances | CPU cores | CPU ms per call-second | RSS MiB |");
        out.println("|---|---|---|---|---|");
        level.services().forEach((service, usage) -> out.printf("| %s | %d | %.2f | %.2f | %.0f |%n", service,
                usage.instances(), usage.cpuCores(), usage.cpuMsPerCallSecond(), usage.rssMiB()));
        if (level.analytics() != null) {
            out.println("  analytics-service GET /api/v1/latency for this level's sessions: "
                    + analytics(level.analytics()));
        }
        if (level.firstCall() != null) {
            var first = level.firstCall();
            var headline = level.hop(Hop.END_TO_END) != null ? level.hop(Hop.END_TO_END)
                    : level.hop(Hop.AGENT_FIRST_DELTA);
            out.printf("  first answer of the run (turn %d, %.1f s after the %s was ready): %.0f ms end to end%s%s%n",
                    first.turn(), first.secondsAfterReady(), first.coldSuite() ? "freshly started suite" : "run",
                    first.endToEndMs(),
                    headline == null ? "" : String.format(" (level p95 %s ms)", ms(headline.p95())),
                    first.hopsMs().isEmpty() ? "" : "; hops " + first.hopsMs().entrySet().stream()
                            .map(e -> e.getKey() + " " + ms(e.getValue())).toList());
        }
        level.profiles().forEach(file -> out.println("  JFR: " + file));
        out.println("  " + (level.bound() == null ? "held" : "BOUND: " + level.bound()));
    }

    private static String analytics(JsonNode answer) {
        if (answer.has("error")) {
            return answer.path("error").asText();
        }
        var parts = new StringBuilder();
        answer.fields().forEachRemaining(field -> parts.append(parts.isEmpty() ? "" : "; ").append(field.getKey())
                .append(" n ").append(field.getValue().path("count").asText()).append(" p50 ")
                .append(field.getValue().path("p50").asText()).append(" p95 ")
                .append(field.getValue().path("p95").asText()).append(" max ")
                .append(field.getValue().path("max").asText()));
        return parts.toString();
    }

    /** One line per level: the curve. */
    static void curve(List<LevelResult> levels, boolean agent, PrintStream out) {
        var services = new TreeSet<String>();
        levels.forEach(level -> services.addAll(level.services().keySet()));
        var headline = agent ? Hop.AGENT_FIRST_DELTA : Hop.END_TO_END;
        out.println();
        out.printf("| calls | %s p50 / p95 / p99 ms | transcript -> screen p99 ms | frames/s | errors | %s | bound |%n",
                agent ? "first reply delta" : "end-to-end",
                String.join(" | ", services.stream().map(s -> s + " cores").toList()));
        out.println("|---|---|---|---|---|" + "---|".repeat(services.size()) + "---|");
        for (var level : levels) {
            var e2e = level.hop(headline);
            var screen = level.hop(Hop.TRANSCRIPT_TO_SCREEN);
            var cores = services.stream().map(s -> level.services().containsKey(s)
                    ? String.format("%.2f", level.services().get(s).cpuCores()) : "-").toList();
            out.printf("| %d | %s | %s | %,.0f | %d | %s | %s |%n", level.calls(),
                    e2e == null ? "-" : ms(e2e.p50()) + " / " + ms(e2e.p95()) + " / " + ms(e2e.p99()),
                    screen == null ? "-" : ms(screen.p99()), level.framesPerSecond(), level.errorCount(),
                    String.join(" | ", cores), level.bound() == null ? "held" : level.bound());
        }
    }

    static void write(Path file, Map<String, Object> run, List<LevelResult> levels, CapacityModel capacity)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        var document = new LinkedHashMap<String, Object>();
        document.put("run", run);
        document.put("levels", levels);
        if (capacity != null) {
            document.put("capacity", capacity);
        }
        JSON.writeValue(file.toFile(), document);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : value >= 100 ? String.format("%.0f", value) : String.format("%.1f", value);
    }

    private Report() {
    }
}
