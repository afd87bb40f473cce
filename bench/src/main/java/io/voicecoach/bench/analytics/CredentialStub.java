package io.voicecoach.bench.analytics;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Answers the gateway's credential check for one API key, so the benchmark needs no gateway. */
final class CredentialStub implements AutoCloseable {

    private final HttpServer server;

    private CredentialStub(HttpServer server) {
        this.server = server;
    }

    static CredentialStub start(String apiKey, String tenant) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/v1/credentials/verify", exchange -> {
            boolean valid = ("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            var body = (valid ? "{\"tenantId\":\"" + tenant + "\"}" : "{\"status\":401}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", valid ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(valid ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new CredentialStub(server);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
