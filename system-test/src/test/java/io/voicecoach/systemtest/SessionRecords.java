package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicecoach.devstack.KafkaTopics;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Diagnostics: one session's records on a pipeline topic, read from the start of its partition (committed records
 * only), one line each - offset, type and the utterance or suggestion it is about. Shows whether something the client
 * missed is in Kafka (lost on the way out) or not (never produced).
 */
final class SessionRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionRecords() {
    }

    static List<String> of(String bootstrap, String topic, String sessionId) {
        int partition = Utils.toPositive(Utils.murmur2(sessionId.getBytes(StandardCharsets.UTF_8)))
                % KafkaTopics.LOCAL_PARTITIONS;
        var tp = new TopicPartition(topic, partition);
        var lines = new ArrayList<String>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (sessionId.equals(record.key())) {
                        lines.add(topic + "-" + partition + "@" + record.offset() + " "
                                + (topic.equals(Topics.AUDIO) ? audio(record.headers(), record.value().length)
                                : describe(record.value())));
                    }
                }
            }
        } catch (RuntimeException e) {
            lines.add(topic + ": cannot read (" + e + ")");
        }
        return lines;
    }

    private static String audio(Headers headers, int bytes) {
        var about = new StringBuilder("audio " + bytes + " bytes");
        for (String name : List.of(AudioHeaders.TRACK, AudioHeaders.SEQ, AudioHeaders.UTTERANCE_ID, AudioHeaders.COMMIT,
                AudioHeaders.STT_ENGINE)) {
            var header = headers.lastHeader(name);
            if (header != null) {
                about.append(' ').append(name).append('=').append(new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return about.toString();
    }

    private static String describe(byte[] value) {
        try {
            var envelope = JSON.readTree(value);
            var payload = envelope.path("payload");
            var about = new StringBuilder(envelope.path("type").asText() + " by " + envelope.path("producer").asText()
                    + " " + envelope.path("eventId").asText());
            for (String field : List.of("utteranceId", "itemId", "suggestionId", "id", "kind", "category", "callId")) {
                if (payload.hasNonNull(field)) {
                    about.append(' ').append(field).append('=').append(payload.path(field).asText());
                }
            }
            return about.toString();
        } catch (java.io.IOException e) {
            return value.length + " bytes (not JSON)";
        }
    }
}
