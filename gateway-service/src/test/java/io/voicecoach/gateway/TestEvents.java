package io.voicecoach.gateway;

import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

final class TestEvents {

    static final String DEMO_TENANT = "demo";
    static final String DEMO_KEY = "vc_demo_local_0123456789abcdef";

    static URI websocket(URI http) {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    static Envelope suggestion(String tenantId, String sessionId, String suggestionId) {
        var card = new BattleCard("card_price", "price", null, "Price objection", "Reframe on value.",
                List.of("Ask what budget they planned", "Offer a phased rollout"));
        var suggestion = new Suggestion(suggestionId, "item_" + UUID.randomUUID(), "objection", "price",
                "Objection: price", "Acknowledge, then reframe on cost of slow onboarding.", 0.92, "rules", 1, card,
                Instant.now().minusMillis(40), Instant.now().minusMillis(60));
        return Envelope.of(EventTypes.SUGGESTION, tenantId, sessionId, 1, "coaching-service", suggestion);
    }

    /** The follow-up {@code coaching.battle_card} of {@code suggestion} carrying the card it was built with. */
    static Envelope battleCard(String tenantId, String sessionId, Envelope suggestion) {
        var sent = suggestion.payloadAs(Suggestion.class);
        return Envelope.of(EventTypes.BATTLE_CARD, tenantId, sessionId, 2, "coaching-service",
                new SuggestionCard(sent.suggestionId(), sent.utteranceId(), sent.card()));
    }

    /** {@code suggestion} as coaching-service now sends it: without its card. */
    static Envelope withoutCard(Envelope suggestion) {
        return new Envelope(suggestion.eventId(), suggestion.type(), suggestion.schemaVersion(), suggestion.tenantId(),
                suggestion.sessionId(), suggestion.seq(), suggestion.occurredAt(), suggestion.producer(),
                EventJson.tree(suggestion.payloadAs(Suggestion.class).withCard(null)));
    }

    static Map<String, Object> textItem(String eventId, String itemId, String text, String track) {
        var item = new java.util.LinkedHashMap<String, Object>();
        if (itemId != null) {
            item.put("id", itemId);
        }
        item.put("type", "message");
        item.put("role", "user");
        item.put("content", List.of(Map.of("type", "input_text", "text", text)));
        var event = new java.util.LinkedHashMap<String, Object>();
        event.put("event_id", eventId);
        event.put("type", "conversation.item.create");
        event.put("item", item);
        if (track != null) {
            event.put("voicecoach", Map.of("track", track));
        }
        return event;
    }

    /** A record of {@code type} for {@code sessionId}. */
    static boolean isEvent(KafkaTestClient.Received record, String sessionId, String type) {
        return sessionId.equals(record.key()) && record.envelope() != null && type.equals(record.envelope().type());
    }

    static Envelope awaitEvent(KafkaTestClient.TopicReader reader, String sessionId, String type) {
        return reader.awaitOne(r -> isEvent(r, sessionId, type), RealtimeClient.WAIT).envelope();
    }

    private TestEvents() {
    }
}
