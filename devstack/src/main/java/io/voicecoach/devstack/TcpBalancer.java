package io.voicecoach.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP load balancer on one local port in front of a service's instances, as a Kubernetes Service is: each new
 * connection goes to the next instance in turn; an instance that refuses the connection (dead, or not listening yet)
 * is skipped for that connection. Bytes are copied both ways untouched (HTTP, WebSocket), so a client keeps one URL
 * while instances come and go; when an instance dies, the connections it held end, as they would in a cluster.
 * <p>
 * For diagnostics it remembers the last {@value #REMEMBERED} connections: which instance got each, and its first
 * line (for HTTP, the request line, e.g. {@code GET /v1/realtime?session_id=... HTTP/1.1}).
 */
public final class TcpBalancer implements AutoCloseable {

    static final int REMEMBERED = 500;
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    private static final int FIRST_LINE_MAX = 512;

    /**
     * One client connection.
     *
     * @param backendPort the instance's port, or -1 when every instance refused it
     * @param firstLine   the first line the client sent (up to {@value #FIRST_LINE_MAX} bytes), "" before it came
     */
    public record Connection(long id, int backendPort, Instant openedAt, String firstLine, boolean open) {
    }

    private final String name;
    private final ServerSocket server;
    private final List<Integer> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final Deque<Tracked> recent = new ArrayDeque<>();
    private volatile boolean closed;

    private TcpBalancer(String name, ServerSocket server, List<Integer> backends) {
        this.name = name;
        this.server = server;
        this.backends = List.copyOf(backends);
    }

    /**
     * Listens on {@code 127.0.0.1:port} and balances over the instances on {@code 127.0.0.1:<backend port>}.
     *
     * @throws UncheckedIOException if the port is taken
     */
    public static TcpBalancer start(String name, int port, List<Integer> backendPorts) {
        try {
            var server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            var balancer = new TcpBalancer(name, server, backendPorts);
            Thread.ofPlatform().daemon().name("balancer-" + name).start(balancer::acceptLoop);
            return balancer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " for " + name, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Integer> backends() {
        return backends;
    }

    /** The remembered connections, oldest first. */
    public List<Connection> connections() {
        synchronized (recent) {
            return recent.stream().map(Tracked::snapshot).toList();
        }
    }

    /** Open connections whose first line contains {@code text}, oldest first. */
    public List<Connection> openConnections(String text) {
        return connections().stream().filter(c -> c.open() && c.firstLine().contains(text)).toList();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (recent) {
            recent.forEach(Tracked::close);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            Thread.ofVirtual().name("balancer-" + name + "-connect").start(() -> route(client));
        }
    }

    private void route(Socket client) {
        var tracked = new Tracked(ids.incrementAndGet(), client);
        remember(tracked);
        int first = Math.floorMod(next.getAndIncrement(), backends.size());
        for (int attempt = 0; attempt < backends.size() && !closed; attempt++) {
            int port = backends.get((first + attempt) % backends.size());
            var backend = new Socket();
            try {
                backend.setTcpNoDelay(true);
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
            } catch (IOException refused) {
                quietly(backend);
                continue;
            }
            tracked.connected(port, backend);
            try {
                client.setTcpNoDelay(true);
            } catch (SocketException ignored) {
                // a client that is already gone ends the pumps at once
            }
            Thread.ofVirtual().name("balancer-" + name + "-down").start(() -> pump(backend, client, tracked, false));
            pump(client, backend, tracked, true);
            return;
        }
        tracked.close();
    }

    /** Copies {@code from} to {@code to} until either side ends, then closes both. */
    private static void pump(Socket from, Socket to, Tracked tracked, boolean upstream) {
        var buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (upstream) {
                    tracked.sawBytes(buffer, n);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ended) {
            // a reset or a close on either side ends the connection
        } finally {
            tracked.close();
        }
    }

    private void remember(Tracked tracked) {
        synchronized (recent) {
            recent.addLast(tracked);
            while (recent.size() > REMEMBERED) {
                recent.removeFirst();
            }
        }
    }

    private static void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** A connection while and after it is open. */
    private static final class Tracked {
        private final long id;
        private final Socket client;
        private final Instant openedAt = Instant.now();
        private final StringBuilder firstLine = new StringBuilder();
        private volatile Socket backend;
        private volatile int backendPort = -1;
        private volatile boolean lineDone;
        private volatile boolean open = true;

        Tracked(long id, Socket client) {
            this.id = id;
            this.client = client;
        }

        void connected(int port, Socket socket) {
            backendPort = port;
            backend = socket;
        }

        void sawBytes(byte[] bytes, int length) {
            if (lineDone) {
                return;
            }
            synchronized (firstLine) {
                for (int i = 0; i < length && !lineDone; i++) {
                    char c = (char) (bytes[i] & 0xff);
                    if (c == '\r' || c == '\n' || firstLine.length() >= FIRST_LINE_MAX) {
                        lineDone = true;
                    } else {
                        firstLine.append(c);
                    }
                }
            }
        }

        synchronized void close() {
            open = false;
            quietly(client);
            if (backend != null) {
                quietly(backend);
            }
        }

        Connection snapshot() {
            String line;
            synchronized (firstLine) {
                line = new String(firstLine.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
            return new Connection(id, backendPort, openedAt, line, open);
        }
    }
}
