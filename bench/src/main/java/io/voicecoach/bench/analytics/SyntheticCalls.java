package io.voicecoach.bench.analytics;

import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic synthetic coaching calls spread over 30 days: per session one {@code session.started}, the
 * utterances (alternating speakers), 8 suggestions, 4 delivery receipts, 3 tool calls with results and one
 * {@code session.ended}, i.e. utterances + 20 events.
 */
final class SyntheticCalls {

    private static final String[] CUSTOMER_LINES = {
            "honestly the price is too high for us this quarter",
            "we are already talking to another vendor about this",
            "I need to run this by my manager before we decide",
            "that sounds interesting, how fast could we get started",
            "our current tool does most of what we need",
            "can you send me the pricing for fifty seats"};
    private static final String[] AGENT_LINES = {
            "what does your current process look like today?",
            "um, so, the main thing is that we cut onboarding time in half",
            "who else is involved in the decision?",
            "we can start with a pilot for one team next week",
            "what would success look like for you in six months?",
            "let me walk you through how the reporting works"};
    private static final String[] CATEGORIES = {"price", "competitor", "authority", "timing", "need", "buying_signal"};
    private static final int REPS = 50;
    private static final int TEAMS = 5;

    private final String tenant;
    private final int sessions;
    private final int utterances;
    private final Instant from;

    SyntheticCalls(String tenant, int sessions, int utterances, Instant from) {
        this.tenant = tenant;
        this.sessions = sessions;
        this.utterances = utterances;
        this.from = from;
    }

    long publishTo(EventPublisher publisher) {
        var random = new SplittableRandom(42);
        long spreadMs = Duration.ofDays(30).toMillis();
        for (int i = 0; i < sessions; i++) {
            var t0 = from.plusMillis((long) i * spreadMs / sessions);
            publishSession(publisher, random, i, t0);
        }
        return publisher.sent();
    }

    private void publishSession(EventPublisher publisher, SplittableRandom random, int index, Instant t0) {
        var session = "sess_" + new UUID(0xBE4CL, index);
        int rep = index % REPS;
        long seq = 1;
        publisher.send(Topics.SESSIONS, envelope(EventTypes.SESSION_STARTED, session, seq++, t0,
                new SessionStarted("coach", "call_" + index, "rep_" + rep, List.of(Track.AGENT, Track.CUSTOMER),
                        "en-US", "audio/pcm", Map.of("team", "team_" + rep % TEAMS))));
        long at = 500;
        for (int u = 0; u < utterances; u++) {
            boolean customer = u % 2 == 1;
            long length = 1500 + random.nextInt(6000);
            var text = customer ? CUSTOMER_LINES[random.nextInt(CUSTOMER_LINES.length)]
                    : AGENT_LINES[random.nextInt(AGENT_LINES.length)];
            var received = t0.plusMillis(at + length + 100);
            publisher.send(Topics.TRANSCRIPTS, envelope(EventTypes.TRANSCRIPT_FINAL, session, seq++,
                    received.plusMillis(200), new Transcript("item_" + u, customer ? Track.CUSTOMER : Track.AGENT,
                            text, true, at, at + length, 0.9, "pocketsphinx", received)));
            at += length + random.nextInt(-300, 900);
        }
        for (int s = 0; s < 8; s++) {
            var category = CATEGORIES[random.nextInt(CATEGORIES.length)];
            var utterance = "item_" + (2 * s + 1);
            var transcriptAt = t0.plusMillis(1000L * (s + 1));
            var suggestedAt = transcriptAt.plusMillis(5 + random.nextInt(40));
            var suggestionId = session + "-s" + s;
            publisher.send(Topics.SUGGESTIONS, envelope(EventTypes.SUGGESTION, session, seq++, suggestedAt,
                    new Suggestion(suggestionId, utterance, "objection", category, "Objection: " + category,
                            "Acknowledge, then reframe", 0.8, "embedding", 1,
                            new BattleCard("card_" + category, category, null, "Answer", "body", List.of("a", "b")),
                            transcriptAt, transcriptAt.minusMillis(100))));
            if (s % 2 == 0) {
                var deliveredAt = suggestedAt.plusMillis(2 + random.nextInt(20));
                publisher.send(Topics.SESSIONS, envelope(EventTypes.SUGGESTION_DELIVERED, session, seq++, deliveredAt,
                        new SuggestionDelivered(suggestionId, utterance, suggestedAt, deliveredAt)));
            }
        }
        for (int c = 0; c < 3; c++) {
            var callId = session + "-c" + c;
            var calledAt = t0.plusMillis(2000L * (c + 1));
            publisher.send(Topics.TOOL_CALLS, envelope(EventTypes.TOOL_CALL, session, seq++, calledAt,
                    new ToolCall(callId, "get_battle_card", EventJson.tree(Map.of("category", "price")),
                            "coaching-service", 400)));
            publisher.send(Topics.TOOL_RESULTS, envelope(EventTypes.TOOL_RESULT, session, seq++,
                    calledAt.plusMillis(8), new ToolResult(callId, "get_battle_card", "ok",
                            EventJson.tree(Map.of("title", "Answer")), null, 8)));
        }
        publisher.send(Topics.SESSIONS, envelope(EventTypes.SESSION_ENDED, session, seq, t0.plusMillis(at),
                new SessionEnded("client_closed", at)));
    }

    private Envelope envelope(String type, String session, long seq, Instant at, Object payload) {
        return new Envelope(UUID.randomUUID(), type, Envelope.SCHEMA_VERSION, tenant, session, seq, at, "bench",
                EventJson.tree(payload));
    }
}
