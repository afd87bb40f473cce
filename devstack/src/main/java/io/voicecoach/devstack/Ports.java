package io.voicecoach.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

final class Ports {

    /** Ports this JVM already handed out: the OS may offer a just-closed port again, e.g. to a second call. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    static synchronized int free() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (var socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found that was not already handed out");
    }

    static boolean inUse(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Ports() {
    }
}
