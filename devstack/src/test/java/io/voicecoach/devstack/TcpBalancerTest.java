package io.voicecoach.devstack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TcpBalancerTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void connectionsGoToTheInstancesInTurnAndCarryBytesBothWays() throws Exception {
        var a = echo("a");
        var b = echo("b");
        var balancer = balancer(a.port(), b.port());

        var answers = new ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            try (var client = connect(balancer)) {
                answers.add(client.ask("GET /hello?n=" + i + " HTTP/1.1"));
            }
        }

        assertThat(answers).containsExactly("a:GET /hello?n=0 HTTP/1.1", "b:GET /hello?n=1 HTTP/1.1",
                "a:GET /hello?n=2 HTTP/1.1", "b:GET /hello?n=3 HTTP/1.1");
        assertThat(balancer.connections()).extracting(TcpBalancer.Connection::backendPort)
                .containsExactly(a.port(), b.port(), a.port(), b.port());
        assertThat(balancer.connections()).extracting(TcpBalancer.Connection::firstLine)
                .containsExactly("GET /hello?n=0 HTTP/1.1", "GET /hello?n=1 HTTP/1.1", "GET /hello?n=2 HTTP/1.1",
                        "GET /hello?n=3 HTTP/1.1");
    }

    @Test
    void aDeadInstanceIsSkippedAtConnectTime() throws Exception {
        var a = echo("a");
        int dead = Ports.free(); // nothing listens there
        var balancer = balancer(dead, a.port());

        for (int i = 0; i < 3; i++) {
            try (var client = connect(balancer)) {
                assertThat(client.ask("ping " + i)).isEqualTo("a:ping " + i);
            }
        }
        assertThat(balancer.connections()).extracting(TcpBalancer.Connection::backendPort).containsOnly(a.port());
    }

    @Test
    void whenAnInstanceDiesItsConnectionsEndAndNewOnesGoToTheOther() throws Exception {
        var a = echo("a");
        var b = echo("b");
        var balancer = balancer(a.port(), b.port());
        var onA = connect(balancer);
        open.add(onA);
        assertThat(onA.ask("GET /v1/realtime?who=rep HTTP/1.1")).startsWith("a:");
        assertThat(balancer.openConnections("who=rep")).singleElement()
                .extracting(TcpBalancer.Connection::backendPort).isEqualTo(a.port());

        a.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> onA.reader.read() == -1);
        await().atMost(Duration.ofSeconds(5)).until(() -> balancer.openConnections("who=rep").isEmpty());
        for (int i = 0; i < 2; i++) {
            try (var client = connect(balancer)) {
                assertThat(client.ask("after " + i)).isEqualTo("b:after " + i);
            }
        }
    }

    @Test
    void withEveryInstanceDownTheClientIsClosed() throws Exception {
        var balancer = balancer(Ports.free(), Ports.free());
        try (var client = connect(balancer)) {
            client.writer.println("hello");
            assertThat(client.reader.read()).isEqualTo(-1);
        }
        assertThat(balancer.connections()).singleElement().satisfies(c -> {
            assertThat(c.backendPort()).isEqualTo(-1);
            assertThat(c.open()).isFalse();
        });
    }

    private TcpBalancer balancer(int... backends) {
        var ports = new ArrayList<Integer>();
        for (int port : backends) {
            ports.add(port);
        }
        var balancer = TcpBalancer.start("test", Ports.free(), ports);
        open.add(balancer);
        return balancer;
    }

    private static Client connect(TcpBalancer balancer) throws IOException {
        var socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), balancer.port()), 2_000);
        socket.setSoTimeout(5_000);
        return new Client(socket);
    }

    /** A line client: sends a line, reads the answer line. */
    private record Client(Socket socket, BufferedReader reader, PrintWriter writer) implements AutoCloseable {
        Client(Socket socket) throws IOException {
            this(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)),
                    new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8));
        }

        String ask(String line) throws IOException {
            writer.print(line + "\r\n");
            writer.flush();
            return reader.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A server answering each line with "<name>:<line>", one thread per connection. */
    private Echo echo(String name) throws IOException {
        var server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        var echo = new Echo(name, server, new ArrayList<>());
        open.add(echo);
        Thread.ofVirtual().start(echo::serve);
        return echo;
    }

    private record Echo(String name, ServerSocket server, List<Socket> accepted) implements AutoCloseable {
        int port() {
            return server.getLocalPort();
        }

        void serve() {
            while (!server.isClosed()) {
                try {
                    var socket = server.accept();
                    synchronized (accepted) {
                        accepted.add(socket);
                    }
                    Thread.ofVirtual().start(() -> answer(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void answer(Socket socket) {
            try (socket; var in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)); var out = new PrintWriter(socket.getOutputStream(), true,
                    StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(name + ":" + line);
                }
            } catch (IOException ended) {
                // the test closed it
            }
        }

        /** Stops listening and drops every connection, as a killed process does. */
        @Override
        public void close() throws IOException {
            server.close();
            synchronized (accepted) {
                for (var socket : accepted) {
                    socket.close();
                }
            }
        }
    }
}
