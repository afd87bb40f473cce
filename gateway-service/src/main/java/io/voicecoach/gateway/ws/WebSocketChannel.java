package io.voicecoach.gateway.ws;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.voicecoach.gateway.session.ClientChannel;

final class WebSocketChannel implements ClientChannel {

    private final WebSocketConnection connection;

    WebSocketChannel(WebSocketConnection connection) {
        this.connection = connection;
    }

    @Override
    public Uni<Void> send(String frame) {
        return connection.sendText(frame);
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }
}
