package io.voicecoach.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    private static Event<?> event(Payload payload) {
        return Event.of(UUID.randomUUID(), "acme", "sess_1", 7, EventSamples.AT, "coaching-service", payload);
    }

    private static Envelope legacy(Event<?> event) {
        return new Envelope(event.eventId(), event.type(), event.schemaVersion(), event.tenantId(), event.sessionId(),
                event.seq(), event.occurredAt(), event.producer(), EventJson.tree(event.payload()));
    }

    @Test
    void writesTheBytesOfTheUntypedEnvelopeForEveryType() {
        for (Payload payload : EventSamples.all()) {
            var event = event(payload);

            assertThat(EventCodec.encodeToString(event)).as(event.type()).isEqualTo(EventJson.encode(legacy(event)));
        }
    }

    @Test
    void readsWhatTheUntypedEnvelopeWroteForEveryType() {
        for (Payload payload : EventSamples.all()) {
            var event = event(payload);

            assertThat(EventCodec.decode(EventJson.encode(legacy(event)))).as(event.type()).isEqualTo(event);
        }
    }

    @Test
    void theUntypedEnvelopeReadsWhatThisWrites() {
        for (Payload payload : EventSamples.all()) {
            var event = event(payload);

            var envelope = EventJson.decode(EventCodec.encode(event));

            assertThat(envelope.type()).isEqualTo(event.type());
            assertThat(envelope.payloadAs(payload.getClass())).isEqualTo(payload);
        }
    }

    @Test
    void namesTheTypeAfterThePayload() {
        var partial = event(EventSamples.all().get(7));
        var finalOne = event(EventSamples.all().get(8));

        assertThat(partial.type()).isEqualTo(EventTypes.TRANSCRIPT_PARTIAL);
        assertThat(finalOne.type()).isEqualTo(EventTypes.TRANSCRIPT_FINAL);
        assertThat(finalOne.topic()).isEqualTo(Topics.TRANSCRIPTS);
    }

    @Test
    void readsFieldsInAnyOrderAndIgnoresUnknownOnes() {
        String json = """
                {"payload": {"reason": "idle_timeout", "durationMs": 60000, "extra": true}, "seq": 3,
                 "occurredAt": "2026-11-22T10:00:00Z", "sessionId": "sess_1", "tenantId": "acme", "future": [1],
                 "schemaVersion": 1, "type": "session.ended", "eventId": "9b2f4c5e-0d4a-4b8e-9c51-2f0e9d1c7a10"}""";

        var event = EventCodec.decode(json);

        assertThat(event.payload()).isEqualTo(new SessionEnded("idle_timeout", 60000));
        assertThat(event.seq()).isEqualTo(3);
        assertThat(event.producer()).isNull();
    }

    @Test
    void decodesToATopicsFamilyAndRefusesAnother() {
        byte[] json = EventCodec.encode(event(new SessionEnded("client_closed", 10)));

        Event<? extends SessionEvent> ended = EventCodec.decode(json, SessionEvent.class);
        String seen = switch (ended.payload()) {
            case SessionEnded e -> e.reason();
            case SessionStarted s -> "started";
            case SessionUpdated u -> "updated";
            case SuggestionDelivered d -> "delivered";
            case SpeechStarted s -> "speech";
            case ResponseRequested r -> "requested";
            case ResponseCancelRequested c -> "cancelled";
            case ItemCreated c -> "item created";
            case ItemDeleted d -> "item deleted";
            case ItemTruncated t -> "item truncated";
            case SessionErased e -> "erased";
        };
        assertThat(seen).isEqualTo("client_closed");
        assertThatThrownBy(() -> EventCodec.decode(json, TranscriptEvent.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("TranscriptEvent");
    }

    @Test
    void anUnknownTypeIsToldApart() {
        String json = """
                {"eventId": "9b2f4c5e-0d4a-4b8e-9c51-2f0e9d1c7a10", "type": "coaching.hologram", "schemaVersion": 1,
                 "tenantId": "acme", "sessionId": "s", "seq": 1, "occurredAt": "2026-11-22T10:00:00Z", "payload": {}}""";

        assertThatThrownBy(() -> EventCodec.decode(json)).isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("coaching.hologram");
    }

    @Test
    void refusesWhatIsNotAnEvent() {
        String noTenant = """
                {"eventId": "9b2f4c5e-0d4a-4b8e-9c51-2f0e9d1c7a10", "type": "session.ended", "sessionId": "s",
                 "occurredAt": "2026-11-22T10:00:00Z", "payload": {"reason": "x"}}""";
        String noPayload = noTenant.replace("\"sessionId\"", "\"tenantId\": \"acme\", \"sessionId\"")
                .replace(", \"payload\": {\"reason\": \"x\"}", "");
        String wrongShape = noTenant.replace("\"sessionId\"", "\"tenantId\": \"acme\", \"sessionId\"")
                .replace("{\"reason\": \"x\"}", "[1, 2]");

        assertThatThrownBy(() -> EventCodec.decode("{not json")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EventCodec.decode("[1]")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EventCodec.decode((byte[]) null)).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EventCodec.decode(noTenant)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("tenantId");
        assertThatThrownBy(() -> EventCodec.decode(noPayload)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("no payload");
        assertThatThrownBy(() -> EventCodec.decode(wrongShape.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("SessionEnded");
    }

    @Test
    void anEventCarriesThePayloadItsTypeNames() {
        assertThatThrownBy(() -> new Event<>(UUID.randomUUID(), EventTypes.SESSION_ENDED, 1, "acme", "s", 1,
                EventSamples.AT, null, new SessionStarted("coach", null, null, null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindsTheTreesAPayloadCarriesAsPayloadsAreBound() {
        var card = new BattleCard("card_price", "price", null, "Price", "Reframe on value.", List.of("Ask budget"));
        var tree = (ObjectNode) EventCodec.tree(card);
        tree.put("addedByANewerToolService", true);

        assertThat(tree.has("competitor")).as("nulls left out, as in payloads").isFalse();
        assertThat(EventCodec.fromTree(tree, BattleCard.class)).isEqualTo(card);
        assertThatThrownBy(() -> EventCodec.fromTree(JsonNodeFactory.instance.arrayNode().add(1), BattleCard.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("BattleCard");
        assertThatThrownBy(() -> EventCodec.fromTree(null, BattleCard.class))
                .isInstanceOf(InvalidEventException.class);
    }
}
