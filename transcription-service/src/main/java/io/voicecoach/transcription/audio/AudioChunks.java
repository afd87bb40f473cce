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
import java.util.concurrent.CompletionStage;

/** Consumes PCM16 chunks from {@code voice.audio}; malformed chunks are nacked into {@code voice.audio.dlq}. */
@ApplicationScoped
public class AudioChunks {

    private static final Logger LOG = Logger.getLogger(AudioChunks.class);

    private final SessionRegistry registry;
    private final Counter audioSeconds;

    public AudioChunks(SessionRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.audioSeconds = Counter.builder("voicecoach.audio.received").baseUnit("seconds")
                .description("Seconds of audio consumed from voice.audio").register(meters);
    }

    @Incoming("audio")
    public CompletionStage<Void> onChunk(Message<byte[]> message) {
        try {
            var headers = message.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> m.getHeaders()).orElseThrow(() -> new InvalidEventException("audio record without headers"));
            accept(headers, message.getPayload());
            return message.ack();
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting audio chunk: %s", e.getMessage());
            return message.nack(e);
        }
    }

    void accept(Headers headers, byte[] pcm) {
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
    }

    private static String required(Headers headers, String name) {
        var header = headers.lastHeader(name);
        if (header == null || header.value() == null || header.value().length == 0) {
            throw new InvalidEventException("audio record without header " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
