package io.voicecoach.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A stand-in for the gateway's Realtime endpoint (Vert.x): answers {@code session.created} and {@code session.updated},
 * keeps every client frame per connection, and hands each later frame to the test's reaction.
 */
final class FakeGateway implements AutoCloseable {

    /** One client connection: its role (from {@code session.update}), call id and frames. */
    final class Connection {
        final ServerWebSocket socket;
        final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        volatile String role;
        volatile String callId;
        volatile String authorization;
        volatile int closeCode = -1;

        Connection(ServerWebSocket socket) {
            this.socket = socket;
        }

        void send(ObjectNode frame) {
            socket.writeTextMessage(frame.toString());
        }

        List<JsonNode> frames(String type) {
            return frames.stream().filter(f -> f.path("type").asText().equals(type)).toList();
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Map<String, Connection> reps = new ConcurrentHashMap<>();
    /** An HTTP status to refuse every upgrade with (e.g. 429), 0 to accept. */
    volatile int refuseWith;
    private volatile BiConsumer<Connection, JsonNode> reaction = (connection, frame) -> {
    };

    FakeGateway() throws Exception {
        server = vertx.createHttpServer().webSocketHandler(this::accept).listen(0).toCompletionStage()
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    void react(BiConsumer<Connection, JsonNode> reaction) {
        this.reaction = reaction;
    }

    /** The rep connection of a call. */
    Connection rep(String callId) {
        return reps.get(callId);
    }

    private void accept(ServerWebSocket socket) {
        if (refuseWith > 0) {
            socket.reject(refuseWith);
            return;
        }
        var connection = new Connection(socket);
        connection.authorization = socket.headers().get("Authorization");
        connections.add(connection);
        socket.closeHandler(ignored -> connection.closeCode = socket.closeStatusCode() == null ? -1
                : socket.closeStatusCode());
        socket.textMessageHandler(text -> {
            try {
                var frame = Leg.JSON.readTree(text);
                connection.frames.add(frame);
                if (frame.path("type").asText().equals("session.update")) {
                    var voicecoach = frame.path("session").path("voicecoach");
                    connection.role = voicecoach.path("role").asText();
                    connection.callId = voicecoach.path("call_id").asText();
                    if ("rep".equals(connection.role)) {
                        reps.put(connection.callId, connection);
                    }
                    connection.send(Leg.JSON.createObjectNode().put("type", "session.updated"));
                } else {
                    reaction.accept(connection, frame);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var created = Leg.JSON.createObjectNode().put("type", "session.created");
        created.putObject("session").put("id", "sess_" + connections.size());
        connection.send(created);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
