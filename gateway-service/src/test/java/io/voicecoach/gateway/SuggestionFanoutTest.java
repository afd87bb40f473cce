package io.voicecoach.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.battleCard;
import static io.voicecoach.gateway.TestEvents.checklist;
import static io.voicecoach.gateway.TestEvents.citedSuggestion;
import static io.voicecoach.gateway.TestEvents.stageChanged;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.withoutCard;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class SuggestionFanoutTest {

    private static final String SUGGESTION = "voicecoach.coaching.suggestion";
    private static final String BATTLE_CARD = "voicecoach.coaching.battle_card";
    private static final String STAGE_CHANGED = "voicecoach.stage.changed";
    private static final String CHECKLIST = "voicecoach.compliance.checklist";

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void deliversASuggestionOnceAndRecordsTheDelivery() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var envelope = suggestion(DEMO_TENANT, sessionId, "sug_" + UUID.randomUUID());
            var sent = envelope.payloadAs(Suggestion.class);

            kafka.send(Topics.SUGGESTIONS, envelope);
            kafka.send(Topics.SUGGESTIONS, envelope);
            String marker = "sug_marker_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, marker));
            awaitSuggestion(client, marker);

            assertThat(suggestionsWithId(client, sent.suggestionId())).hasSize(1);
            var frame = suggestionsWithId(client, sent.suggestionId()).getFirst();
            assertThat(frame.path("event_id").asText()).startsWith("evt_");
            var body = frame.path("suggestion");
            assertThat(body.path("item_id").asText()).isEqualTo(sent.utteranceId());
            assertThat(body.path("kind").asText()).isEqualTo("objection");
            assertThat(body.path("category").asText()).isEqualTo("price");
            assertThat(body.path("title").asText()).isEqualTo(sent.title());
            assertThat(body.path("message").asText()).isEqualTo(sent.message());
            assertThat(body.path("confidence").asDouble()).isEqualTo(0.92);
            assertThat(body.path("source").asText()).isEqualTo("rules");
            assertThat(body.path("priority").asInt()).isEqualTo(1);
            assertThat(body.path("card").path("talking_points")).hasSize(2);
            assertThat(body.path("timings").path("suggested_at").asText()).isEqualTo(envelope.occurredAt().toString());
            assertThat(body.path("timings").path("transcript_at").asText()).isEqualTo(sent.transcriptAt().toString());
            assertThat(body.path("timings").path("received_at").asText()).isEqualTo(sent.receivedAt().toString());

            var receipts = sessions.await(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SUGGESTION_DELIVERED.equals(r.envelope().type()), 2, WAIT);
            assertThat(receipts).allSatisfy(r -> assertThat(r.envelope().tenantId()).isEqualTo(DEMO_TENANT));
            var delivered = receipts.stream().map(r -> r.envelope().payloadAs(SuggestionDelivered.class))
                    .filter(d -> d.suggestionId().equals(sent.suggestionId())).toList();
            assertThat(delivered).hasSize(1);
            assertThat(delivered.getFirst().utteranceId()).isEqualTo(sent.utteranceId());
            assertThat(delivered.getFirst().suggestedAt()).isEqualTo(envelope.occurredAt());
            assertThat(delivered.getFirst().deliveredAt()).isAfterOrEqualTo(envelope.occurredAt());
        }
    }

    @Test
    void aBattleCardFollowsItsSuggestionOnceWithoutAReceipt() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var full = suggestion(DEMO_TENANT, sessionId, "sug_" + UUID.randomUUID());
            var sent = full.payloadAs(Suggestion.class);
            var neverShown = suggestion(DEMO_TENANT, sessionId, "sug_never_shown_" + UUID.randomUUID());

            kafka.send(Topics.SUGGESTIONS, withoutCard(full));
            var card = battleCard(DEMO_TENANT, sessionId, full);
            kafka.send(Topics.SUGGESTIONS, card);
            kafka.send(Topics.SUGGESTIONS, card);
            kafka.send(Topics.SUGGESTIONS, battleCard("globex", sessionId, full));
            kafka.send(Topics.SUGGESTIONS, battleCard(DEMO_TENANT, sessionId, neverShown));
            String marker = "sug_marker_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, marker));
            awaitSuggestion(client, marker);

            assertThat(suggestionsWithId(client, sent.suggestionId()).getFirst().path("suggestion").has("card"))
                    .isFalse();
            var cards = client.ofType(BATTLE_CARD);
            assertThat(cards).hasSize(1);
            var frame = cards.getFirst();
            assertThat(frame.path("event_id").asText()).startsWith("evt_");
            assertThat(frame.path("suggestion_id").asText()).isEqualTo(sent.suggestionId());
            assertThat(frame.path("item_id").asText()).isEqualTo(sent.utteranceId());
            assertThat(frame.path("card").path("id").asText()).isEqualTo(sent.card().id());
            assertThat(frame.path("card").path("title").asText()).isEqualTo(sent.card().title());
            assertThat(frame.path("card").path("body").asText()).isEqualTo(sent.card().body());
            assertThat(frame.path("card").path("talking_points")).hasSize(2);
            var types = client.frames().stream().map(f -> f.path("type").asText())
                    .filter(t -> t.equals(SUGGESTION) || t.equals(BATTLE_CARD)).toList();
            assertThat(types).containsExactly(SUGGESTION, BATTLE_CARD, SUGGESTION);

            var receipts = sessions.await(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SUGGESTION_DELIVERED.equals(r.envelope().type()), 2, WAIT);
            assertThat(receipts).extracting(r -> r.envelope().payloadAs(SuggestionDelivered.class).suggestionId())
                    .containsExactly(sent.suggestionId(), marker);
        }
    }

    @Test
    void aSuggestionClaimingAnotherTenantIsNotDelivered() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            String foreign = "sug_foreign_" + UUID.randomUUID();

            kafka.send(Topics.SUGGESTIONS, suggestion("globex", sessionId, foreign));
            kafka.sendRaw(Topics.SUGGESTIONS, sessionId, "{not an envelope");
            // a type of a newer coaching-service: skipped like a type the gateway does not forward
            kafka.sendRaw(Topics.SUGGESTIONS, sessionId, EventJson.encode(suggestion(DEMO_TENANT,
                    sessionId, "sug_of_a_newer_type")).replace(EventTypes.SUGGESTION, "coaching.suggestion_v2"));
            String marker = "sug_marker_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, marker));
            awaitSuggestion(client, marker);

            assertThat(suggestionsWithId(client, foreign)).isEmpty();
            assertThat(suggestionsWithId(client, "sug_of_a_newer_type")).isEmpty();
        }
    }

    @Test
    void anotherTenantsConnectionNeverReceivesDemoSuggestions() {
        String acme = "acme_" + UUID.randomUUID().toString().substring(0, 8);
        String acmeKey = "vc_acme_" + UUID.randomUUID();
        directory.ensureTenant(acme, "Acme Motors");
        apiKeys.register(acme, acmeKey);

        try (var demoClient = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var acmeClient = RealtimeClient.connect(websocket(realtime), acmeKey)) {
            String demoSession = demoClient.sessionId();
            String acmeSession = acmeClient.sessionId();
            String demoForDemo = "sug_demo_" + UUID.randomUUID();
            String demoForAcme = "sug_demo_at_acme_" + UUID.randomUUID();
            String acmeForAcme = "sug_acme_" + UUID.randomUUID();

            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, acmeSession, demoForAcme));
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, demoSession, demoForDemo));
            kafka.send(Topics.SUGGESTIONS, suggestion(acme, acmeSession, acmeForAcme));

            awaitSuggestion(demoClient, demoForDemo);
            awaitSuggestion(acmeClient, acmeForAcme);
            assertThat(acmeClient.ofType(SUGGESTION)).extracting(f -> f.path("suggestion").path("id").asText())
                    .containsExactly(acmeForAcme);
            assertThat(demoClient.ofType(SUGGESTION)).extracting(f -> f.path("suggestion").path("id").asText())
                    .containsExactly(demoForDemo);
        }
    }

    @Test
    void citationsTravelOnTheSuggestionAndStageChangesReachTheRepOnce() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            String cited = "sug_cited_" + UUID.randomUUID();
            String plain = "sug_plain_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, citedSuggestion(DEMO_TENANT, sessionId, cited));
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, plain));
            var problem = stageChanged(DEMO_TENANT, sessionId, "problem", "situation", 4200);
            kafka.send(Topics.SUGGESTIONS, problem);
            kafka.send(Topics.SUGGESTIONS, problem);
            kafka.send(Topics.SUGGESTIONS, stageChanged("globex", sessionId, "hijacked", "problem", 4300));
            kafka.send(Topics.SUGGESTIONS, stageChanged(DEMO_TENANT, sessionId, " ", "problem", 4400));
            kafka.send(Topics.SUGGESTIONS, stageChanged(DEMO_TENANT, sessionId, "implication", "problem", 9000));
            String marker = "sug_marker_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, marker));
            awaitSuggestion(client, marker);

            var citations = suggestionsWithId(client, cited).getFirst().path("suggestion").path("citations");
            assertThat(citations).hasSize(2);
            assertThat(citations.get(0).path("document_id").asText()).isEqualTo("doc_pricing");
            assertThat(citations.get(0).path("document_title").asText()).isEqualTo("Pricing FAQ");
            assertThat(citations.get(0).path("chunk_index").asInt()).isEqualTo(3);
            assertThat(citations.get(0).path("excerpt").asText()).isEqualTo("Annual plans save 20% over monthly.");
            assertThat(citations.get(0).path("score").asDouble()).isEqualTo(0.82);
            assertThat(citations.get(1).path("document_id").asText()).isEqualTo("doc_onboarding");
            var none = suggestionsWithId(client, plain).getFirst().path("suggestion").path("citations");
            assertThat(none.isArray()).isTrue();
            assertThat(none).isEmpty();

            var stages = client.ofType(STAGE_CHANGED);
            assertThat(stages).extracting(f -> f.path("stage").asText()).containsExactly("problem", "implication");
            var first = stages.getFirst();
            assertThat(first.path("event_id").asText()).startsWith("evt_");
            assertThat(first.path("methodology").asText()).isEqualTo("spin");
            assertThat(first.path("previous_stage").asText()).isEqualTo("situation");
            assertThat(first.path("item_id").asText()).startsWith("item_");
            assertThat(first.path("at_ms").asLong()).isEqualTo(4200);
            var types = client.frames().stream().map(f -> f.path("type").asText())
                    .filter(t -> t.equals(SUGGESTION) || t.equals(STAGE_CHANGED)).toList();
            assertThat(types).containsExactly(SUGGESTION, SUGGESTION, STAGE_CHANGED, STAGE_CHANGED, SUGGESTION);
        }
    }

    @Test
    void theComplianceChecklistReachesTheRepOncePerEventAndOnlyWithinItsTenant() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var pending = checklist(DEMO_TENANT, sessionId, "pending", false);
            kafka.send(Topics.SUGGESTIONS, pending);
            kafka.send(Topics.SUGGESTIONS, pending);
            kafka.send(Topics.SUGGESTIONS, checklist("globex", sessionId, "missed", true));
            kafka.send(Topics.SUGGESTIONS, checklist(DEMO_TENANT, sessionId, "said", true));
            String marker = "sug_marker_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, marker));
            awaitSuggestion(client, marker);

            var checklists = client.ofType(CHECKLIST);
            assertThat(checklists).extracting(f -> f.path("items").get(0).path("status").asText())
                    .containsExactly("pending", "said");
            var last = checklists.getLast();
            assertThat(last.path("event_id").asText()).startsWith("evt_");
            assertThat(last.path("closed").asBoolean()).isTrue();
            var notice = last.path("items").get(0);
            assertThat(notice.path("rule_id").asText()).isEqualTo("recording_notice");
            assertThat(notice.path("kind").asText()).isEqualTo("must_say");
            assertThat(notice.path("message").asText()).isEqualTo("Tell the customer the call is recorded.");
            assertThat(notice.path("within_ms").asLong()).isEqualTo(60_000);
            assertThat(notice.path("item_id").asText()).isEqualTo("item_said");
            var never = last.path("items").get(1);
            assertThat(never.path("kind").asText()).isEqualTo("must_not_say");
            assertThat(never.path("status").asText()).isEqualTo("kept");
            assertThat(never.path("item_id").isNull()).isTrue();
        }
    }

    private static void awaitSuggestion(RealtimeClient client, String suggestionId) {
        client.awaitFrame(frame -> SUGGESTION.equals(frame.path("type").asText())
                && suggestionId.equals(frame.path("suggestion").path("id").asText()));
    }

    private static List<JsonNode> suggestionsWithId(RealtimeClient client, String suggestionId) {
        return client.ofType(SUGGESTION).stream()
                .filter(frame -> suggestionId.equals(frame.path("suggestion").path("id").asText())).toList();
    }
}
