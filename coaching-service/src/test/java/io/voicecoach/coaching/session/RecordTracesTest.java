package io.voicecoach.coaching.session;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace context through the Kafka Streams processor: the span of an input record continues the trace in its
 * {@code traceparent} header, and what is forwarded in that span names the span as its parent.
 */
class RecordTracesTest {

    private final SdkTracerProvider provider = SdkTracerProvider.builder().build();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void aForwardedRecordContinuesTheInputRecordsTrace() {
        var upstream = sdk.getTracer("test").spanBuilder("voice.transcripts publish").setNoParent().startSpan();
        var input = new RecordHeaders();
        input.add("traceparent", traceparent(upstream).getBytes(StandardCharsets.UTF_8));
        var traces = new RecordTraces(sdk);

        var span = traces.processing(input, "voice.transcripts", Optional.empty());
        var output = new RecordHeaders();
        output.add("traceparent", "stale".getBytes(StandardCharsets.UTF_8));
        try (var scope = span.makeCurrent()) {
            traces.inject(output);
        } finally {
            span.end();
        }

        assertThat(span.getSpanContext().getTraceId()).isEqualTo(upstream.getSpanContext().getTraceId());
        assertThat(((io.opentelemetry.sdk.trace.ReadableSpan) span).getParentSpanContext().getSpanId())
                .isEqualTo(upstream.getSpanContext().getSpanId());
        assertThat(output.headers("traceparent")).hasSize(1);
        assertThat(new String(output.lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .isEqualTo(traceparent(span));
    }

    @Test
    void aRecordWithoutATraceStartsOneAndWithTheSdkDisabledNothingIsWritten() {
        var span = new RecordTraces(sdk).processing(new RecordHeaders(), "tool.results", Optional.empty());
        assertThat(span.getSpanContext().isValid()).isTrue();
        assertThat(((io.opentelemetry.sdk.trace.ReadableSpan) span).getParentSpanContext().isValid()).isFalse();
        span.end();

        var disabled = new RecordTraces(OpenTelemetry.noop());
        var output = new RecordHeaders();
        try (var scope = Context.root().with(span).makeCurrent()) {
            disabled.inject(output);
        }
        assertThat(output.toArray()).isEmpty();
    }

    private static String traceparent(Span span) {
        return "00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-01";
    }
}
