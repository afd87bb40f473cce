package io.voicecoach.gateway;

import io.voicecoach.devstack.SharedInfrastructure;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.SessionSnapshot;
import io.voicecoach.gateway.session.TranscriptionOptions;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What other gateway instances (live or dead) leave on Kafka, written by a test: session snapshots, liveness records,
 * and pipeline events whose partition and offset the test needs (to build a client's resume cursor).
 */
final class StateRecords implements AutoCloseable {

    private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafka().bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
            new StringSerializer(), new StringSerializer());

    /** A snapshot as instance {@code holder} writes it for an attached coach session of a rep, started. */
    static SessionSnapshot snapshot(String tenantId, String sessionId, String holder, Instant openedAt) {
        var realtime = RealtimeClient.JSON.createObjectNode().put("instructions", "Be brief.");
        return new SessionSnapshot(sessionId, tenantId, SessionSnapshot.REALTIME, openedAt, Instant.now(), holder, 0,
                null, new SessionSettings(new VoiceCoachSettings("coach", sessionId, "rep_dead", Map.of("team", "east"),
                "rep"), realtime, new InputAudioFormat("audio/pcm", 16000), TurnDetection.DEFAULT,
                new TranscriptionOptions("whisper-1", "en", null, List.of("Acme")), List.of("agent", "customer")),
                true, new SessionUpdated(null, "openai", "en", List.of("Acme"), null, Map.of("team", "east")),
                "item_last", 7, null, Map.of());
    }

    RecordMetadata send(String topic, Envelope envelope) {
        return send(topic, envelope.sessionId(), EventJson.encode(envelope));
    }

    RecordMetadata snapshot(SessionSnapshot snapshot) {
        return send(Topics.GATEWAY_SESSIONS, snapshot.sessionId(), snapshot.json());
    }

    RecordMetadata beat(String instanceId) {
        return send(Topics.GATEWAY_INSTANCES, instanceId, "{\"instanceId\":\"" + instanceId + "\"}");
    }

    RecordMetadata send(String topic, String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
