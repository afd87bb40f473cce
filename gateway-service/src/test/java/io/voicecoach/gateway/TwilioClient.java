package io.voicecoach.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.voicecoach.gateway.RealtimeClient.JSON;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static org.awaitility.Awaitility.await;

/** Plays Twilio's side of a Media Stream: the frames Twilio sends, shaped as Twilio documents them. */
final class TwilioClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String streamSid = "MZ" + java.util.UUID.randomUUID().toString().replace("-", "");
    final String callSid;
    private final WebSocket socket;
    private volatile int closeCode = -1;
    private volatile String closeReason;
    private volatile boolean received;
    private int sequence;
    private final Map<String, Integer> chunks = new LinkedHashMap<>();
    private final StringBuilder text = new StringBuilder();
    /** The frames the gateway wrote to "Twilio", in order. */
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();

    TwilioClient(URI uri, String callSid) {
        this(HTTP, uri, callSid);
    }

    /** Through {@code http}, e.g. one bound to another local address (a different remote IP for the gateway). */
    TwilioClient(HttpClient http, URI uri, String callSid) {
        this(http, uri, callSid, Map.of());
    }

    /** With extra upgrade request headers, e.g. the {@code X-Forwarded-For} an ingress adds. */
    TwilioClient(HttpClient http, URI uri, String callSid, Map<String, String> headers) {
        this.callSid = callSid;
        var builder = http.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                received = true;
                text.append(data);
                if (last) {
                    try {
                        frames.add(JSON.readTree(text.toString()));
                    } catch (JsonProcessingException e) {
                        frames.add(JSON.getNodeFactory().textNode(text.toString()));
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason = reason;
                closeCode = statusCode;
                return null;
            }
        }).join();
    }

    void connected() {
        send(Map.of("event", "connected", "protocol", "Call", "version", "1.0.0"));
    }

    void start(Map<String, String> customParameters, List<String> tracks) {
        send(Map.of("event", "start", "sequenceNumber", Integer.toString(++sequence), "streamSid", streamSid,
                "start", Map.of(
                        "accountSid", "AC0123456789abcdef0123456789abcdef",
                        "streamSid", streamSid,
                        "callSid", callSid,
                        "tracks", tracks,
                        "customParameters", customParameters,
                        "mediaFormat", Map.of("encoding", "audio/x-mulaw", "sampleRate", 8000, "channels", 1))));
    }

    /** One 20 ms frame (160 mu-law bytes) of {@code inbound} or {@code outbound}. */
    void media(String track, byte[] ulaw) {
        int chunk = chunks.merge(track, 1, Integer::sum);
        send(Map.of("event", "media", "sequenceNumber", Integer.toString(++sequence), "streamSid", streamSid,
                "media", Map.of("track", track, "chunk", Integer.toString(chunk),
                        "timestamp", Integer.toString((chunk - 1) * 20),
                        "payload", Base64.getEncoder().encodeToString(ulaw))));
    }

    /** A mark, as Twilio echoes the gateway's once the audio before it has played. */
    void mark(String name) {
        send(Map.of("event", "mark", "sequenceNumber", Integer.toString(++sequence), "streamSid", streamSid,
                "mark", Map.of("name", name)));
    }

    void dtmf(String digit) {
        send(Map.of("event", "dtmf", "sequenceNumber", Integer.toString(++sequence), "streamSid", streamSid,
                "dtmf", Map.of("track", "inbound_track", "digit", digit)));
    }

    void stop() {
        send(Map.of("event", "stop", "sequenceNumber", Integer.toString(++sequence), "streamSid", streamSid,
                "stop", Map.of("accountSid", "AC0123456789abcdef0123456789abcdef", "callSid", callSid)));
    }

    void sendRaw(String frame) {
        socket.sendText(frame, true).join();
    }

    /** Sends one message in frames; stops when the server closed the socket part way (a message too large). */
    void sendFragmented(String... parts) {
        RealtimeClient.sendFragmented(socket, parts);
    }

    int awaitCloseCode() {
        await().atMost(WAIT).until(() -> closeCode >= 0);
        return closeCode;
    }

    /** The close frame's reason text (after {@link #awaitCloseCode()}). */
    String closeReason() {
        return closeReason;
    }

    boolean closedByServer() {
        return closeCode >= 0;
    }

    /** The frames received so far, in order. */
    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** The frames received so far of one {@code event}. */
    List<JsonNode> ofEvent(String event) {
        return frames.stream().filter(frame -> event.equals(frame.path("event").asText())).toList();
    }

    /** Waits until at least {@code count} frames of {@code event} arrived; returns them. */
    List<JsonNode> awaitEvents(String event, int count) {
        await().atMost(WAIT).until(() -> ofEvent(event).size() >= count);
        return ofEvent(event);
    }

    boolean receivedAnything() {
        return received;
    }

    private void send(Object frame) {
        try {
            sendRaw(JSON.writeValueAsString(frame));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
    }
}
