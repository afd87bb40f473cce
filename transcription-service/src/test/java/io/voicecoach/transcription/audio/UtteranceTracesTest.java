package io.voicecoach.transcription.audio;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.voicecoach.events.Event;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.EngineSelector;
import io.voicecoach.transcription.stt.ScriptedEngine;
import io.voicecoach.transcription.stt.TestSttConfig;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An utterance's trace through transcription, without the broker: the chunks' records carry the gateway's trace (as the
 * Kafka connector's tracing metadata), the decoding is a {@code transcribe} span under the chunk that ended the
 * utterance, and the transcript is published in that span, so its record continues the same trace.
 */
class UtteranceTracesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final List<Message<?>> published = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        tracing.close();
    }

    @Test
    void theFinalIsPublishedInATranscribeSpanUnderTheCommitChunk() {
        var tracer = tracing.get("test");
        var utterances = utterances(tracer);
        var gatewayFrame = tracer.spanBuilder("gateway frame").setNoParent().startSpan();
        var firstChunk = tracer.spanBuilder("chunk 1").setParent(Context.root().with(gatewayFrame)).startSpan();
        var commitChunk = tracer.spanBuilder("chunk 2").setParent(Context.root().with(gatewayFrame)).startSpan();

        send(utterances, "item_1", 0, false, firstChunk);
        send(utterances, "item_1", 160, true, commitChunk);

        var transcribe = await().atMost(WAIT).until(() -> exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("transcribe " + ScriptedEngine.NAME)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(transcribe.getTraceId()).isEqualTo(gatewayFrame.getSpanContext().getTraceId());
        assertThat(transcribe.getParentSpanId()).isEqualTo(commitChunk.getSpanContext().getSpanId());
        assertThat(transcribe.getAttributes().asMap()).containsValues("item_1", "sess_traced", "final");
        assertThat(transcribe.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);

        var finalRecord = published.stream()
                .filter(m -> ((Event<?>) m.getPayload()).payload() instanceof Transcript t && t.isFinal())
                .findFirst().orElseThrow();
        var recordParent = Span.fromContext(TracingMetadata.fromMessage(finalRecord).orElseThrow().getCurrentContext());
        assertThat(recordParent.getSpanContext().getSpanId()).as("the transcript's record continues the transcribe span")
                .isEqualTo(transcribe.getSpanId());
    }

    @Test
    void anUtteranceWhoseChunksCameWithoutATraceStillGetsItsSpan() {
        var utterances = utterances(tracing.get("test"));
        send(utterances, "item_2", 0, true, null);

        var transcribe = await().atMost(WAIT).until(() -> exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().startsWith("transcribe ")).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(transcribe.getParentSpanContext().isValid()).as("a trace of its own").isFalse();
    }

    private Utterances utterances(io.opentelemetry.api.trace.Tracer tracer) {
        var config = TestSttConfig.of(Map.of("voicecoach.stt.idle-timeout", "PT1H", "voicecoach.stt.partials", "false"));
        var engines = new EngineSelector(List.of(new ScriptedEngine()), config);
        var sessions = new SessionStates(Duration.ofMinutes(10), 100, System::nanoTime);
        var publisher = new TranscriptPublisher(new RecordingEmitter(published::add), "test");
        return new Utterances(new Decodings(engines, config), new EngineRefusals(sessions, engines, publisher), sessions,
                publisher, config, new SimpleMeterRegistry(), 0, workers, new UtteranceTraces(tracer));
    }

    private static void send(Utterances utterances, String utterance, long offsetMs, boolean commit, Span receivedIn) {
        var chunk = new AudioChunk("acme", "sess_traced", Track.CUSTOMER, utterance, offsetMs, Instant.now(), commit,
                UtteranceSettings.NONE, new byte[Chunks.CHUNK_BYTES]);
        Message<String> record = Message.of(utterance + "@" + offsetMs, () -> CompletableFuture.completedFuture(null));
        if (receivedIn != null) {
            record = record.addMetadata(TracingMetadata.withCurrent(Context.root().with(receivedIn)));
        }
        utterances.accept(chunk, new PartitionLease(0), record);
    }
}
