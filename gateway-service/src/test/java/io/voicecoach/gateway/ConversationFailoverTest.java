package io.voicecoach.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.voicecoach.gateway.RealtimeClient.JSON;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session's conversation lives in its snapshot on {@code gateway.sessions}, so another instance knows its items.
 * The client builds a conversation here and drops; another instance ({@code gw-other}, which the test plays with the
 * snapshot this instance wrote, one epoch up and one item longer) takes the session over and dies. This instance
 * lets its own copy go on seeing the newer epoch, and the client resumes here: every item is retrieved from
 * {@code gw-other}'s snapshot (the one this instance never saw included), the deleted one stays deleted, the
 * truncation is kept and the {@code previous_item_id} chain continues after the last item.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class ConversationFailoverTest {

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    SessionRegistry registry;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final StateRecords records = new StateRecords();

    @AfterEach
    void close() {
        kafka.close();
        records.close();
    }

    @Test
    void itemsOfASessionSurviveItsMoveToAnotherInstance() throws Exception {
        String sessionId;
        JsonNode written;
        try (var snapshots = kafka.read(Topics.GATEWAY_SESSIONS)) {
            var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
            sessionId = client.sessionId();
            client.send(textItem("evt_1", "item_a", "Can I move my appointment?", "customer"));
            client.send(Map.of("type", "conversation.item.create", "item", Map.of("id", "item_b", "type", "message",
                    "role", "assistant", "content", List.of(Map.of("type", "output_text",
                            "text", "Sure, which day suits you?")))));
            client.send(Map.of("type", "conversation.item.create", "item", Map.of("id", "item_c",
                    "type", "function_call_output", "call_id", "call_1", "output", "{\"slots\":[]}")));
            client.awaitFrame(f -> "conversation.item.done".equals(f.path("type").asText())
                    && "item_c".equals(f.path("item").path("id").asText()));
            client.send(Map.of("type", "conversation.item.truncate", "item_id", "item_b", "content_index", 0,
                    "audio_end_ms", 900));
            client.awaitType("conversation.item.truncated");
            client.send(Map.of("type", "conversation.item.delete", "item_id", "item_c"));
            client.awaitType("conversation.item.deleted");
            client.abort();

            String id = sessionId;
            written = JSON.readTree(snapshots.awaitOne(r -> id.equals(r.key()) && r.value() != null
                    && detached(r.valueAsString()), WAIT).valueAsString());
        }
        assertThat(written.path("items")).extracting(item -> item.path("id").asText())
                .containsExactly("item_a", "item_b");
        assertThat(written.path("items").get(1).path("voicecoach").path("audioEndMs").asLong()).isEqualTo(900);

        // gw-other resumed the session (epoch + 1), added an item, and died without a trace but its snapshot
        var other = (ObjectNode) written.deepCopy();
        other.put("holder", "gw-other").put("epoch", written.path("epoch").asInt() + 1)
                .put("detachedAt", Instant.now().toString()).put("lastItemId", "item_z");
        ((ArrayNode) other.path("items")).addObject().put("id", "item_z").put("object", "realtime.item")
                .put("type", "message").put("role", "user").put("status", "completed")
                .putArray("content").addObject().put("type", "input_text").put("text", "Thursday, please.");
        records.send(Topics.GATEWAY_SESSIONS, sessionId, JSON.writeValueAsString(other));
        String id = sessionId;
        await().atMost(WAIT).until(() -> registry.find(id).isEmpty());

        try (var resumed = RealtimeClient.connect(URI.create(websocket(realtime) + "?session_id=" + sessionId),
                DEMO_KEY)) {
            assertThat(resumed.sessionId()).isEqualTo(sessionId);
            for (String item : List.of("item_a", "item_b", "item_z", "item_c")) {
                resumed.send(Map.of("type", "conversation.item.retrieve", "event_id", "evt_" + item, "item_id", item));
            }
            await().atMost(WAIT).until(() -> resumed.ofType("conversation.item.retrieved").size() == 3
                    && !resumed.ofType("error").isEmpty());
            var retrieved = resumed.ofType("conversation.item.retrieved").stream().map(f -> f.path("item")).toList();
            assertThat(retrieved).extracting(item -> item.path("id").asText())
                    .containsExactly("item_a", "item_b", "item_z");
            assertThat(retrieved.get(0).path("content").get(0).path("text").asText())
                    .isEqualTo("Can I move my appointment?");
            assertThat(retrieved.get(1).path("voicecoach").path("audio_end_ms").asLong()).isEqualTo(900);
            assertThat(retrieved.get(2).path("content").get(0).path("text").asText()).isEqualTo("Thursday, please.");
            var missing = resumed.ofType("error").getFirst().path("error");
            assertThat(missing.path("code").asText()).isEqualTo("item_not_found");
            assertThat(missing.path("event_id").asText()).isEqualTo("evt_item_c");

            resumed.send(textItem("evt_2", "item_d", "In the morning.", "customer"));
            var added = resumed.awaitFrame(f -> "conversation.item.added".equals(f.path("type").asText())
                    && "item_d".equals(f.path("item").path("id").asText()));
            assertThat(added.path("previous_item_id").asText()).isEqualTo("item_z");
        }
    }

    private static boolean detached(String snapshot) {
        try {
            return !JSON.readTree(snapshot).path("detachedAt").isNull();
        } catch (Exception e) {
            return false;
        }
    }
}
