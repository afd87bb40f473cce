package io.voicecoach.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Plays the scripted 15-turn sales call ({@code sample-call.json}) through the gateway's {@code /v1/realtime}
 * WebSocket as typed text, one turn at a time, and measures how long each expected suggestion takes to arrive.
 */
public final class SampleCall {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SUGGESTION_FRAME = "voicecoach.coaching.suggestion";
    static final String CARD_FRAME = "voicecoach.coaching.battle_card";

    public record Expected(String kind, String category) {
        @Override
        public String toString() {
            return kind + "/" + category;
        }
    }

    /** One line of the script; {@code expect} is null when the turn must not trigger a suggestion. */
    public record Turn(int turn, String track, String text, Expected expect) {
    }

    /**
     * A suggestion frame as the client saw it.
     *
     * @param turn      the turn whose item it answers, 0 if it names no item of this call (e.g. a time-based nudge)
     * @param battleCard the suggestion frame itself carried a card (older gateways; now it follows separately)
     * @param latencyMs from sending the turn to receiving the frame, -1 when {@code turn} is 0
     */
    public record Received(int turn, String itemId, String suggestionId, String kind, String category, String title,
                           boolean battleCard, long latencyMs, JsonNode frame) {
    }

    /**
     * A {@code voicecoach.coaching.battle_card} frame as the client saw it.
     *
     * @param afterSuggestion its suggestion (same id) had already arrived
     * @param latencyMs       from sending the turn to receiving the card frame, -1 when the item is not this call's
     */
    public record CardReceived(int turn, String suggestionId, String itemId, String title, boolean afterSuggestion,
                               long latencyMs, JsonNode frame) {
    }

    /** Nearest-rank percentiles of the suggestion latencies, in ms. */
    public record Latencies(long p50, long p95, long max, int count) {
        static Latencies of(List<Long> values) {
            if (values.isEmpty()) {
                return new Latencies(-1, -1, -1, 0);
            }
            var sorted = values.stream().sorted().toList();
            return new Latencies(rank(sorted, 0.50), rank(sorted, 0.95), sorted.getLast(), sorted.size());
        }

        private static long rank(List<Long> sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.size()) - 1;
            return sorted.get(Math.max(0, index));
        }
    }

    /**
     * What the call produced.
     *
     * @param sessionId   the gateway's session id (from {@code session.created})
     * @param suggestions every suggestion frame, in arrival order
     * @param errors      server {@code error} frames and client-side problems (missing suggestions, timeouts)
     * @param cards       every battle card frame, in arrival order (a missing card is not an error: the
     *                    suggestion stands without one)
     * @param reconnects  how often the call resumed its session after the connection dropped or the gateway restarted
     */
    public record Result(String sessionId, String callId, List<Received> suggestions, List<String> errors,
                         Duration duration, List<CardReceived> cards, int reconnects) {

        /** The battle card frame that followed suggestion {@code suggestionId}, if one came. */
        public java.util.Optional<CardReceived> cardOf(String suggestionId) {
            return cards.stream().filter(c -> suggestionId.equals(c.suggestionId())).findFirst();
        }

        /** Suggestions that answer a turn of this call, in arrival order. */
        public List<Received> turnSuggestions() {
            return suggestions.stream().filter(s -> s.turn() > 0).toList();
        }

        public List<String> categories() {
            return turnSuggestions().stream().map(Received::category).toList();
        }

        public Latencies latencies() {
            return Latencies.of(turnSuggestions().stream().map(Received::latencyMs).toList());
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * @param realtimeUrl       e.g. {@code ws://127.0.0.1:8080/v1/realtime} (one URL in front of every gateway
     *                          instance, e.g. a balancer)
     * @param suggestionTimeout how long to wait for the suggestion a customer turn expects
     * @param pacing            pause after a turn that expects no suggestion
     * @param fallbackUrls      other gateway instances to resume on when {@code realtimeUrl} does not answer; tried in
     *                          turn after it
     */
    public record Options(URI realtimeUrl, String apiKey, Duration suggestionTimeout, Duration pacing,
                          PrintStream out, List<URI> fallbackUrls) {

        public Options {
            fallbackUrls = fallbackUrls == null ? List.of() : List.copyOf(fallbackUrls);
        }

        public Options(URI realtimeUrl, String apiKey, Duration suggestionTimeout, Duration pacing, PrintStream out) {
            this(realtimeUrl, apiKey, suggestionTimeout, pacing, out, List.of());
        }

        public static Options defaults(String realtimeUrl, String apiKey, PrintStream out) {
            return new Options(URI.create(realtimeUrl), apiKey, Duration.ofSeconds(5), Duration.ofMillis(300), out);
        }

        public Options withSuggestionTimeout(Duration timeout) {
            return new Options(realtimeUrl, apiKey, timeout, pacing, out, fallbackUrls);
        }

        public Options withPacing(Duration newPacing) {
            return new Options(realtimeUrl, apiKey, suggestionTimeout, newPacing, out, fallbackUrls);
        }

        public Options withFallbackUrls(List<URI> urls) {
            return new Options(realtimeUrl, apiKey, suggestionTimeout, pacing, out, urls);
        }

        /** Every URL, the main one first. */
        List<URI> urls() {
            var all = new ArrayList<URI>();
            all.add(realtimeUrl);
            all.addAll(fallbackUrls);
            return all;
        }
    }

    public static List<Turn> turns() {
        try (InputStream in = SampleCall.class.getResourceAsStream("sample-call.json")) {
            if (in == null) {
                throw new IllegalStateException("sample-call.json is not on the classpath");
            }
            var turns = new ArrayList<Turn>();
            for (JsonNode node : JSON.readTree(in).path("turns")) {
                var expect = node.path("expect");
                turns.add(new Turn(node.path("turn").asInt(), node.path("track").asText(), node.path("text").asText(),
                        expect.isObject() ? new Expected(expect.path("kind").asText(),
                                expect.path("category").asText()) : null));
            }
            return List.copyOf(turns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the call; problems end up in {@link Result#errors()} unless the gateway cannot be reached at all. */
    public static Result run(Options options) {
        return run(options, turns());
    }

    /** Runs a call of the given turns, e.g. the first few to warm a freshly started suite up. */
    public static Result run(Options options, List<Turn> script) {
        return new SampleCall(options, script).play();
    }

    /**
     * Opens and closes a WebSocket with {@code apiKey}: 101 if the gateway accepted it, else the HTTP status of
     * the refused upgrade (e.g. 401), or -1 if the gateway cannot be reached.
     */
    public static int handshakeStatus(URI realtimeUrl, String apiKey) {
        try {
            var socket = connect(realtimeUrl, apiKey, new WebSocket.Listener() {
            }).get(10, TimeUnit.SECONDS);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "probe").get(5, TimeUnit.SECONDS);
            return 101;
        } catch (ExecutionException e) {
            return e.getCause() instanceof WebSocketHandshakeException refused ? refused.getResponse().statusCode() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (TimeoutException e) {
            return -1;
        }
    }

    private static CompletableFuture<WebSocket> connect(URI url, String apiKey, WebSocket.Listener listener) {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().newWebSocketBuilder()
                .header("Authorization", "Bearer " + apiKey)
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(url, listener);
    }

    /** Frames whose {@code event_id} is a resume cursor (the gateway replays them after a reconnect). */
    static final Set<String> REPLAYABLE = Set.of(SUGGESTION_FRAME, CARD_FRAME,
            "conversation.item.input_audio_transcription.delta",
            "conversation.item.input_audio_transcription.completed",
            "conversation.item.input_audio_transcription.failed", "response.created", "response.output_text.delta",
            "response.output_text.done", "response.function_call_arguments.done", "response.done");
    /** Closes after which the session is over: normal, idle, slow client, resumed elsewhere, not found, limit. */
    static final Set<Integer> FINAL_CLOSES = Set.of(WebSocket.NORMAL_CLOSURE, 4001, 4002, 4003, 4004, 4029);
    /** Back-off between resume attempts, about 20 s in all: inside the gateway's 30 s resume window. */
    static final List<Duration> RECONNECT_DELAYS = Stream.of(250, 500, 1000, 2000, 4000, 4000, 4000, 4000)
            .map(Duration::ofMillis).toList();
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private final Options options;
    private final List<Turn> script;
    private final PrintStream out;
    private final String callId = "call_" + UUID.randomUUID().toString().substring(0, 8);
    private final String itemPrefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final Map<String, Integer> turnByItem = new ConcurrentHashMap<>();
    private final Map<String, Long> sentAtByItem = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Received>> suggestionByItem = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> ackByItem = new ConcurrentHashMap<>();
    private final List<Received> suggestions = new CopyOnWriteArrayList<>();
    private final Set<String> shown = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<CardReceived>> cardBySuggestion = new ConcurrentHashMap<>();
    private final List<CardReceived> cards = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> sessionCreated = new CompletableFuture<>();
    private final CompletableFuture<JsonNode> sessionUpdated = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** The connection now, and the one a reconnect will give when it drops. */
    private volatile Connection connection;
    private volatile CompletableFuture<Connection> reconnected = new CompletableFuture<>();
    private volatile String sessionId;
    private volatile String lastEventId;
    private volatile boolean closing;
    private volatile boolean sessionLost;
    private int urlIndex;
    private int reconnects;

    /** One WebSocket of the call; frames of a connection that was replaced are ignored. */
    private record Connection(WebSocket socket, int generation) {
    }

    private SampleCall(Options options, List<Turn> script) {
        this.options = options;
        this.script = List.copyOf(script);
        this.out = options.out();
    }

    private Result play() {
        long start = System.nanoTime();
        try {
            connection = new Connection(connect(options.realtimeUrl(), options.apiKey(), new Frames(0))
                    .get(15, TimeUnit.SECONDS), 0);
        } catch (ExecutionException e) {
            var cause = e.getCause();
            String reason = cause instanceof WebSocketHandshakeException refused
                    ? "HTTP " + refused.getResponse().statusCode() : String.valueOf(cause);
            throw new IllegalStateException("cannot open " + options.realtimeUrl() + ": " + reason, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot open " + options.realtimeUrl() + ": timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String session = await(sessionCreated, Duration.ofSeconds(10), "session.created");
        out.printf("sample call %s, session %s: %d turns%n", callId, session, script.size());
        send(sessionUpdate());
        if (await(sessionUpdated, Duration.ofSeconds(10), "session.updated") != null) {
            for (Turn turn : script) {
                if (sessionLost) {
                    break;
                }
                play(turn);
            }
        }
        awaitCards();
        close();
        var result = new Result(session, callId, List.copyOf(suggestions), List.copyOf(errors),
                Duration.ofNanos(System.nanoTime() - start), List.copyOf(cards), reconnectCount());
        printSummary(result);
        return result;
    }

    private synchronized int reconnectCount() {
        return reconnects;
    }

    private void play(Turn turn) {
        String itemId = "item_%02d_%s".formatted(turn.turn(), itemPrefix);
        turnByItem.put(itemId, turn.turn());
        var expected = suggestionByItem.computeIfAbsent(itemId, id -> new CompletableFuture<>());
        sentAtByItem.put(itemId, System.nanoTime());
        if (!sendItem(itemId, turn)) {
            return;
        }
        if (turn.expect() == null) {
            pause(options.pacing());
            return;
        }
        try {
            var received = awaitAcrossReconnects(expected, options.suggestionTimeout());
            if (!turn.expect().kind().equals(received.kind()) || !turn.expect().category().equals(received.category())) {
                errors.add("turn %d: expected %s, got %s/%s".formatted(turn.turn(), turn.expect(), received.kind(),
                        received.category()));
            }
        } catch (TimeoutException e) {
            String problem = "turn %d: no suggestion within %d ms (expected %s)".formatted(turn.turn(),
                    options.suggestionTimeout().toMillis(), turn.expect());
            errors.add(problem);
            out.println("  " + problem);
        } catch (ExecutionException e) {
            errors.add("turn " + turn.turn() + ": " + e.getCause());
        }
    }

    /**
     * Sends the turn until the gateway acknowledged it ({@code conversation.item.created}); a turn whose
     * acknowledgement a dropped connection took along is sent again after the resume, with the same item id (the
     * gateway derives the transcript's event id from it, so the pipeline drops the repeat).
     */
    private boolean sendItem(String itemId, Turn turn) {
        var ack = ackByItem.computeIfAbsent(itemId, id -> new CompletableFuture<>());
        for (int attempt = 0; attempt <= RECONNECT_DELAYS.size() && !sessionLost; attempt++) {
            var sentOn = connection;
            if (sentOn == null || !send(sentOn, itemCreate(itemId, turn))) {
                awaitReconnect();
                continue;
            }
            try {
                ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                if (connection == sentOn) {
                    errors.add("turn %d: no conversation.item.created within %d s".formatted(turn.turn(),
                            ACK_TIMEOUT.toSeconds()));
                    return false;
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        errors.add("turn %d: not sent, the gateway could not be reached again".formatted(turn.turn()));
        return false;
    }

    /** Waits for {@code future} for {@code timeout}, and once more as long after each reconnect meanwhile. */
    private <T> T awaitAcrossReconnects(CompletableFuture<T> future, Duration timeout) throws TimeoutException,
            ExecutionException {
        int seenReconnects = reconnectCount();
        while (true) {
            try {
                return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (reconnectCount() == seenReconnects && connection != null) {
                    throw e;
                }
                awaitReconnect();
                seenReconnects = reconnectCount();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void awaitReconnect() {
        try {
            reconnected.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the reconnect gave up (it recorded why)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The connection dropped or the gateway restarted: resume the session elsewhere, with bounded back-off. */
    private void dropped(int generation, String why) {
        synchronized (this) {
            var current = connection;
            if (closing || current == null || current.generation() != generation) {
                return;
            }
            connection = null;
        }
        out.println("  connection lost (" + why + "), resuming session " + sessionId);
        Thread.ofVirtual().name("sample-call-reconnect").start(this::reconnect);
    }

    private void reconnect() {
        var urls = options.urls();
        for (var delay : RECONNECT_DELAYS) {
            pause(delay);
            if (closing) {
                return;
            }
            URI base;
            int generation;
            synchronized (this) {
                base = urls.get(urlIndex % urls.size());
                generation = reconnects + 1;
            }
            var url = URI.create(base + "?session_id=" + sessionId
                    + (lastEventId == null ? "" : "&last_event_id=" + lastEventId));
            try {
                var socket = connect(url, options.apiKey(), new Frames(generation)).get(10, TimeUnit.SECONDS);
                var resumed = new Connection(socket, generation);
                CompletableFuture<Connection> waiting;
                synchronized (this) {
                    reconnects = generation;
                    connection = resumed;
                    waiting = reconnected;
                    reconnected = new CompletableFuture<>();
                }
                out.printf("  resumed session %s on %s after %s%n", sessionId, base, lastEventId == null
                        ? "(no event yet)" : lastEventId);
                waiting.complete(resumed);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException refused
                        && refused.getResponse().statusCode() != 503) {
                    lose("the gateway refused the resume: HTTP " + refused.getResponse().statusCode());
                    return;
                }
                synchronized (this) {
                    urlIndex++;
                }
            } catch (TimeoutException e) {
                synchronized (this) {
                    urlIndex++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        lose("no gateway instance resumed the session within " + RECONNECT_DELAYS.size() + " attempts");
    }

    private void lose(String why) {
        sessionLost = true;
        errors.add(why);
        out.println("  " + why);
        reconnected.completeExceptionally(new IllegalStateException(why));
        closed.complete(null);
    }

    /** Battle cards follow their objection suggestions; waits for them (in all up to the suggestion timeout). */
    private void awaitCards() {
        long deadline = System.nanoTime() + options.suggestionTimeout().toNanos();
        for (var suggestion : suggestions) {
            if (!"objection".equals(suggestion.kind()) || suggestion.suggestionId() == null) {
                continue;
            }
            var card = cardBySuggestion.computeIfAbsent(suggestion.suggestionId(), id -> new CompletableFuture<>());
            try {
                card.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                out.printf("  turn %2d  no battle card followed its suggestion%n", suggestion.turn());
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private ObjectNode sessionUpdate() {
        var frame = JSON.createObjectNode().put("type", "session.update").put("event_id", eventId());
        frame.putObject("session").putObject("voicecoach")
                .put("call_id", callId).put("rep_id", "rep_sam").put("mode", "coach");
        return frame;
    }

    private ObjectNode itemCreate(String itemId, Turn turn) {
        var frame = JSON.createObjectNode().put("type", "conversation.item.create").put("event_id", eventId());
        var item = frame.putObject("item").put("id", itemId).put("type", "message").put("role", "user");
        item.putArray("content").addObject().put("type", "input_text").put("text", turn.text());
        frame.putObject("voicecoach").put("track", turn.track());
        return frame;
    }

    private static String eventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** Sends on the current connection (waiting for a resume while there is none). */
    private void send(JsonNode frame) {
        var current = connection;
        if (current == null) {
            awaitReconnect();
            current = connection;
        }
        if (current == null || !send(current, frame)) {
            errors.add("cannot send " + frame.path("type").asText());
        }
    }

    private boolean send(Connection on, JsonNode frame) {
        try {
            on.socket().sendText(JSON.writeValueAsString(frame), true).get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void close() {
        closing = true;
        var current = connection;
        if (current == null) {
            return;
        }
        try {
            current.socket().sendClose(WebSocket.NORMAL_CLOSURE, "sample call done").get(5, TimeUnit.SECONDS);
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            current.socket().abort();
        }
    }

    private <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            errors.add("no " + what + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            errors.add("no " + what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return null;
    }

    private void onFrame(JsonNode frame, long receivedAt) {
        String type = frame.path("type").asText();
        if (REPLAYABLE.contains(type)) {
            lastEventId = frame.path("event_id").asText(null);
        }
        switch (type) {
            case "session.created" -> {
                sessionId = frame.path("session").path("id").asText(null);
                sessionCreated.complete(sessionId);
            }
            case "session.updated" -> sessionUpdated.complete(frame);
            case "conversation.item.created" -> {
                String itemId = frame.path("item").path("id").asText(null);
                if (itemId != null) {
                    ackByItem.computeIfAbsent(itemId, id -> new CompletableFuture<>()).complete(null);
                }
            }
            case SUGGESTION_FRAME -> onSuggestion(frame, receivedAt);
            case CARD_FRAME -> onCard(frame, receivedAt);
            case "error" -> {
                var error = frame.path("error");
                String text = "server error %s: %s (event %s)".formatted(error.path("code").asText(),
                        error.path("message").asText(), error.path("event_id").asText(""));
                errors.add(text);
                out.println("  " + text);
                sessionUpdated.completeExceptionally(new IllegalStateException(text));
            }
            default -> {
            }
        }
    }

    private void onSuggestion(JsonNode frame, long receivedAt) {
        var suggestion = frame.path("suggestion");
        String itemId = suggestion.path("item_id").asText(null);
        Integer turn = itemId == null ? null : turnByItem.get(itemId);
        Long sentAt = itemId == null ? null : sentAtByItem.get(itemId);
        var card = suggestion.path("card");
        var received = new Received(turn == null ? 0 : turn, itemId, suggestion.path("id").asText(null),
                suggestion.path("kind").asText(null), suggestion.path("category").asText(null),
                suggestion.path("title").asText(null), card.isObject() && !card.isEmpty(),
                sentAt == null ? -1 : TimeUnit.NANOSECONDS.toMillis(receivedAt - sentAt), frame);
        suggestions.add(received);
        if (received.suggestionId() != null && !shown.add(received.suggestionId())) {
            out.printf("  turn %2s  repeated suggestion %s (not shown again)%n", turn == null ? "-" : turn,
                    received.suggestionId());
            return;
        }
        out.printf("  turn %2s  %-28s %-40s %s%n", turn == null ? "-" : turn,
                received.kind() + "/" + received.category(), quoted(received.title()),
                received.latencyMs() < 0 ? "" : received.latencyMs() + " ms");
        if (itemId != null) {
            suggestionByItem.computeIfAbsent(itemId, id -> new CompletableFuture<>()).complete(received);
        }
    }

    private void onCard(JsonNode frame, long receivedAt) {
        String suggestionId = frame.path("suggestion_id").asText(null);
        String itemId = frame.path("item_id").asText(null);
        Integer turn = itemId == null ? null : turnByItem.get(itemId);
        Long sentAt = itemId == null ? null : sentAtByItem.get(itemId);
        boolean afterSuggestion = suggestions.stream().anyMatch(s -> s.suggestionId() != null
                && s.suggestionId().equals(suggestionId));
        var received = new CardReceived(turn == null ? 0 : turn, suggestionId, itemId,
                frame.path("card").path("title").asText(null), afterSuggestion,
                sentAt == null ? -1 : TimeUnit.NANOSECONDS.toMillis(receivedAt - sentAt), frame);
        cards.add(received);
        out.printf("  turn %2s  %-28s %-40s %s%n", turn == null ? "-" : turn, "battle card", quoted(received.title()),
                received.latencyMs() < 0 ? "" : received.latencyMs() + " ms");
        if (suggestionId != null) {
            cardBySuggestion.computeIfAbsent(suggestionId, id -> new CompletableFuture<>()).complete(received);
        }
    }

    private static String quoted(String title) {
        return title == null ? "-" : "\"" + title + "\"";
    }

    private void printSummary(Result result) {
        var latencies = result.latencies();
        out.printf("%d suggestions in %.1f s; latency send -> suggestion: p50 %d ms, p95 %d ms, max %d ms%n",
                result.suggestions().size(), result.duration().toMillis() / 1000.0, latencies.p50(),
                latencies.p95(), latencies.max());
        out.println("categories: " + result.categories());
        if (!result.errors().isEmpty()) {
            out.println(result.errors().size() + " problem(s):");
            result.errors().forEach(e -> out.println("  " + e));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Collects text frames (which may arrive in parts) of one connection and hands each complete JSON frame to
     * {@link #onFrame}; a close other than a final one, or a failure, starts a resume.
     */
    private final class Frames implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final int generation;

        Frames(int generation) {
            this.generation = generation;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onFrame(JSON.readTree(text), now);
                } catch (IOException e) {
                    errors.add("unreadable frame from the gateway: " + text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (!closing && sessionId != null && !FINAL_CLOSES.contains(statusCode)) {
                dropped(generation, statusCode + " " + reason);
                return null;
            }
            if (statusCode != WebSocket.NORMAL_CLOSURE) {
                errors.add("gateway closed the WebSocket: " + statusCode + " " + reason);
                sessionLost = true;
            }
            ended("closed: " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (!closing && sessionId != null) {
                dropped(generation, String.valueOf(error));
                return;
            }
            errors.add("WebSocket error: " + error);
            ended(String.valueOf(error));
        }

        private void ended(String why) {
            closed.complete(null);
            sessionCreated.complete(null);
            sessionUpdated.completeExceptionally(new IllegalStateException(why));
            reconnected.completeExceptionally(new IllegalStateException(why));
        }
    }

    /**
     * {@code SampleCall [ws-url[,ws-url...]] [api-key]}; defaults from VOICECOACH_GATEWAY_PORT and
     * VOICECOACH_DEMO_API_KEY. Further URLs are other gateway instances to resume on.
     */
    public static void main(String[] args) throws Throwable {
        if (!LauncherClasspath.complete()) {
            LauncherClasspath.relaunch(SampleCall.class.getName(), args);
            return;
        }
        var env = LauncherSettings.fromEnvironment(System.getenv());
        var urls = (args.length > 0 ? args[0] : env.suiteConfig().realtimeUrl()).split(",");
        String key = args.length > 1 ? args[1] : env.demoApiKey();
        var options = env.sampleCallOptions(urls[0], key, System.out).withFallbackUrls(
                Stream.of(urls).skip(1).map(URI::create).toList());
        var result = run(options);
        System.exit(result.ok() ? 0 : 1);
    }
}
