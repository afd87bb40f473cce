package io.voicecoach.transcription.stt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A local server speaking OpenAI's {@code POST /v1/audio/transcriptions} (and {@code /v1/audio/speech}) wire format. Each request takes the next
 * scripted answer (the last one repeats); {@link Answer#never()} never answers.
 */
public final class OpenAiStub implements AutoCloseable {

    /** {@code audio}: a binary body ({@code application/octet-stream}) instead of {@code body}'s JSON; else null. */
    public record Answer(int status, String body, Map<String, String> headers, boolean hangs, byte[] audio) {
        public static Answer text(String text) {
            return new Answer(200, "{\"text\":\"" + text + "\"}", Map.of(), false, null);
        }

        public static Answer status(int status, String body, Map<String, String> headers) {
            return new Answer(status, body, headers, false, null);
        }

        public static Answer never() {
            return new Answer(0, "", Map.of(), true, null);
        }

        /** {@code /v1/audio/speech} with {@code response_format: pcm}: raw PCM. */
        public static Answer pcm(byte[] pcm) {
            return new Answer(200, "", Map.of(), false, pcm);
        }
    }

    public record Received(String path, Map<String, List<String>> headers, byte[] body, long atNanos) {
        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        /** The multipart/form-data parts by name, parsed with the boundary of the request's Content-Type. */
        public Map<String, Part> parts() {
            String type = header("Content-Type");
            String boundary = "--" + type.substring(type.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
            var parts = new java.util.LinkedHashMap<String, Part>();
            String text = bodyText();
            int at = text.indexOf(boundary);
            while (at >= 0) {
                int start = at + boundary.length();
                if (text.startsWith("--", start)) {
                    break;
                }
                int next = text.indexOf("\r\n" + boundary, start);
                String part = text.substring(start + 2, next);
                int split = part.indexOf("\r\n\r\n");
                var partHeaders = new java.util.TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
                for (String line : part.substring(0, split).split("\r\n")) {
                    int colon = line.indexOf(':');
                    partHeaders.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
                var name = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(partHeaders.get("Content-Disposition"));
                name.find();
                parts.put(name.group(1), new Part(partHeaders, part.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1)));
                at = next + 2;
            }
            return parts;
        }

        /** The text value of a form field, or null. */
        public String field(String name) {
            var part = parts().get(name);
            return part == null ? null : new String(part.body(), StandardCharsets.UTF_8);
        }
    }

    public record Part(Map<String, String> headers, byte[] body) {
    }

    private final HttpServer server;
    private final BlockingQueue<Answer> script = new LinkedBlockingQueue<>();
    private volatile Answer last = Answer.text("");
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public OpenAiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public OpenAiStub answer(Answer... answers) {
        script.clear();
        script.addAll(List.of(answers));
        return this;
    }

    public List<Received> received() {
        return received;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body,
                System.nanoTime()));
        var answer = script.poll();
        if (answer == null) {
            answer = last;
        } else {
            last = answer;
        }
        if (answer.hangs()) {
            return; // never answers; the exchange stays open until the client gives up
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", answer.audio() != null ? "application/octet-stream"
                : "application/json");
        byte[] out = answer.audio() != null ? answer.audio() : answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
