package io.voicecoach.transcription.audio;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The decoding of an utterance in its trace. The trace comes with the utterance's chunks (the gateway starts one per
 * utterance, each chunk's record carries it): the {@code transcribe} span is a child of the receipt of the chunk that
 * ended the utterance, and the transcripts published inside it continue the trace on {@code voice.transcripts}.
 * With the OpenTelemetry SDK disabled every span here is a no-op.
 */
@ApplicationScoped
public class UtteranceTraces {

    private final Tracer tracer;

    public UtteranceTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The trace context a record was received in, null when it has none. */
    static Context of(Message<?> record) {
        return TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext).orElse(null);
    }

    /** Starts the span of the utterance's final decoding and publication; end it with {@link #end}. */
    Span finishing(Utterance utterance, String outcome) {
        var parent = utterance.trace;
        return tracer.spanBuilder("transcribe " + utterance.plan.engine().name())
                .setParent(parent == null ? Context.current() : parent)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("voicecoach.tenant.id", utterance.tenantId)
                .setAttribute("voicecoach.session.id", utterance.sessionId())
                .setAttribute("voicecoach.track", utterance.key.track())
                .setAttribute("voicecoach.utterance.id", utterance.id)
                .setAttribute("voicecoach.stt.ending", outcome)
                .startSpan();
    }

    /** The engine failed or timed out: a {@code transcript.failed} is published in the span. */
    static void failed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, "not transcribed");
    }

    /** Ends the span; {@code publishFailure}: the outcome did not reach the broker, null when it did. */
    static void end(Span span, Throwable publishFailure) {
        if (publishFailure != null) {
            failed(span, publishFailure);
        }
        span.end();
    }
}
