package io.voicecoach.coaching.session;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Traces through the Kafka Streams topology, which quarkus-opentelemetry does not instrument (it does the SmallRye
 * channels): each input record is processed in a span whose parent is the trace context in the record's headers
 * ({@code traceparent}, W3C), and every record forwarded meanwhile carries that span's context in its own headers, so a
 * transcript's trace goes on to its suggestion, battle-card request and agent reply. With the SDK disabled the spans
 * are no-ops and nothing is written.
 */
final class RecordTraces {

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            var keys = new ArrayList<String>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            var header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };
    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    RecordTraces(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.voicecoach.coaching");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Starts the span of processing one input record (messaging semantic conventions); end it when done. */
    Span processing(Headers headers, String topic, Optional<RecordMetadata> metadata) {
        var parent = propagator.extract(Context.root(), headers, GETTER);
        var span = tracer.spanBuilder(topic + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation", "process")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.consumer.group.name", SessionTopology.PRODUCER);
        metadata.ifPresent(m -> span.setAttribute("messaging.destination.partition.id", String.valueOf(m.partition()))
                .setAttribute("messaging.kafka.offset", m.offset()));
        return span.startSpan();
    }

    /** Writes the current trace context into the headers of a record about to be forwarded. */
    void inject(Headers headers) {
        propagator.inject(Context.current(), headers, SETTER);
    }

    static void failed(Span span, String reason) {
        span.setStatus(StatusCode.ERROR, reason);
    }
}
