package io.voicecoach.gateway.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.voicecoach.gateway.session.Delivery;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's part of an utterance's trace (README "Traces"). Each utterance starts a trace of its own at the client
 * frame that began it ({@code input_audio_buffer.append} with its first audio, or {@code conversation.item.create});
 * the records it causes on Kafka carry that trace ({@code traceparent}, written by the Kafka connector from the
 * message's tracing metadata), and the frames the gateway sends back for it (transcripts, suggestions, agent replies)
 * are spans under the record they came from, ending when the frame reached the client's socket. With the OpenTelemetry
 * SDK disabled every span is a no-op.
 */
@ApplicationScoped
public class RealtimeTraces {

    private final Tracer tracer;

    public RealtimeTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Starts the span of a client frame that begins a new trace; the caller ends it.
     *
     * @param receivedAt when the frame arrived (the span's start)
     */
    public Span frame(String frameType, String tenantId, String sessionId, String itemId, String track,
                      Instant receivedAt) {
        return tracer.spanBuilder("realtime " + frameType).setNoParent().setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(receivedAt)
                .setAttribute("realtime.event.type", frameType)
                .setAttribute("voicecoach.tenant.id", tenantId)
                .setAttribute("voicecoach.session.id", sessionId)
                .setAttribute("voicecoach.item.id", itemId)
                .setAttribute("voicecoach.track", track)
                .startSpan();
    }

    /** {@code message} to be published as part of {@code trace} (null: the connector's current context). */
    public static <T> Message<T> traced(Message<T> message, Context trace) {
        return trace == null ? message : message.addMetadata(TracingMetadata.withCurrent(trace));
    }

    /**
     * A live fan-out delivery of {@code record} to one session: the frame's write is a span under the record's receipt,
     * from when the frame is built to when it reached the client's socket (a write that fails leaves it unexported).
     * A record received outside any trace (tracing off) is delivered as it is.
     */
    public Delivery delivering(Message<?> record, String eventType, String sessionId, Delivery delivery) {
        var parent = TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext)
                .orElseGet(Context::current);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return delivery; // tracing is off (with it on, the connector's receipt span is always there)
        }
        var sending = new AtomicReference<Span>();
        return new Delivery(delivery.dedupKey(), session -> {
            var frames = delivery.frames().apply(session);
            if (!frames.isEmpty()) {
                sending.set(tracer.spanBuilder("realtime send " + eventType).setParent(parent)
                        .setSpanKind(SpanKind.PRODUCER)
                        .setAttribute("voicecoach.event.type", eventType)
                        .setAttribute("voicecoach.session.id", sessionId)
                        .startSpan());
            }
            return frames;
        }, () -> {
            var span = sending.get();
            if (span == null) {
                delivery.onWritten().run();
                return;
            }
            try (var scope = span.makeCurrent()) {
                delivery.onWritten().run(); // the receipt (suggestion.delivered) continues the trace
            } finally {
                span.end();
            }
        });
    }
}
