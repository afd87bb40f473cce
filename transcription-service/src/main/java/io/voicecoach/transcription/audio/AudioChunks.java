package io.voicecoach.transcription.audio;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Track;
import io.voicecoach.transcription.stt.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes PCM16 chunks from {@code voice.audio}; malformed chunks are nacked into {@code voice.audio.dlq}. Chunks
 * of an utterance go to {@link Utterances}, which acknowledges them once the utterance is transcribed.
 */
@ApplicationScoped
public class AudioChunks {

    private static final Logger LOG = Logger.getLogger(AudioChunks.class);

    private final SessionRegistry registry;
    private final Utterances utterances;
    private final Counter audioSeconds;

    public AudioChunks(SessionRegistry registry, Utterances utterances, MeterRegistry meters) {
        this.registry = registry;
        this.utterances = utterances;
        this.audioSeconds = Counter.builder("voicecoach.audio.received").baseUnit("seconds")
                .description("Seconds of audio consumed from voice.audio").register(meters);
    }

    @Incoming("audio")
    public CompletionStage<Void> onChunk(Message<byte[]> message) {
        try {
            var headers = message.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> m.getHeaders()).orElseThrow(() -> new InvalidEventException("audio record without headers"));
            var chunk = accept(headers, message.getPayload());
            if (chunk.utteranceId() == null) {
                return message.ack();
            }
            utterances.accept(chunk, message);
            return CompletableFuture.completedFuture(null);
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting audio chunk: %s", e.getMessage());
            return message.nack(e);
        }
    }

    /** Validates and counts a chunk; its record is acknowledged by the caller or when its utterance ends. */
    AudioChunk accept(Headers headers, byte[] pcm) {
        String tenant = required(headers, AudioHeaders.TENANT_ID);
        String session = required(headers, AudioHeaders.SESSION_ID);
        String track = required(headers, AudioHeaders.TRACK);
        if (!Track.isValid(track)) {
            throw new InvalidEventException("unknown track " + track);
        }
        if (pcm == null || pcm.length % 2 != 0) {
            throw new InvalidEventException("audio chunk is not PCM16: odd or missing byte count");
        }
        if (!registry.audio(tenant, session, track, pcm.length / 2)) {
            throw new InvalidEventException("audio for session " + session + " claims another tenant");
        }
        audioSeconds.increment(pcm.length / 2.0 / AudioHeaders.SAMPLE_RATE);
        return new AudioChunk(tenant, session, track, optional(headers, AudioHeaders.UTTERANCE_ID), offsetMs(headers),
                receivedAt(headers), "true".equalsIgnoreCase(optional(headers, AudioHeaders.COMMIT)), pcm);
    }

    private static long offsetMs(Headers headers) {
        String value = optional(headers, AudioHeaders.OFFSET_MS);
        try {
            long offset = value == null ? 0 : Long.parseLong(value);
            if (offset < 0) {
                throw new InvalidEventException("negative " + AudioHeaders.OFFSET_MS + ": " + value);
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new InvalidEventException(AudioHeaders.OFFSET_MS + " is not a number: " + value);
        }
    }

    private static Instant receivedAt(Headers headers) {
        String value = optional(headers, AudioHeaders.RECEIVED_AT);
        try {
            return value == null ? Instant.now() : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(AudioHeaders.RECEIVED_AT + " is not an ISO-8601 instant: " + value);
        }
    }

    private static String optional(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null || header.value().length == 0
                ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String required(Headers headers, String name) {
        var header = headers.lastHeader(name);
        if (header == null || header.value() == null || header.value().length == 0) {
            throw new InvalidEventException("audio record without header " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
