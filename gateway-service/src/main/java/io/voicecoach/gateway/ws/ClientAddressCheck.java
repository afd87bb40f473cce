package io.voicecoach.gateway.ws;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records the client's address of every WebSocket upgrade in the connection's user data ({@link #of}), for what is
 * keyed by it (the Twilio endpoint's unauthenticated sockets per IP). It is the upgrade request's remote address, so
 * with Quarkus' forwarding on ({@code quarkus.http.proxy.proxy-address-forwarding}, {@code allow-x-forwarded}) a
 * {@code X-Forwarded-For} from a {@code quarkus.http.proxy.trusted-proxies} address names the client, and from any other
 * address is ignored. The socket's own peer address ({@code HandshakeRequest.remoteAddress()}) is always the ingress's.
 */
@ApplicationScoped
public class ClientAddressCheck implements HttpUpgradeCheck {

    private static final UserData.TypedKey<String> CLIENT_ADDRESS = UserData.TypedKey.forString(
            "voicecoach.client-address");

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        var address = context.httpRequest().remoteAddress();
        if (address != null && address.host() != null) {
            context.userData().put(CLIENT_ADDRESS, address.host());
        }
        return CheckResult.permitUpgrade();
    }

    /** The client's address (no port) of {@code connection}: as forwarded by a trusted proxy, else its peer's. */
    public static String of(WebSocketConnection connection) {
        String recorded = connection.userData().get(CLIENT_ADDRESS);
        if (recorded != null) {
            return recorded;
        }
        String peer = connection.handshakeRequest().remoteAddress();
        if (peer == null) {
            return "unknown";
        }
        int port = peer.lastIndexOf(':');
        return port > 0 ? peer.substring(0, port) : peer;
    }
}
