package io.voicecoach.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of {@link LoadBench} does, from its command line ({@code --name value} or {@code --name=value}).
 *
 * @param gateway       base URL of the gateway's public port ({@code ws://}, {@code wss://}, {@code http://} or
 *                      {@code https://}); {@code /v1/realtime} is appended
 * @param levels        concurrent calls per level of the scaling curve, run one after the other
 * @param legs          WebSockets per coaching call: 2 (a rep leg and a customer leg joined by the call id) or 1 (one
 *                      session carrying both tracks); the voice agent always uses 1 (the caller)
 * @param kafka         bootstrap servers to read {@code suggestion.delivered} receipts from; empty: not read
 * @param analytics     analytics-service base URL for {@code GET /api/v1/latency}; empty: not asked
 * @param home          repository root: where {@code ./voicecoach} is and whose service processes are measured
 * @param maxP95Ms      a level whose end-to-end p95 is above this is the bound of the curve (no higher level runs)
 * @param jfr           folder for a JFR recording of every service process during each steady window; empty: none
 * @param suiteArgs     options for {@code ./voicecoach up} when {@code startSuite} (e.g. {@code --replicas 2 --llm})
 * @param sizeFor       concurrent calls the capacity model sizes a cluster for
 * @param podCores      CPU cores of one pod in that model
 * @param partitions    partitions per pipeline topic in that model
 */
public record LoadOptions(URI gateway, String apiKey, Mode mode, Input input, List<Integer> levels, int legs,
                          Duration rampUp, Duration steady, Duration rampDownMax, int silenceMs, int gapMs,
                          Duration replyTimeout, Duration tail, Optional<String> kafka, Optional<URI> analytics,
                          Path home, Path json, Path speechCache, boolean startSuite, List<String> suiteArgs,
                          double maxP95Ms, Duration progressEvery, Optional<Path> jfr, int sizeFor, double podCores,
                          int partitions) {

    public static final String DEMO_API_KEY = "vc_demo_local_0123456789abcdef";

    /** Who answers the calls: coaching (suggestions to the rep) or the voice agent (replies to the caller). */
    public enum Mode { COACH, AGENT }

    /** How the turns reach the gateway: real-time speech (server VAD) or typed {@code conversation.item.create}. */
    public enum Input { SPEECH, TEXT }

    public LoadOptions {
        levels = List.copyOf(levels);
        suiteArgs = List.copyOf(suiteArgs);
        if (levels.isEmpty() || levels.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--calls needs one or more positive numbers, e.g. --calls 1,10,50");
        }
        if (legs != 1 && legs != 2) {
            throw new IllegalArgumentException("--legs must be 1 or 2, got " + legs);
        }
        if (mode == Mode.AGENT) {
            legs = 1;
        }
    }

    public URI realtimeUrl() {
        String base = gateway.toString().replaceFirst("^http", "ws").replaceAll("/+$", "");
        return URI.create(base + "/v1/realtime");
    }

    /** Short name of what runs, e.g. {@code coach-speech}. */
    public String label() {
        return mode.name().toLowerCase() + "-" + input.name().toLowerCase();
    }

    public static final String USAGE = """
            bench/load [options]: N simulated calls through the gateway's public Realtime WebSocket (docs/benchmarks.md)
              --url URL               gateway base URL (default ws://localhost:$VOICECOACH_GATEWAY_PORT or 8080)
              --api-key KEY           tenant API key (default $VOICECOACH_DEMO_API_KEY or the demo key)
              --mode coach|agent      coaching suggestions for the rep (default) or the voice agent answering
              --input speech|text     real-time espeak-ng speech with server VAD (default) or typed turns
              --calls 1,10,50         concurrent calls per level; levels run in order until a bound is hit (default 1)
              --legs 2|1              WebSockets per coaching call: rep + customer (default 2) or one with both tracks
              --ramp-up-s 10          seconds to open the level's calls
              --steady-s 60           seconds measured at full concurrency (ended calls are replaced at once)
              --ramp-down-s 60        longest wait for the last calls to finish
              --silence-ms 500        server VAD silence_duration_ms
              --gap-ms 800            pause between one speaker's turn and the next
              --reply-timeout-s 20    voice agent: longest wait for a reply before the caller goes on
              --tail-s 15             longest wait after the last turn for its transcripts, suggestions, replies
              --kafka HOST:PORT|none  read suggestion.delivered receipts (default localhost:$VOICECOACH_KAFKA_PORT or
                                      9092 when the gateway is local, else none)
              --analytics URL|none    ask analytics-service for its hop latencies (default localhost:8084 when local)
              --max-p95-ms MS         end-to-end p95 above this ends the curve (default 5000 speech, 500 text)
              --json FILE             results (default bench/target/load/<mode>-<input>-<time>.json)
              --speech-cache DIR      generated PCM (default bench/target/speech-cache)
              --home DIR              repository root (default: the current folder)
              --start-suite           run ./voicecoach up first (cold start measured) and stop it at the end
              --suite-args "ARGS"     options for ./voicecoach up, e.g. "--replicas 2 --llm"
              --jfr DIR               record every service process with JFR during each steady window
              --progress-s 5          seconds between progress lines
              --size-for 10000        capacity model: concurrent calls to size a cluster for
              --pod-cores 2           capacity model: cores per pod (run at 65% CPU)
              --partitions 48         capacity model: partitions per pipeline topic (deploy/README.md)
            """;

    public static LoadOptions parse(String[] args, Map<String, String> env) {
        var values = new LinkedHashMap<String, String>();
        boolean startSuite = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            if (name.equals("start-suite")) {
                startSuite = true;
                continue;
            }
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        var known = List.of("url", "api-key", "mode", "input", "calls", "legs", "ramp-up-s", "steady-s",
                "ramp-down-s", "silence-ms", "gap-ms", "reply-timeout-s", "tail-s", "kafka", "analytics", "max-p95-ms",
                "json", "speech-cache", "home", "suite-args", "jfr", "progress-s", "size-for", "pod-cores",
                "partitions");
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        var gateway = URI.create(values.getOrDefault("url",
                "ws://localhost:" + env.getOrDefault("VOICECOACH_GATEWAY_PORT", "8080")));
        if (gateway.getHost() == null || !List.of("ws", "wss", "http", "https").contains(gateway.getScheme())) {
            throw new IllegalArgumentException("--url must be ws://, wss://, http:// or https:// with a host: "
                    + gateway);
        }
        boolean local = isLocal(gateway);
        var mode = choice(values.getOrDefault("mode", "coach"), Mode.class, "--mode");
        var input = choice(values.getOrDefault("input", "speech"), Input.class, "--input");
        var home = Path.of(values.getOrDefault("home", ".")).toAbsolutePath().normalize();
        String kafka = values.getOrDefault("kafka",
                local ? "localhost:" + env.getOrDefault("VOICECOACH_KAFKA_PORT", "9092") : "none");
        String analytics = values.getOrDefault("analytics",
                local ? "http://localhost:" + env.getOrDefault("VOICECOACH_ANALYTICS_PORT", "8084") : "none");
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        var label = mode.name().toLowerCase() + "-" + input.name().toLowerCase();
        var json = Path.of(values.getOrDefault("json",
                home.resolve("bench/target/load/" + label + "-" + stamp + ".json").toString()));
        double defaultP95 = input == Input.TEXT && mode == Mode.COACH ? 500 : 5000;
        return new LoadOptions(gateway,
                values.getOrDefault("api-key", env.getOrDefault("VOICECOACH_DEMO_API_KEY", DEMO_API_KEY)),
                mode, input, integers(values.getOrDefault("calls", "1"), "--calls"),
                integer(values, "legs", 2),
                seconds(values, "ramp-up-s", 10), seconds(values, "steady-s", 60), seconds(values, "ramp-down-s", 60),
                integer(values, "silence-ms", 500), integer(values, "gap-ms", 800),
                seconds(values, "reply-timeout-s", 20), seconds(values, "tail-s", 15),
                optional(kafka), optional(analytics).map(URI::create), home, json,
                Path.of(values.getOrDefault("speech-cache", home.resolve("bench/target/speech-cache").toString())),
                startSuite, splitWords(values.getOrDefault("suite-args", "")),
                Double.parseDouble(values.getOrDefault("max-p95-ms", Double.toString(defaultP95))),
                seconds(values, "progress-s", 5), Optional.ofNullable(values.get("jfr")).map(Path::of),
                integer(values, "size-for", 10_000), Double.parseDouble(values.getOrDefault("pod-cores", "2")),
                integer(values, "partitions", 48));
    }

    static boolean isLocal(URI uri) {
        return List.of("localhost", "127.0.0.1", "[::1]", "::1").contains(uri.getHost());
    }

    private static Optional<String> optional(String value) {
        return value.isBlank() || value.equals("none") ? Optional.empty() : Optional.of(value);
    }

    private static <E extends Enum<E>> E choice(String value, Class<E> type, String option) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase()).toList() + ", got '" + value + "'");
    }

    private static List<Integer> integers(String csv, String option) {
        var out = new ArrayList<Integer>();
        for (String part : csv.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes numbers separated by commas, got '" + csv + "'");
            }
        }
        return out;
    }

    private static int integer(Map<String, String> values, String name, int fallback) {
        String value = values.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, got '" + value + "'");
        }
    }

    private static Duration seconds(Map<String, String> values, String name, double fallback) {
        String value = values.get(name);
        try {
            double s = value == null ? fallback : Double.parseDouble(value);
            if (s < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes seconds (>= 0), got '" + value + "'");
        }
    }

    private static List<String> splitWords(String value) {
        return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }
}
