package io.voicecoach.gateway.session;

import io.smallrye.mutiny.Uni;

/** Where a session's server events go: a Realtime WebSocket today, other transports (telephony) later. */
public interface ClientChannel {

    /** Writes one text frame; the Uni completes when the transport took it (lazy: subscribe to send). */
    Uni<Void> send(String frame);

    boolean isOpen();

    /** Closes the transport for a reason the gateway documents ({@code code} and its reason text); the first wins. */
    void closeWith(int code, String reason);
}
