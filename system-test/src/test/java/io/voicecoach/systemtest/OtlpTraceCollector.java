package io.voicecoach.systemtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A local OpenTelemetry collector for the system tests: an OTLP/HTTP endpoint ({@code POST /v1/traces},
 * {@code application/x-protobuf}) that keeps every span the services export. It reads just the fields of the OTLP
 * protobuf messages a test looks at (the resource's {@code service.name}; each span's ids, name and string attributes)
 * with a minimal reader of the protobuf wire format, and answers with an empty {@code ExportTraceServiceResponse}.
 */
final class OtlpTraceCollector implements AutoCloseable {

    /** One exported span; ids in lower-case hex, {@code parentSpanId} empty for a root. */
    record CollectedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
                         Map<String, String> attributes) {

        boolean isRoot() {
            return parentSpanId.isEmpty();
        }

        @Override
        public String toString() {
            return service + " \"" + name + "\" " + spanId + (isRoot() ? " (root)" : " <- " + parentSpanId);
        }
    }

    private final HttpServer server;
    private final List<CollectedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private OtlpTraceCollector(HttpServer server) {
        this.server = server;
    }

    static OtlpTraceCollector start() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var collector = new OtlpTraceCollector(server);
            server.createContext("/", collector::handle);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                var thread = new Thread(r, "otlp-collector");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return collector;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the OTLP collector", e);
        }
    }

    /** The base URL for {@code quarkus.otel.exporter.otlp.endpoint} (the exporter adds {@code /v1/traces}). */
    String endpoint() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    List<CollectedSpan> spans() {
        return List.copyOf(spans);
    }

    List<CollectedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Requests that could not be read (wrong path, content type or encoding); a test asserts there are none. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/v1/traces")
                    || !type.startsWith("application/x-protobuf")) {
                failures.add(exchange.getRequestMethod() + " " + path + " (" + type + ")");
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (var gunzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = gunzip.readAllBytes();
                }
            }
            try {
                spans.addAll(exportRequest(body));
            } catch (RuntimeException e) {
                failures.add("unreadable export request: " + e);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** {@code ExportTraceServiceRequest}: 1 = repeated ResourceSpans. */
    static List<CollectedSpan> exportRequest(byte[] message) {
        var out = new ArrayList<CollectedSpan>();
        for (var field : Field.all(message)) {
            if (field.number == 1) {
                resourceSpans(field.bytes, out);
            }
        }
        return out;
    }

    /** {@code ResourceSpans}: 1 = Resource (1 = repeated KeyValue attributes), 2 = repeated ScopeSpans (2 = spans). */
    private static void resourceSpans(byte[] message, List<CollectedSpan> out) {
        String service = "";
        var scopes = new ArrayList<byte[]>();
        for (var field : Field.all(message)) {
            if (field.number == 1) {
                service = attributes(field.bytes, 1).getOrDefault("service.name", "");
            } else if (field.number == 2) {
                scopes.add(field.bytes);
            }
        }
        for (byte[] scope : scopes) {
            for (var field : Field.all(scope)) {
                if (field.number == 2) {
                    out.add(span(service, field.bytes));
                }
            }
        }
    }

    /** {@code Span}: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 repeated KeyValue attributes. */
    private static CollectedSpan span(String service, byte[] message) {
        String traceId = "";
        String spanId = "";
        String parentSpanId = "";
        String name = "";
        for (var field : Field.all(message)) {
            switch (field.number) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes);
                case 4 -> parentSpanId = HexFormat.of().formatHex(field.bytes);
                case 5 -> name = new String(field.bytes, StandardCharsets.UTF_8);
                default -> {
                }
            }
        }
        return new CollectedSpan(service, traceId, spanId, parentSpanId, name, attributes(message, 9));
    }

    /**
     * The {@code KeyValue}s (1 key, 2 AnyValue: 1 string_value) in field {@code number} of a message; values other
     * than strings are kept as their wire value in decimal (no test reads them).
     */
    private static Map<String, String> attributes(byte[] message, int number) {
        var attributes = new LinkedHashMap<String, String>();
        for (var field : Field.all(message)) {
            if (field.number != number) {
                continue;
            }
            String key = null;
            String value = null;
            for (var part : Field.all(field.bytes)) {
                if (part.number == 1) {
                    key = new String(part.bytes, StandardCharsets.UTF_8);
                } else if (part.number == 2) {
                    for (var any : Field.all(part.bytes)) {
                        value = any.number == 1 ? new String(any.bytes, StandardCharsets.UTF_8) : String.valueOf(any.value);
                    }
                }
            }
            if (key != null) {
                attributes.put(key, value);
            }
        }
        return attributes;
    }

    /** One field of a protobuf message: its number and either its bytes (length-delimited) or its numeric value. */
    private record Field(int number, byte[] bytes, long value) {

        static List<Field> all(byte[] message) {
            var fields = new ArrayList<Field>();
            int[] at = {0};
            while (at[0] < message.length) {
                long tag = varint(message, at);
                int number = (int) (tag >>> 3);
                switch ((int) (tag & 7)) {
                    case 0 -> fields.add(new Field(number, null, varint(message, at)));
                    case 1 -> fields.add(new Field(number, null, fixed(message, at, 8)));
                    case 2 -> {
                        int length = (int) varint(message, at);
                        if (length < 0 || at[0] + length > message.length) {
                            throw new IllegalArgumentException("field " + number + " runs past the message");
                        }
                        byte[] bytes = new byte[length];
                        System.arraycopy(message, at[0], bytes, 0, length);
                        at[0] += length;
                        fields.add(new Field(number, bytes, length));
                    }
                    case 5 -> fields.add(new Field(number, null, fixed(message, at, 4)));
                    default -> throw new IllegalArgumentException("wire type " + (tag & 7) + " of field " + number);
                }
            }
            return fields;
        }

        private static long varint(byte[] message, int[] at) {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at[0] >= message.length) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = message[at[0]++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than 64 bits");
        }

        private static long fixed(byte[] message, int[] at, int size) {
            if (at[0] + size > message.length) {
                throw new IllegalArgumentException("truncated fixed" + size * 8);
            }
            long value = 0;
            for (int i = 0; i < size; i++) {
                value |= (long) (message[at[0]++] & 0xff) << (8 * i);
            }
            return value;
        }
    }
}
