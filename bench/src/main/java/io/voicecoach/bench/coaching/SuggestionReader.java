package io.voicecoach.bench.coaching;

import io.voicecoach.events.Event;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.UnknownEventTypeException;
import io.voicecoach.events.kafka.Decoded;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.nio.charset.StandardCharsets;
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
                    on(Decoded.of(record.value() == null ? null : record.value().getBytes(StandardCharsets.UTF_8)), now);
                }
            }
        } finally {
            consumer.close();
        }
    }

    /** Counts every record by type (one that is no event as {@code (undecodable)}) and measures the hops. */
    private void on(Decoded decoded, long receivedNanos) {
        String type = switch (decoded) {
            case Decoded.Valid valid -> valid.event().type();
            case Decoded.Invalid invalid when invalid.reason() instanceof UnknownEventTypeException unknown ->
                    unknown.type();
            case Decoded.Invalid invalid -> "(undecodable)";
        };
        synchronized (this) {
            types.increment(type);
        }
        if (decoded instanceof Decoded.Valid valid) {
            var event = valid.event();
            switch (event.payload()) {
                case Suggestion suggestion -> onSuggestion(event, suggestion, receivedNanos);
                case SuggestionCard card -> onCard(event, card);
                default -> {
                }
            }
        }
    }

    private void onSuggestion(Event<?> event, Suggestion suggestion, long receivedNanos) {
        var transcript = suggestion.utteranceId() == null ? null : sent.get(suggestion.utteranceId());
        if (transcript == null || !transcript.measured()) {
            return;
        }
        transcriptBySuggestion.put(suggestion.suggestionId(), transcript);
        synchronized (this) {
            intendedToKind.increment(transcript.intended() + " -> " + suggestion.kind());
        }
        stats.add(new HopStats.Sample(suggestion.kind(), suggestion.source(),
                millisBetween(suggestion.transcriptAt(), event.occurredAt()),
                (receivedNanos - transcript.nanos()) / 1e6, transcript.window()));
    }

    /** The card's hop is measured from the transcript it answers, found by utterance or else by suggestion. */
    private void onCard(Event<?> event, SuggestionCard card) {
        var transcript = card.utteranceId() == null ? null : sent.get(card.utteranceId());
        if (transcript == null && card.suggestionId() != null) {
            transcript = transcriptBySuggestion.get(card.suggestionId());
        }
        if (transcript == null || !transcript.measured()) {
            return;
        }
        synchronized (this) {
            cardMs.add(millisBetween(transcript.occurredAt(), event.occurredAt()));
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
