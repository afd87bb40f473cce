package io.voicecoach.gateway.audio;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes audio chunks to {@code voice.audio}: raw PCM16 16 kHz, key = session id, metadata in {@code vc-*} headers.
 * The first chunk of every utterance also names the speech-to-text settings it is to be decoded with. Every chunk of an
 * utterance carries the utterance's trace ({@link #utteranceTrace}) in its {@code traceparent} header.
 */
@ApplicationScoped
public class AudioPublisher {

    private final MutinyEmitter<byte[]> audio;
    private final Timer frameToKafka;
    private final RealtimeTraces traces;

    public AudioPublisher(@Channel("audio-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
                          MutinyEmitter<byte[]> audio, MeterRegistry meters, RealtimeTraces traces) {
        this.audio = audio;
        this.traces = traces;
        this.frameToKafka = Timer.builder("voicecoach.gateway.audio.publish")
                .description("From receiving the frame that completed an audio chunk to Kafka acknowledging the chunk")
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram().register(meters);
    }

    /**
     * The trace of the utterance {@code first} begins: a new one, rooted in the span of the append frame that completed
     * the utterance's first chunk.
     */
    public Context utteranceTrace(String tenantId, String sessionId, AudioChunk first) {
        var span = traces.frame("input_audio_buffer.append", tenantId, sessionId, first.utteranceId(), first.track(),
                first.receivedAt());
        span.end();
        return Context.root().with(span);
    }

    /**
     * Publishes one chunk; {@code seq} counts the session's audio records from 1. {@code stt} (the first chunk of an
     * utterance only, else null): {@code vc-stt-engine} and {@code vc-language} when set, {@code vc-stt-phrases}
     * always (a JSON array, empty for none). {@code trace}: the utterance's, null for none.
     */
    public Uni<Void> publish(String tenantId, String sessionId, long seq, AudioChunk chunk, SttSettings stt,
                             Context trace) {
        var record = KafkaRecord.of(sessionId, chunk.pcm())
                .withHeader(AudioHeaders.EVENT_ID, utf8(UUID.randomUUID().toString()))
                .withHeader(AudioHeaders.TENANT_ID, utf8(tenantId))
                .withHeader(AudioHeaders.SESSION_ID, utf8(sessionId))
                .withHeader(AudioHeaders.TRACK, utf8(chunk.track()))
                .withHeader(AudioHeaders.SEQ, utf8(Long.toString(seq)))
                .withHeader(AudioHeaders.OFFSET_MS, utf8(Long.toString(chunk.offsetMs())))
                .withHeader(AudioHeaders.UTTERANCE_ID, utf8(chunk.utteranceId()))
                .withHeader(AudioHeaders.COMMIT, utf8(Boolean.toString(chunk.commit())))
                .withHeader(AudioHeaders.RECEIVED_AT, utf8(chunk.receivedAt().toString()));
        if (stt != null) {
            if (stt.engine() != null) {
                record = record.withHeader(AudioHeaders.STT_ENGINE, utf8(stt.engine()));
            }
            if (stt.language() != null) {
                record = record.withHeader(AudioHeaders.LANGUAGE, utf8(stt.language()));
            }
            record = record.withHeader(AudioHeaders.PHRASES, stt.phrasesJson());
        }
        return audio.sendMessage(RealtimeTraces.traced(record, trace))
                .invoke(() -> frameToKafka.record(Duration.between(chunk.receivedAt(), Instant.now())));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
