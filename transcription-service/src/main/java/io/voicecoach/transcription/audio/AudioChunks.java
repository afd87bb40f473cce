package io.voicecoach.transcription.audio;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.LogText;
import io.voicecoach.events.Track;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.SttConfig;
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
 * of an utterance go to {@link Utterances}, which acknowledges them once the utterance is transcribed. A chunk of a
 * partition revoked after it was fetched is skipped unacknowledged: its new owner reads it again.
 */
@ApplicationScoped
public class AudioChunks {

    private static final Logger LOG = Logger.getLogger(AudioChunks.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    /** A track offset beyond a year is not audio of a call (and would overflow the utterance's end). */
    static final long MAX_OFFSET_MS = 366L * 24 * 3600 * 1000;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("3000-01-01T00:00:00Z");

    private final AudioPartitions partitions;
    private final SessionStates sessions;
    private final Utterances utterances;
    private final Counter audioSeconds;
    private final Counter dropped;
    private final UtteranceSettings.Limits limits;

    public AudioChunks(AudioPartitions partitions, SessionStates sessions, Utterances utterances, MeterRegistry meters,
                       SttConfig config) {
        this.partitions = partitions;
        this.sessions = sessions;
        this.utterances = utterances;
        this.limits = new UtteranceSettings.Limits(config.maxPhrases(), config.maxPhraseChars());
        this.audioSeconds = Counter.builder("voicecoach.audio.received").baseUnit("seconds")
                .description("Seconds of audio consumed from voice.audio").register(meters);
        this.dropped = Counter.builder("voicecoach.audio.dropped").baseUnit("seconds")
                .description("Seconds of audio dropped: beyond the session's rate, or of a refused utterance")
                .register(meters);
    }

    @Incoming("audio")
    public CompletionStage<Void> onChunk(Message<byte[]> message) {
        var metadata = message.getMetadata(IncomingKafkaRecordMetadata.class);
        if (metadata.isEmpty()) {
            return reject(message, new InvalidEventException("audio record without Kafka metadata"));
        }
        int partition = metadata.get().getPartition();
        return partitions.withLease(partition, lease -> handle(metadata.get().getHeaders(), lease, message)).orElseGet(() -> {
            LOG.debugf("skipping a chunk of voice.audio-%d: the partition was revoked", partition);
            return DONE;
        });
    }

    private CompletionStage<Void> handle(Headers headers, PartitionLease lease, Message<byte[]> message) {
        try {
            var chunk = parse(headers, message.getPayload(), limits);
            double seconds = chunk.pcm().length / 2.0 / AudioHeaders.SAMPLE_RATE;
            if (chunk.utteranceId() != null && sessions.refused(chunk.sessionId(), chunk.utteranceId())) {
                dropped.increment(seconds); // a later chunk of an utterance that already failed: nothing to decode
                return message.ack();
            }
            var admission = sessions.admit(chunk.tenantId(), chunk.sessionId(), lease.partition(), chunk.track(),
                    chunk.pcm().length / 2, chunk.receivedAt().toEpochMilli());
            switch (admission) {
                case FOREIGN_TENANT -> throw new InvalidEventException("audio for session " + chunk.sessionId()
                        + " claims another tenant");
                case TOO_FAST -> {
                    dropped.increment(seconds);
                    if (chunk.utteranceId() == null) {
                        return message.ack();
                    }
                    utterances.refuse(chunk, lease, message, FailureCodes.AUDIO_RATE_EXCEEDED);
                    return DONE;
                }
                case ACCEPTED -> audioSeconds.increment(seconds);
            }
            if (chunk.utteranceId() == null) {
                return message.ack();
            }
            utterances.accept(chunk, lease, message);
            return DONE;
        } catch (InvalidEventException e) {
            return reject(message, e);
        }
    }

    private static CompletionStage<Void> reject(Message<byte[]> message, InvalidEventException e) {
        LOG.warnf("rejecting audio chunk: %s", LogText.of(e.getMessage(), 400)); // it may quote the phrase list
        return message.nack(e);
    }

    /** Validates a chunk's headers and audio (no limits on the settings). */
    static AudioChunk parse(Headers headers, byte[] pcm) {
        return parse(headers, pcm, new UtteranceSettings.Limits(Integer.MAX_VALUE / 16, Integer.MAX_VALUE / 16));
    }

    /** Validates a chunk's headers and audio; settings beyond {@code limits} are refused. */
    static AudioChunk parse(Headers headers, byte[] pcm, UtteranceSettings.Limits limits) {
        String tenant = required(headers, AudioHeaders.TENANT_ID);
        String session = required(headers, AudioHeaders.SESSION_ID);
        String track = required(headers, AudioHeaders.TRACK);
        if (!Track.isValid(track)) {
            throw new InvalidEventException("unknown track " + track);
        }
        if (pcm == null || pcm.length % 2 != 0) {
            throw new InvalidEventException("audio chunk is not PCM16: odd or missing byte count");
        }
        var settings = UtteranceSettings.of(optional(headers, AudioHeaders.STT_ENGINE),
                optional(headers, AudioHeaders.LANGUAGE), optional(headers, AudioHeaders.PHRASES), limits);
        return new AudioChunk(tenant, session, track, optional(headers, AudioHeaders.UTTERANCE_ID), offsetMs(headers),
                receivedAt(headers), "true".equalsIgnoreCase(optional(headers, AudioHeaders.COMMIT)), settings, pcm);
    }

    private static long offsetMs(Headers headers) {
        String value = optional(headers, AudioHeaders.OFFSET_MS);
        try {
            long offset = value == null ? 0 : Long.parseLong(value);
            if (offset < 0) {
                throw new InvalidEventException("negative " + AudioHeaders.OFFSET_MS + ": " + value);
            }
            if (offset > MAX_OFFSET_MS) {
                throw new InvalidEventException(AudioHeaders.OFFSET_MS + " is more than a year into the track: " + value);
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new InvalidEventException(AudioHeaders.OFFSET_MS + " is not a number: " + value);
        }
    }

    private static Instant receivedAt(Headers headers) {
        String value = optional(headers, AudioHeaders.RECEIVED_AT);
        try {
            var at = value == null ? Instant.now() : Instant.parse(value);
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) { // also keeps epoch milliseconds in range
                throw new InvalidEventException(AudioHeaders.RECEIVED_AT + " is not a plausible instant: " + value);
            }
            return at;
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
