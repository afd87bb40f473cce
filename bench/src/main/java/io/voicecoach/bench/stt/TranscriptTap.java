package io.voicecoach.bench.stt;

import io.voicecoach.events.Event;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptEvent;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.events.kafka.Decoded;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Reads {@code voice.transcripts} from its end and notes, per utterance, when the first partial and the final came. */
final class TranscriptTap implements AutoCloseable {

    /** What one utterance produced; times are {@link System#nanoTime()}, 0 when it did not happen. */
    static final class Outcome {
        volatile long firstPartialNanos;
        volatile long finalNanos;
        volatile String text;
        volatile String failure;
        volatile int partials;

        boolean done() {
            return finalNanos != 0;
        }
    }

    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean positioned;

    TranscriptTap(String bootstrapServers) {
        thread = Thread.ofPlatform().daemon().name("transcript-tap").start(() -> poll(bootstrapServers));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!positioned) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read " + Topics.TRANSCRIPTS);
            }
            Pause.millis(20);
        }
    }

    private void poll(String bootstrapServers) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.TRANSCRIPTS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(Topics.TRANSCRIPTS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned = true;
            while (running) {
                for (var record : consumer.poll(Duration.ofMillis(20))) {
                    // records that are no events, or of types this bench does not know, are not ours to judge
                    if (Decoded.of(record.value()) instanceof Decoded.Valid valid
                            && valid.event().payload() instanceof TranscriptEvent transcript) {
                        on(valid.event(), transcript, System.nanoTime());
                    }
                }
            }
        }
    }

    private void on(Event<?> event, TranscriptEvent payload, long now) {
        switch (payload) {
            case Transcript partial when EventTypes.TRANSCRIPT_PARTIAL.equals(event.type()) -> {
                var outcome = outcome(event.sessionId(), partial.utteranceId());
                if (outcome.firstPartialNanos == 0) {
                    outcome.firstPartialNanos = now;
                }
                outcome.partials++;
            }
            case Transcript transcript -> {
                var outcome = outcome(event.sessionId(), transcript.utteranceId());
                if (outcome.finalNanos == 0) {
                    outcome.text = transcript.text();
                    outcome.finalNanos = now;
                }
            }
            case TranscriptFailed failed -> {
                var outcome = outcome(event.sessionId(), failed.utteranceId());
                if (outcome.finalNanos == 0) {
                    outcome.failure = failed.code() + ": " + failed.message();
                    outcome.text = "";
                    outcome.finalNanos = now;
                }
            }
        }
    }

    Outcome outcome(String session, String utterance) {
        return outcomes.computeIfAbsent(session + "/" + utterance, k -> new Outcome());
    }

    /** The utterance's outcome once its final (or failure) arrived, or empty after {@code timeout}. */
    Optional<Outcome> awaitFinal(String session, String utterance, Duration timeout) {
        var outcome = outcome(session, utterance);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!outcome.done() && System.nanoTime() < deadline) {
            Pause.millis(5);
        }
        return outcome.done() ? Optional.of(outcome) : Optional.empty();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
