package io.voicecoach.bench.coaching;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Reads {@code coach.suggestions} in the benchmark's JVM and records the hop of each measured suggestion. */
final class SuggestionReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, SuggestionHopBench.Sent> sent;
    private final HopStats stats;
    private final Map<String, SuggestionHopBench.Sent> transcriptBySuggestion = new ConcurrentHashMap<>();
    private final SuggestionHopBench.Counts types = new SuggestionHopBench.Counts();
    private final SuggestionHopBench.Counts intendedToKind = new SuggestionHopBench.Counts();
    private final List<Double> cardMs = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastRecordNanos = System.nanoTime();

    SuggestionReader(KafkaConsumer<String, String> consumer, Map<String, SuggestionHopBench.Sent> sent,
                     HopStats stats) {
        this.consumer = consumer;
        this.sent = sent;
        this.stats = stats;
        this.thread = Thread.ofPlatform().name("suggestions").start(this::run);
    }

    private void run() {
        try {
            while (running) {
                for (var record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    lastRecordNanos = now;
                    var envelope = EventJson.decode(record.value());
                    synchronized (this) {
                        types.increment(envelope.type());
                    }
                    if (envelope.type().equals(EventTypes.SUGGESTION)) {
                        onSuggestion(envelope, now);
                    } else if (envelope.type().equals(SuggestionHopBench.BATTLE_CARD)) {
                        onCard(envelope);
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    private void onSuggestion(Envelope envelope, long receivedNanos) {
        var suggestion = envelope.payloadAs(Suggestion.class);
        var transcript = suggestion.utteranceId() == null ? null : sent.get(suggestion.utteranceId());
        if (transcript == null || !transcript.measured()) {
            return;
        }
        transcriptBySuggestion.put(suggestion.suggestionId(), transcript);
        synchronized (this) {
            intendedToKind.increment(transcript.intended() + " -> " + suggestion.kind());
        }
        stats.add(new HopStats.Sample(suggestion.kind(), suggestion.source(),
                millisBetween(suggestion.transcriptAt(), envelope.occurredAt()),
                (receivedNanos - transcript.nanos()) / 1e6, transcript.window()));
    }

    /** The card event's payload is not fixed yet: its transcriptAt, else the transcript found by utterance or suggestion. */
    private void onCard(Envelope envelope) {
        JsonNode payload = envelope.payload();
        var transcript = sent.get(payload.path("utteranceId").asText(""));
        if (transcript == null) {
            transcript = transcriptBySuggestion.get(payload.path("suggestionId").asText(""));
        }
        if (transcript == null || !transcript.measured()) {
            return;
        }
        Instant transcriptAt = payload.hasNonNull("transcriptAt")
                ? Instant.parse(payload.get("transcriptAt").asText()) : transcript.occurredAt();
        synchronized (this) {
            cardMs.add(millisBetween(transcriptAt, envelope.occurredAt()));
        }
    }

    private static double millisBetween(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    /** Returns once no record has arrived for {@code quiet}. */
    void awaitQuiet(Duration quiet) throws InterruptedException {
        while (System.nanoTime() - lastRecordNanos < quiet.toNanos()) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    synchronized Map<String, Integer> types() {
        return Map.copyOf(types);
    }

    synchronized Map<String, Integer> intendedToKind() {
        return new TreeMap<>(intendedToKind);
    }

    synchronized List<Double> cardMillis() {
        return List.copyOf(cardMs);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
