package io.voicecoach.bench.stt;

import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Publishes utterances on {@code voice.audio} the way the gateway does after its VAD: 160 ms PCM16 16 kHz chunks
 * with the session, track, utterance, offset and receive-time headers, {@code vc-commit=true} on the last chunk.
 */
final class AudioFeed implements AutoCloseable {

    static final int CHUNK_MS = 160;
    static final int CHUNK_BYTES = CHUNK_MS * 32;

    /** When the first and the commit chunk were handed to Kafka ({@link System#nanoTime()}). */
    record Sent(long firstChunkNanos, long commitNanos) {
    }

    private final KafkaProducer<String, byte[]> producer;

    AudioFeed(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends one utterance starting at track position {@code offsetMs}: at real-time pace (each chunk when its audio
     * would have been spoken) or, with {@code realTime=false}, as fast as Kafka takes it.
     */
    Sent send(String tenant, String session, String utterance, long offsetMs, byte[] pcm, boolean realTime) {
        long start = System.nanoTime();
        long first = 0;
        long commit = 0;
        int seq = 0;
        for (int from = 0; from < pcm.length; from += CHUNK_BYTES) {
            int to = Math.min(pcm.length, from + CHUNK_BYTES);
            if (realTime) {
                Pause.until(start + TimeUnit.MILLISECONDS.toNanos(from / 32));
            }
            boolean last = to == pcm.length;
            var record = new ProducerRecord<String, byte[]>(Topics.AUDIO, session, Arrays.copyOfRange(pcm, from, to));
            header(record, AudioHeaders.EVENT_ID, UUID.randomUUID().toString());
            header(record, AudioHeaders.TENANT_ID, tenant);
            header(record, AudioHeaders.SESSION_ID, session);
            header(record, AudioHeaders.TRACK, Track.CUSTOMER);
            header(record, AudioHeaders.SEQ, Integer.toString(++seq));
            header(record, AudioHeaders.UTTERANCE_ID, utterance);
            header(record, AudioHeaders.OFFSET_MS, Long.toString(offsetMs + from / 32));
            header(record, AudioHeaders.RECEIVED_AT, Instant.now().toString());
            header(record, AudioHeaders.COMMIT, Boolean.toString(last));
            long now = System.nanoTime();
            if (first == 0) {
                first = now;
            }
            if (last) {
                commit = now;
            }
            if (realTime) {
                try {
                    producer.send(record).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot publish audio", e);
                }
            } else {
                producer.send(record);
            }
        }
        producer.flush();
        return new Sent(first, commit);
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
