package io.voicecoach.analytics;

import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Citation;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A scripted coaching call: started, three utterances, two suggestions with delivery receipts (the first citing two
 * knowledge-base chunks), ended. Every
 * timestamp is an exact offset from {@link #t0}, so the latency figures are known:
 * <pre>
 *            receivedAt  transcriptAt  suggestedAt  deliveredAt   t->s  s->c  e2e
 *   s1 (u1)    +2600        +2700         +2720        +2730        20    10   130
 *   s2 (u3)    +6100        +6200         +6240        +6270        40    30   170
 * </pre>
 * The envelopes (and their event ids) are fixed, so sending them again is a redelivery.
 */
record DemoCall(String tenant, String session, Instant t0, Envelope started, Envelope u1, Envelope u2, Envelope u3,
                Envelope s1, Envelope s2, Envelope r1, Envelope r2, Envelope ended) {

    static final String PRODUCER = "test";

    static DemoCall of(String tenant) {
        return of(tenant, Instant.now().truncatedTo(ChronoUnit.MILLIS), "rep_7");
    }

    static DemoCall of(String tenant, Instant t0, String repId) {
        return of(tenant, t0, repId, Map.of());
    }

    /** @param metadata the client metadata of {@code session.started} (e.g. {@code team}) */
    static DemoCall of(String tenant, Instant t0, String repId, Map<String, String> metadata) {
        String session = "sess_" + UUID.randomUUID();
        return new DemoCall(tenant, session, t0,
                envelope(EventTypes.SESSION_STARTED, tenant, session, 1, t0,
                        new SessionStarted("coach", "call_" + session, repId, List.of(Track.AGENT, Track.CUSTOMER),
                                "en-US", "audio/pcm", metadata)),
                utterance(tenant, session, t0, "u1", Track.CUSTOMER, "honestly the price is too high for us", 1000, 2500, 2600, 2700),
                utterance(tenant, session, t0, "u2", Track.AGENT, "what budget did you have in mind", 3000, 4000, 4100, 4200),
                utterance(tenant, session, t0, "u3", Track.CUSTOMER, "we are also talking to Acme", 5000, 6000, 6100, 6200),
                suggestion(tenant, session, t0, session + "-s1", "u1", "price", 2600, 2700, 2720, CITATIONS),
                suggestion(tenant, session, t0, session + "-s2", "u3", "competitor", 6100, 6200, 6240),
                receipt(tenant, session, t0, session + "-s1", "u1", 2720, 2730),
                receipt(tenant, session, t0, session + "-s2", "u3", 6240, 6270),
                envelope(EventTypes.SESSION_ENDED, tenant, session, 9, t0.plusMillis(10_000),
                        new SessionEnded("client_closed", 10_000)));
    }

    /** Sends the whole call; within each topic utterances and suggestions go out of their timeline order. */
    void send(KafkaTestClient kafka) {
        kafka.send(Topics.SESSIONS, started);
        kafka.send(Topics.TRANSCRIPTS, u3);
        kafka.send(Topics.TRANSCRIPTS, u1);
        kafka.send(Topics.TRANSCRIPTS, u2);
        kafka.send(Topics.SUGGESTIONS, s2);
        kafka.send(Topics.SUGGESTIONS, s1);
        kafka.send(Topics.SESSIONS, r1);
        kafka.send(Topics.SESSIONS, r2);
        kafka.send(Topics.SESSIONS, ended);
    }

    /** Suggestion ids are global, so each call's are prefixed with its session id. */
    String suggestionId(String name) {
        return session + "-" + name;
    }

    Instant at(long offsetMs) {
        return t0.plusMillis(offsetMs);
    }

    static Envelope envelope(String type, String tenant, String session, long seq, Instant occurredAt, Object payload) {
        return new Envelope(UUID.randomUUID(), type, Envelope.SCHEMA_VERSION, tenant, session, seq, occurredAt, PRODUCER,
                EventJson.tree(payload));
    }

    static Envelope utterance(String tenant, String session, Instant t0, String utteranceId, String track, String text,
                              long startMs, long endMs, long receivedAt, long publishedAt) {
        return envelope(EventTypes.TRANSCRIPT_FINAL, tenant, session, 1, t0.plusMillis(publishedAt),
                new Transcript(utteranceId, track, text, true, startMs, endMs, 0.9, "text", t0.plusMillis(receivedAt)));
    }

    /** The knowledge-base chunks the call's first suggestion cites. */
    static final List<Citation> CITATIONS = List.of(
            new Citation("doc_pricing", "Pricing FAQ", 3, "Annual plans save 20% over monthly billing.", 0.82),
            new Citation("doc_onboarding", "Onboarding guide", 0, "Most teams go live in two weeks.", 0.61));

    static Envelope suggestion(String tenant, String session, Instant t0, String suggestionId, String utteranceId,
                               String category, long receivedAt, long transcriptAt, long suggestedAt) {
        return suggestion(tenant, session, t0, suggestionId, utteranceId, category, receivedAt, transcriptAt,
                suggestedAt, List.of());
    }

    static Envelope suggestion(String tenant, String session, Instant t0, String suggestionId, String utteranceId,
                               String category, long receivedAt, long transcriptAt, long suggestedAt,
                               List<Citation> citations) {
        var card = new BattleCard("card_" + category, category, null, "Answer for " + category, "body",
                List.of("point one", "point two"));
        return envelope(EventTypes.SUGGESTION, tenant, session, 1, t0.plusMillis(suggestedAt),
                new Suggestion(suggestionId, utteranceId, "objection", category, "Objection: " + category,
                        "Acknowledge, then reframe", 0.87, "rules", 1, card, t0.plusMillis(transcriptAt),
                        t0.plusMillis(receivedAt), citations));
    }

    static Envelope receipt(String tenant, String session, Instant t0, String suggestionId, String utteranceId,
                            long suggestedAt, long deliveredAt) {
        return envelope(EventTypes.SUGGESTION_DELIVERED, tenant, session, 1, t0.plusMillis(deliveredAt),
                new SuggestionDelivered(suggestionId, utteranceId, t0.plusMillis(suggestedAt), t0.plusMillis(deliveredAt)));
    }
}
