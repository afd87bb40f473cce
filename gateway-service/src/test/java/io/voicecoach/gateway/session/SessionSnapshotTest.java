package io.voicecoach.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.realtime.ServerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gateway.sessions} keeps its format across the split of the session into settings, connection, publication
 * and conversation, and across the fields added since (session type, barge-in, out-of-band coaching, the
 * conversation's items): instances of either version read each other's snapshots during a rolling upgrade.
 */
class SessionSnapshotTest {

    /** Written by the gateway before the split (its updatedAt blanked). */
    private static final String BEFORE_THE_SPLIT =
            "{\"sessionId\":\"sess_1\",\"tenantId\":\"demo\",\"transport\":\"realtime\","
            + "\"openedAt\":\"2026-12-06T10:00:00Z\",\"updatedAt\":\"*\",\"holder\":\"gw-1\",\"epoch\":0,"
            + "\"detachedAt\":null,\"settings\":{\"mode\":\"agent\",\"callId\":\"call_9\",\"repId\":\"rep_7\","
            + "\"metadata\":{\"crm\":\"hubspot\"},\"role\":\"rep\"},\"realtime\":{\"instructions\":\"Be brief.\","
            + "\"tools\":[{\"type\":\"function\",\"name\":\"lookup\"}],"
            + "\"audio\":{\"output\":{\"voice\":\"alloy\"},\"input\":{\"noise_reduction\":null}},"
            + "\"input_audio_format\":\"g711_ulaw\",\"turn_detection\":null,"
            + "\"input_audio_transcription\":{\"model\":\"whisper-1\"}},\"inputFormat\":{\"type\":\"audio/pcmu\","
            + "\"rate\":8000},\"turnDetection\":null,\"transcription\":{\"model\":\"whisper-1\","
            + "\"language\":\"en\",\"prompt\":null,\"phrases\":[\"Acme\",\"Globex\"]},\"tracks\":[\"agent\","
            + "\"customer\"],\"started\":false,\"announced\":{\"mode\":null,\"transcriptionEngine\":null,"
            + "\"language\":null,\"phrases\":[],\"instructions\":null,\"metadata\":{}},\"lastItemId\":\"item_9\","
            + "\"seq\":2,\"cursor\":null,\"trackPositionsMs\":{}}";

    /** Fields written since the split; an older instance ignores them. */
    private static final List<String> ADDED = List.of("sessionType", "interruptResponse", "coachingResponses",
            "items", "opener");

    @Test
    void aSessionIsSnapshotInTheFormatItHadBeforeTheSplitPlusTheNewFields() throws Exception {
        var session = new RealtimeSession("sess_1", "demo", Instant.parse("2026-12-06T10:00:00Z"),
                ClosedChannel.INSTANCE, 16, settings());
        session.conversation().append(ServerEvent.Item.userAudio("item_9"));
        session.publication().nextSeq();
        session.publication().nextSeq();

        var json = new ObjectMapper();
        var written = (ObjectNode) json.readTree(withoutUpdatedAt(session.snapshot("gw-1").json()));
        assertThat(written.path("sessionType").asText()).isEqualTo("realtime");
        assertThat(written.path("interruptResponse").asBoolean()).isTrue();
        assertThat(written.path("coachingResponses").isNull()).isTrue();
        assertThat(written.path("items")).hasSize(1);
        assertThat(written.path("items").get(0).path("id").asText()).isEqualTo("item_9");
        written.remove(ADDED);
        assertThat(written.path("announced").has("output")).as("the speech output announced (null here)").isTrue();
        ((ObjectNode) written.path("announced")).remove(List.of("tools", "toolChoice", "output"));
        assertThat(written).isEqualTo(json.readTree(BEFORE_THE_SPLIT));
    }

    @Test
    void theConversationSurvivesASnapshot() {
        var session = new RealtimeSession("sess_1", "demo", Instant.parse("2026-12-06T10:00:00Z"),
                ClosedChannel.INSTANCE, 16, settings());
        session.conversation().append(ServerEvent.Item.message("item_1", "user", "completed",
                List.of(new ServerEvent.InputText("the price is too high")), ServerEvent.ItemNotes.track("customer")));
        session.conversation().append(ServerEvent.Item.message("item_2", "assistant", "completed",
                List.of(new ServerEvent.OutputText("It includes delivery.")), new ServerEvent.ItemNotes(null, 700L)));
        session.conversation().append(ServerEvent.Item.functionCallOutput("item_3", "call_1", "{\"ok\":true}"));

        var restored = RealtimeSession.restore(SessionSnapshot.parse(session.snapshot("gw-1").json()),
                ClosedChannel.INSTANCE, 16);
        assertThat(restored.conversation().items()).isEqualTo(session.conversation().items());
        assertThat(restored.conversation().previousOf("item_3")).contains("item_2");
    }

    @Test
    void theOpenerSurvivesASnapshotAndNoSecretIsInIt() {
        var session = new RealtimeSession("sess_1", "demo", Instant.parse("2026-12-06T10:00:00Z"),
                ClosedChannel.INSTANCE, 16, settings());
        var opener = new SessionOpener(SessionOpener.CLIENT_SECRET, "cs_42", "call_9", "rep");
        session.openedBy(opener);

        String json = session.snapshot("gw-1").json();
        assertThat(json).contains("\"opener\":{\"kind\":\"client_secret\",\"credentialId\":\"cs_42\","
                + "\"callId\":\"call_9\",\"role\":\"rep\"}");
        assertThat(RealtimeSession.restore(SessionSnapshot.parse(json), ClosedChannel.INSTANCE, 16).opener())
                .isEqualTo(opener);
        assertThat(SessionSnapshot.parse(BEFORE_THE_SPLIT.replace("\"*\"", "\"2026-12-06T10:00:05Z\"")).opener())
                .as("older gateways wrote none").isNull();
    }

    @Test
    void anOldSnapshotIsRestoredWithEverythingItCarries() {
        var snapshot = SessionSnapshot.parse(BEFORE_THE_SPLIT.replace("\"*\"", "\"2026-12-06T10:00:05Z\""));
        assertThat(snapshot.configured()).isEqualTo(settings());
        assertThat(snapshot.seq()).isEqualTo(2);
        assertThat(snapshot.lastItemId()).isEqualTo("item_9");
        assertThat(snapshot.configured().turnDetection()).isNull();

        var restored = RealtimeSession.restore(snapshot, ClosedChannel.INSTANCE, 16);
        assertThat(restored.settings()).isEqualTo(settings());
        assertThat(restored.settings().instructions()).isEqualTo("Be brief.");
        assertThat(restored.client().epoch()).isEqualTo(1);
        assertThat(restored.client().detachedAt()).isNotNull();
        assertThat(restored.publication().nextSeq()).isEqualTo(3);
        assertThat(restored.conversation().append(ServerEvent.Item.userAudio("item_10"))).isEqualTo("item_9");
        assertThat(restored.publication().startRequested()).isFalse();
    }

    private static SessionSettings settings() {
        try {
            var realtime = (ObjectNode) new ObjectMapper().readTree("{\"instructions\":\"Be brief.\","
                    + "\"tools\":[{\"type\":\"function\",\"name\":\"lookup\"}],"
                    + "\"audio\":{\"output\":{\"voice\":\"alloy\"},\"input\":{\"noise_reduction\":null}},"
                    + "\"input_audio_format\":\"g711_ulaw\",\"turn_detection\":null,"
                    + "\"input_audio_transcription\":{\"model\":\"whisper-1\"}}");
            return new SessionSettings(new VoiceCoachSettings("agent", "call_9", "rep_7", Map.of("crm", "hubspot"),
                    "rep"), realtime, InputAudioFormat.MULAW_8K, null,
                    new TranscriptionOptions("whisper-1", "en", null, List.of("Acme", "Globex")), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withoutUpdatedAt(String json) {
        return json.replaceAll("\"updatedAt\":\"[^\"]+\"", "\"updatedAt\":\"*\"");
    }
}
