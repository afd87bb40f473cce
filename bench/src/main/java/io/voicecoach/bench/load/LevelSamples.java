package io.voicecoach.bench.load;

import io.voicecoach.bench.Summary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the calls of one level measured inside its steady window: latencies per {@link Hop}, and how the pipeline
 * answered the turns (suggestions found or missed, agent replies). {@link #add} reads a finished call; only moments
 * whose starting point (the speaker stopping, the typed turn being sent) falls inside the window count.
 */
final class LevelSamples {

    /** Customer turns that expect a suggestion, and what came for them. */
    record Detection(int expected, int matched, int otherCategory, int missed, Map<String, Integer> unexpectedByKind) {
    }

    /** Voice-agent replies to the caller's turns. */
    record Replies(int turns, int answered, int missing, int functionCalls, Map<String, Integer> byStatus) {
    }

    /** A suggestion to look up in the {@code suggestion.delivered} receipts. */
    record Delivery(String suggestionId, Instant suggestedAt) {
    }

    private final long windowStart;
    private final long windowEnd;
    private final Map<Hop, List<Double>> values = new EnumMap<>(Hop.class);
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Map<String, Integer> unexpected = new TreeMap<>();
    private final Map<String, Integer> replyStatus = new TreeMap<>();
    private int expected;
    private int matched;
    private int otherCategory;
    private int agentTurns;
    private int answered;
    private int functionCalls;
    private int calls;

    LevelSamples(long windowStartNanos, long windowEndNanos) {
        this.windowStart = windowStartNanos;
        this.windowEnd = windowEndNanos;
    }

    private boolean inWindow(long nanos) {
        return nanos != CallRecord.NONE && nanos >= windowStart && nanos < windowEnd;
    }

    synchronized void add(Hop hop, double millis) {
        values.computeIfAbsent(hop, h -> new ArrayList<>()).add(millis);
    }

    /** Everything a finished call measured inside the window. */
    synchronized void add(CallRecord call, EpochClock clock) {
        boolean counted = false;
        for (var turn : call.turns) {
            if (!inWindow(turn.sentNanos)) {
                continue;
            }
            counted = true;
            if (call.agent) {
                replies(turn);
            }
            if (turn.script.expectsSuggestion()) {
                expected++;
                var mine = call.suggestions.values().stream().filter(s -> call.turnOf(s.itemId()) == turn).toList();
                if (mine.stream().anyMatch(s -> s.kind().equals(turn.script.expectKind())
                        && s.category().equals(turn.script.expectCategory()))) {
                    matched++;
                } else if (!mine.isEmpty()) {
                    otherCategory++;
                }
            }
        }
        for (var utterance : call.utterances.values()) {
            var turn = call.turnOf(utterance.itemId);
            if (turn == null) {
                continue;
            }
            long stopped = call.stoppedSpeakingNanos(utterance.itemId, turn);
            if (!inWindow(stopped)) {
                continue;
            }
            between(Hop.SPEECH_END_TO_STOPPED, stopped, utterance.stoppedNanos);
            between(Hop.SPEECH_END_TO_COMMITTED, stopped, utterance.committedNanos);
            between(Hop.COMMITTED_TO_TRANSCRIPT_SEEN, utterance.committedNanos, utterance.transcriptNanos);
        }
        for (var suggestion : call.suggestions.values()) {
            var turn = call.turnOf(suggestion.itemId());
            if (turn == null) {
                continue;
            }
            long stopped = call.stoppedSpeakingNanos(suggestion.itemId(), turn);
            if (!inWindow(stopped)) {
                continue;
            }
            if (!turn.script.expectsSuggestion()) {
                unexpected.merge(suggestion.kind(), 1, Integer::sum);
            }
            if (!Script.CUSTOMER.equals(turn.script.track())) {
                continue; // nudges on the rep's turns: counted above, not a "customer stops speaking" latency
            }
            hops(call, suggestion, stopped, clock).forEach(this::add);
            if (suggestion.suggestedAt() != null) {
                deliveries.add(new Delivery(suggestion.id(), suggestion.suggestedAt()));
            }
        }
        if (counted) {
            calls++;
        }
    }

    private void replies(CallRecord.Turn turn) {
        agentTurns++;
        var reply = turn.reply;
        if (reply == null) {
            return;
        }
        answered++;
        functionCalls += reply.functionCalls;
        replyStatus.merge(reply.status == null ? "not_done" : reply.status, 1, Integer::sum);
        between(Hop.AGENT_CREATED, turn.sentNanos, reply.createdNanos);
        between(Hop.AGENT_FIRST_DELTA, turn.sentNanos, reply.firstDeltaNanos);
        between(Hop.AGENT_DONE, turn.sentNanos, reply.doneNanos);
    }

    /** The hops of one suggestion on a customer turn whose speaker stopped at {@code stopped}, in milliseconds. */
    static Map<Hop, Double> hops(CallRecord call, CallRecord.Suggestion suggestion, long stopped, EpochClock clock) {
        var hops = new EnumMap<Hop, Double>(Hop.class);
        var client = clock.instant(suggestion.receivedNanos());
        var stop = clock.instant(stopped);
        put(hops, call.speech ? Hop.STOP_TO_GATEWAY_COMMIT : Hop.SENT_TO_GATEWAY, stop,
                suggestion.gatewayReceivedAt());
        put(hops, call.speech ? Hop.COMMIT_TO_TRANSCRIPT : Hop.TEXT_TO_TRANSCRIPT, suggestion.gatewayReceivedAt(),
                suggestion.transcriptAt());
        put(hops, Hop.TRANSCRIPT_TO_SUGGESTION, suggestion.transcriptAt(), suggestion.suggestedAt());
        put(hops, Hop.SUGGESTION_TO_SCREEN, suggestion.suggestedAt(), client);
        put(hops, Hop.TRANSCRIPT_TO_SCREEN, suggestion.transcriptAt(), client);
        if (stopped != CallRecord.NONE) {
            hops.put(Hop.END_TO_END, (suggestion.receivedNanos() - stopped) / 1e6);
        }
        return hops;
    }

    private static void put(Map<Hop, Double> hops, Hop hop, Instant from, Instant to) {
        if (from != null && to != null) {
            hops.put(hop, Duration.between(from, to).toNanos() / 1e6);
        }
    }

    private void between(Hop hop, long fromNanos, long toNanos) {
        if (fromNanos != CallRecord.NONE && toNanos != CallRecord.NONE) {
            add(hop, (toNanos - fromNanos) / 1e6);
        }
    }

    synchronized Map<Hop, Summary> summaries() {
        var out = new LinkedHashMap<Hop, Summary>();
        for (Hop hop : Hop.values()) {
            if (values.containsKey(hop)) {
                out.put(hop, Summary.of(values.get(hop)));
            }
        }
        return out;
    }

    synchronized Summary summary(Hop hop) {
        return Summary.of(values.getOrDefault(hop, List.of()));
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    synchronized Detection detection() {
        return new Detection(expected, matched, otherCategory, expected - matched - otherCategory,
                Map.copyOf(unexpected));
    }

    synchronized Replies replies() {
        return new Replies(agentTurns, answered, agentTurns - answered, functionCalls, Map.copyOf(replyStatus));
    }

    /** Calls with at least one turn inside the window. */
    synchronized int calls() {
        return calls;
    }
}
