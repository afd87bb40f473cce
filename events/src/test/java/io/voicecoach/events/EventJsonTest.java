package io.voicecoach.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonTest {

    @Test
    void envelopeRoundTripsWithTypedPayload() {
        var transcript = new Transcript("item_1", Track.CUSTOMER, "the price is too high", true, 0, 1200, 1.0,
                "text", Instant.parse("2026-11-22T10:00:00Z"));
        var envelope = Envelope.of(EventTypes.TRANSCRIPT_FINAL, "acme", "sess_1", 7, "gateway-service", transcript);

        var decoded = EventJson.decode(EventJson.encode(envelope));

        assertThat(decoded.eventId()).isEqualTo(envelope.eventId());
        assertThat(decoded.seq()).isEqualTo(7);
        assertThat(decoded.tenantId()).isEqualTo("acme");
        assertThat(decoded.occurredAt()).isEqualTo(envelope.occurredAt());
        assertThat(decoded.payloadAs(Transcript.class)).isEqualTo(transcript);
    }

    @Test
    void encodesFieldNamesOfTheDesignBrief() {
        var json = EventJson.encode(Envelope.of(EventTypes.SESSION_ENDED, "acme", "sess_1", 1, "gateway-service",
                new SessionEnded("client_closed", 5000)));

        assertThat(json).contains("\"eventId\"", "\"schemaVersion\":1", "\"occurredAt\":\"", "\"reason\":\"client_closed\"");
    }

    @Test
    void rejectsValuesThatAreNotEnvelopes() {
        assertThatThrownBy(() -> EventJson.decode("{not json")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EventJson.decode("{\"type\":\"x\"}")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EventJson.decode((String) null)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void rejectsPayloadOfTheWrongShape() {
        var envelope = Envelope.of(EventTypes.TOOL_CALL, "acme", "sess_1", 1, "coaching-service", List.of(1, 2));

        assertThatThrownBy(() -> envelope.payloadAs(ToolCall.class)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("ToolCall");
    }

    @Test
    void suggestionCarriesCitationsAndReadsOlderEventsWithoutThem() {
        var citation = new Citation("doc_1", "Pricing FAQ", 3, "Annual plans save 20%", 0.82);
        var suggestion = new Suggestion("sug_1", "item_1", "objection", "price", "Objection: price", "Offer annual",
                0.9, "embedding", 1, null, Instant.parse("2026-11-22T10:00:00Z"), null, List.of(citation));
        var envelope = Envelope.of(EventTypes.SUGGESTION, "acme", "sess_1", 1, "coaching-service", suggestion);

        var decoded = EventJson.decode(EventJson.encode(envelope)).payloadAs(Suggestion.class);
        assertThat(decoded.citations()).containsExactly(citation);

        var older = EventJson.MAPPER.createObjectNode().put("suggestionId", "sug_2").put("kind", "nudge");
        var withoutCitations = Envelope.of(EventTypes.SUGGESTION, "acme", "sess_1", 2, "coaching-service", older);
        assertThat(withoutCitations.payloadAs(Suggestion.class).citations()).isEmpty();
    }

    @Test
    void battleCardFollowUpRoundTrips() {
        var card = new BattleCard("card_1", "price", null, "On price", "Value first", List.of("ROI in 3 months"));
        var followUp = new SuggestionCard("sug_1", "item_1", card);
        var envelope = Envelope.of(EventTypes.BATTLE_CARD, "acme", "sess_1", 2, "coaching-service", followUp);

        var decoded = EventJson.decode(EventJson.encode(envelope));

        assertThat(decoded.type()).isEqualTo("coaching.battle_card");
        assertThat(decoded.payloadAs(SuggestionCard.class)).isEqualTo(followUp);
    }
}
