package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import io.voicecoach.gateway.fanout.CallDirectory;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.SessionSnapshot;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class CallJoinTest {

    static final String SUGGESTION = "voicecoach.coaching.suggestion";

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    @Inject
    CallDirectory calls;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void suggestionsForTheCustomerLegReachTheRepOfTheSameCallOnly() {
        String callId = "call_" + UUID.randomUUID();
        String globex = "globex_" + UUID.randomUUID().toString().substring(0, 8);
        String globexKey = "vc_globex_" + UUID.randomUUID();
        directory.ensureTenant(globex, "Globex");
        apiKeys.register(globex, globexKey);

        try (var sessions = kafka.read(Topics.SESSIONS);
             var rep = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var customer = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var foreignRep = RealtimeClient.connect(websocket(realtime), globexKey);
             var bystander = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String repSession = rep.sessionId();
            String customerSession = customer.sessionId();
            join(rep, callId, "rep");
            join(customer, callId, "customer");
            join(foreignRep, callId, "rep");

            var started = sessions.await(r -> r.envelope() != null
                    && EventTypes.SESSION_STARTED.equals(r.envelope().type())
                    && (repSession.equals(r.key()) || customerSession.equals(r.key())), 2, WAIT);
            assertThat(started).allSatisfy(r -> assertThat(r.envelope().payloadAs(SessionStarted.class).callId())
                    .isEqualTo(callId));

            String forCustomer = "sug_customer_" + UUID.randomUUID();
            String forRep = "sug_rep_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, customerSession, forCustomer));
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, repSession, forRep));

            awaitSuggestion(rep, forCustomer);
            awaitSuggestion(rep, forRep);
            var receipt = sessions.awaitOne(r -> r.envelope() != null
                    && EventTypes.SUGGESTION_DELIVERED.equals(r.envelope().type())
                    && forCustomer.equals(r.envelope().payloadAs(SuggestionDelivered.class).suggestionId()), WAIT);
            assertThat(receipt.key()).isEqualTo(customerSession);
            assertThat(receipt.envelope().sessionId()).isEqualTo(customerSession);
            assertThat(receipt.envelope().tenantId()).isEqualTo(DEMO_TENANT);

            // a transcript of the customer leg is echoed to the customer's own session and to the rep
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, DEMO_TENANT, customerSession, 9,
                    "transcription-service", new Transcript("item_leg", "customer", "the price is too high", true,
                            0, 900, 0.8, "sphinx", Instant.now())));
            rep.awaitFrame(f -> "conversation.item.input_audio_transcription.completed".equals(f.path("type").asText())
                    && "item_leg".equals(f.path("item_id").asText()));

            // a marker delivered to the bystander proves the fan-out went past the earlier records
            String marker = "sug_marker_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, bystander.sessionId(), marker));
            awaitSuggestion(bystander, marker);
            assertThat(rep.ofType(SUGGESTION)).hasSize(2);
            assertThat(customer.ofType(SUGGESTION)).isEmpty();
            assertThat(foreignRep.ofType(SUGGESTION)).isEmpty();
            assertThat(foreignRep.frames()).noneMatch(f -> f.toString().contains("the price is too high"));
            assertThat(bystander.ofType(SUGGESTION)).hasSize(1);
        }
    }

    @Test
    void aLegHeldByAnotherInstanceIsFoundThroughItsSnapshot() {
        String callId = "call_" + UUID.randomUUID();
        String remoteSession = "sess_" + UUID.randomUUID();
        try (var sessions = kafka.read(Topics.SESSIONS);
             var records = new StateRecords();
             var rep = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            join(rep, callId, "rep");
            // what another gateway instance writes when its Twilio stream for the call starts
            var twilio = StateRecords.snapshot(DEMO_TENANT, remoteSession, "gw-other", Instant.now());
            records.snapshot(new SessionSnapshot(remoteSession, DEMO_TENANT, SessionSnapshot.TWILIO, twilio.openedAt(),
                    twilio.updatedAt(), "gw-other", 0, null, new SessionSettings(new VoiceCoachSettings("coach", callId,
                    null, Map.of(), "media"), null, null, null, null, List.of("customer")), true, null, null, 1, null,
                    null));
            await().atMost(WAIT).until(() -> !calls.recipients(DEMO_TENANT, remoteSession, false).isEmpty());
            assertThat(calls.recipients("globex", remoteSession, false)).isEmpty();

            String suggestionId = "sug_remote_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, remoteSession, suggestionId));
            awaitSuggestion(rep, suggestionId);
            var receipt = sessions.awaitOne(r -> r.envelope() != null
                    && EventTypes.SUGGESTION_DELIVERED.equals(r.envelope().type())
                    && suggestionId.equals(r.envelope().payloadAs(SuggestionDelivered.class).suggestionId()), WAIT);
            assertThat(receipt.key()).isEqualTo(remoteSession);
            assertThat(receipt.envelope().tenantId()).isEqualTo(DEMO_TENANT);

            records.send(Topics.GATEWAY_SESSIONS, remoteSession, null); // the stream ended: its tombstone
            await().atMost(WAIT).until(() -> calls.recipients(DEMO_TENANT, remoteSession, false).isEmpty());
        }
    }

    @Test
    void theRoleIsValidatedAndFixedOnceStarted() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            client.send(Map.of("event_id", "evt_r1", "type", "session.update", "session",
                    Map.of("voicecoach", Map.of("role", "manager"))));
            var error = client.awaitNth("error", 1).path("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_event");
            assertThat(error.path("param").asText()).isEqualTo("session.voicecoach.role");

            join(client, "call_" + UUID.randomUUID(), "customer");
            client.send(Map.of("event_id", "evt_r2", "type", "session.update", "session",
                    Map.of("voicecoach", Map.of("role", "rep"))));
            assertThat(client.awaitNth("error", 2).path("error").path("event_id").asText()).isEqualTo("evt_r2");
        }
    }

    static void join(RealtimeClient client, String callId, String role) {
        int before = client.ofType("session.updated").size();
        client.send(Map.of("type", "session.update", "session",
                Map.of("voicecoach", Map.of("call_id", callId, "role", role))));
        var session = client.awaitNth("session.updated", before + 1).path("session");
        assertThat(session.path("voicecoach").path("call_id").asText()).isEqualTo(callId);
        assertThat(session.path("voicecoach").path("role").asText()).isEqualTo(role);
    }

    static void awaitSuggestion(RealtimeClient client, String suggestionId) {
        client.awaitFrame(frame -> SUGGESTION.equals(frame.path("type").asText())
                && suggestionId.equals(frame.path("suggestion").path("id").asText()));
    }
}
