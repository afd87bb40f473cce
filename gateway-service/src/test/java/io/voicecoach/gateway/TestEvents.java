package io.voicecoach.gateway;

import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Citation;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.StageChanged;
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

    /** {@link #suggestion} citing two knowledge-base chunks. */
    static Envelope citedSuggestion(String tenantId, String sessionId, String suggestionId) {
        var plain = suggestion(tenantId, sessionId, suggestionId).payloadAs(Suggestion.class);
        var cited = new Suggestion(plain.suggestionId(), plain.utteranceId(), plain.kind(), plain.category(),
                plain.title(), plain.message(), plain.confidence(), "embedding", plain.priority(), plain.card(),
                plain.transcriptAt(), plain.receivedAt(), List.of(
                        new Citation("doc_pricing", "Pricing FAQ", 3, "Annual plans save 20% over monthly.", 0.82),
                        new Citation("doc_onboarding", "Onboarding guide", 0, "Go live in two weeks.", 0.61)));
        return Envelope.of(EventTypes.SUGGESTION, tenantId, sessionId, 1, "coaching-service", cited);
    }

    /** {@code coaching.stage_changed} of the SPIN methodology. */
    static Envelope stageChanged(String tenantId, String sessionId, String stage, String previousStage, long atMs) {
        return Envelope.of(EventTypes.STAGE_CHANGED, tenantId, sessionId, 1, "coaching-service",
                new StageChanged("spin", stage, previousStage, "item_" + UUID.randomUUID(), atMs));
    }

    /** A checklist of two rules: the recording notice ({@code recording} = its status) and a phrase never to say. */
    static Envelope checklist(String tenantId, String sessionId, String recording, boolean closed) {
        return Envelope.of(EventTypes.COMPLIANCE_CHECKLIST, tenantId, sessionId, 1, "coaching-service",
                new ComplianceChecklist(List.of(
                        new ComplianceChecklist.Item("recording_notice", ComplianceChecklist.MUST_SAY, recording,
                                "Tell the customer the call is recorded.", 60_000,
                                ComplianceChecklist.SAID.equals(recording) ? "item_said" : null),
                        new ComplianceChecklist.Item("guarantee", ComplianceChecklist.MUST_NOT_SAY,
                                ComplianceChecklist.KEPT, "Never promise results.", 0, null)), closed));
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
