package io.voicecoach.gateway.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.voicecoach.gateway.session.Delivery;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's spans of an utterance's trace: the frame that starts it and the frames sent for it. */
class RealtimeTracesTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final RealtimeTraces traces = new RealtimeTraces(provider.get("test"));

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aClientFrameStartsATraceOfItsOwnFromWhenItArrived() {
        var receivedAt = Instant.now().minusMillis(40);
        var span = traces.frame("conversation.item.create", "acme", "sess_1", "item_1", "customer", receivedAt);
        span.end();

        var data = exporter.getFinishedSpanItems().getFirst();
        assertThat(data.getName()).isEqualTo("realtime conversation.item.create");
        assertThat(data.getParentSpanContext().isValid()).isFalse();
        assertThat(data.getStartEpochNanos()).isEqualTo(receivedAt.getEpochSecond() * 1_000_000_000L + receivedAt.getNano());
        assertThat(data.getAttributes().asMap()).containsValues("acme", "sess_1", "item_1", "customer");

        var message = RealtimeTraces.traced(Message.of("payload"), Context.root().with(span));
        assertThat(Span.fromContext(TracingMetadata.fromMessage(message).orElseThrow().getCurrentContext()).getSpanContext())
                .as("what is published for the frame carries its trace").isEqualTo(span.getSpanContext());
        assertThat(RealtimeTraces.traced(Message.of("payload"), null).getMetadata(TracingMetadata.class)).isEmpty();
    }

    @Test
    void aSentFrameIsASpanUnderItsRecordEndingWhenWritten() {
        var receipt = provider.get("test").spanBuilder("coach.suggestions receive").setNoParent().startSpan();
        Message<String> record = Message.of("{}").addMetadata(TracingMetadata.withCurrent(Context.root().with(receipt)));
        var written = new AtomicInteger();

        var delivery = traces.delivering(record, "coaching.suggestion", "sess_1",
                Delivery.single("s1", session -> "{\"type\":\"voicecoach.coaching.suggestion\"}", written::incrementAndGet));
        assertThat(delivery.dedupKey()).isEqualTo("s1");
        assertThat(delivery.frames().apply(null)).singleElement().asString().contains("voicecoach.coaching.suggestion");
        assertThat(exporter.getFinishedSpanItems()).as("not yet written").isEmpty();
        delivery.onWritten().run();

        assertThat(written).hasValue(1);
        var sent = exporter.getFinishedSpanItems().getFirst();
        assertThat(sent.getName()).isEqualTo("realtime send coaching.suggestion");
        assertThat(sent.getTraceId()).isEqualTo(receipt.getSpanContext().getTraceId());
        assertThat(sent.getParentSpanId()).isEqualTo(receipt.getSpanContext().getSpanId());
    }

    @Test
    void nothingToSendIsNoSpan() {
        var receipt = provider.get("test").spanBuilder("voice.transcripts receive").setNoParent().startSpan();
        Message<String> record = Message.of("{}").addMetadata(TracingMetadata.withCurrent(Context.root().with(receipt)));
        var delivery = traces.delivering(record, "transcript.partial", "sess_1", Delivery.single("t1", session -> null));
        assertThat(delivery.frames().apply(null)).isEmpty();
        delivery.onWritten().run();
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void withTracingOffTheDeliveryIsLeftAsItIs() {
        var delivery = Delivery.single("t2", session -> "{}");
        assertThat(traces.delivering(Message.of("{}"), "transcript.final", "sess_1", delivery)).isSameAs(delivery);
    }
}
