package io.voicecoach.gateway.realtime;

import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.session.SessionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Client frames bound to their records; a refusal carries the documented code and the JSON path as its param. */
class ClientEventBindingTest {

    @Test
    void eachTypeBindsToItsRecordAndTheBetaAliasToTheGaOne() {
        var append = (InputAudioEvent.Append) read("""
                {"type":"input_audio_buffer.append","event_id":"evt_1","audio":"AAAA",
                 "voicecoach":{"track":"agent"}}""");
        assertThat(append).isEqualTo(new InputAudioEvent.Append("evt_1", "AAAA", new TrackOption("agent")));
        assertThat(read("{\"audio\":\"AAAA\",\"type\":\"input_audio_buffer.append\"}"))
                .isEqualTo(new InputAudioEvent.Append(null, "AAAA", null));
        assertThat(read("{\"type\":\"input_audio_buffer.commit\"}")).isEqualTo(new InputAudioEvent.Commit(null, null));
        assertThat(read("{\"type\":\"input_audio_buffer.clear\",\"unknown\":{\"is\":\"ignored\"}}"))
                .isEqualTo(new InputAudioEvent.Clear(null, null));
        assertThat(read("{\"type\":\"response.create\",\"response\":{\"instructions\":\"Be brief.\"}}"))
                .isEqualTo(new ResponseEvent.Create(null, ResponseEvent.Options.withInstructions("Be brief.")));
        assertThat(read("{\"type\":\"response.cancel\",\"response_id\":\"resp_1\"}"))
                .isEqualTo(new ResponseEvent.Cancel(null, "resp_1"));
        var item = (ConversationEvent.ItemCreate) read("""
                {"type":"conversation.item.create","item":{"type":"message","role":"user",
                 "content":[{"type":"input_text","text":"Hello"},{"type":"input_text","text":"there"}]}}""");
        assertThat(item.item().text()).isEqualTo("Hello there");
        assertThat(read("{\"type\":\"session.update\",\"session\":{}}")).isInstanceOf(SessionEvent.Update.class);
        assertThat(read("{\"type\":\"transcription_session.update\",\"session\":{\"instructions\":\"Hi\"}}"))
                .isInstanceOf(SessionEvent.Update.class);
    }

    /** {@code realtime/refusals.csv}: a frame, the code it is refused with and the param that names the field. */
    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/realtime/refusals.csv", delimiter = '|', nullValues = "-", quoteCharacter = '\'')
    void refusalsNameTheBadField(String why, String frame, String code, String param) {
        var refused = catchThrowableOfType(RealtimeError.class, () -> read(frame));
        assertThat(refused).as(why).isNotNull();
        assertThat(refused.code()).as(why).isEqualTo(code);
        assertThat(refused.param()).as(why).isEqualTo(param);
        assertThat(refused.getMessage()).as(why).isNotBlank();
    }

    /** Found by {@link ClientFrameFuzzTest}: a refusal repeated a 1 MiB type, key or format back to the client whole. */
    @Test
    void aRefusalRepeatsAtMost64CharsOfWhatTheClientSent() {
        var type = catchThrowableOfType(RealtimeError.class,
                () -> read("{\"type\":\"" + "x".repeat(16_000) + "\"}"));
        assertThat(type.code()).isEqualTo(RealtimeError.UNKNOWN_EVENT_TYPE);
        assertThat(type.getMessage()).hasSizeLessThan(100).endsWith("x...");
        var key = catchThrowableOfType(RealtimeError.class, () -> read("{\"type\":\"response.create\","
                + "\"response\":{\"conversation\":\"none\",\"metadata\":{\"" + "k".repeat(5000) + "\":\"v\"}}}"));
        assertThat(key.code()).isEqualTo(RealtimeError.INVALID_EVENT);
        assertThat(key.param()).hasSizeLessThan(100).startsWith("response.metadata.kkk").endsWith("...");
        var value = catchThrowableOfType(RealtimeError.class, () -> read("{\"type\":\"session.update\","
                + "\"session\":{\"voicecoach\":{\"metadata\":{\"" + "k".repeat(5000) + "\":null}}}}"));
        assertThat(value.param()).hasSizeLessThan(100).startsWith("session.voicecoach.metadata.kkk");
        var format = catchThrowableOfType(RealtimeError.class, () -> read("{\"type\":\"session.update\","
                + "\"session\":{\"input_audio_format\":\"" + "f".repeat(70_000) + "\"}}"));
        assertThat(format.param()).isEqualTo("session.input_audio_format");
        assertThat(format.getMessage()).hasSize(RealtimeError.MAX_MESSAGE).endsWith("f...");
    }

    @Test
    void aRefusedFrameStillNamesItsEventId() {
        byte[] frame = bytes("{\"event_id\":\"evt_bad\",\"type\":\"conversation.teleport\"}");
        assertThat(RealtimeJson.clientEventId(frame)).isEqualTo("evt_bad");
        assertThat(RealtimeJson.clientEventId(bytes("{\"event_id\":7}"))).isNull();
        assertThat(RealtimeJson.clientEventId(bytes("{\"event_id\":"))).isNull();
    }

    @Test
    void jsonNullSwitchesOffWhatAbsenceKeeps() {
        var current = SessionSettings.defaults("sess_1");
        var keep = update("{\"voicecoach\":{\"phrases\":[\"Acme\"],\"metadata\":{\"crm\":\"hubspot\"}}}")
                .applyTo(current);
        assertThat(keep.turnDetection()).isEqualTo(TurnDetection.DEFAULT);
        assertThat(keep.transcription().phrases()).containsExactly("Acme");
        assertThat(keep.voicecoach().metadata()).isEqualTo(Map.of("crm", "hubspot"));

        var unchanged = update("{\"instructions\":\"Be brief.\"}").applyTo(keep);
        assertThat(unchanged.transcription().phrases()).containsExactly("Acme");
        assertThat(unchanged.voicecoach().metadata()).isEqualTo(Map.of("crm", "hubspot"));
        assertThat(unchanged.instructions()).isEqualTo("Be brief.");

        var cleared = update("{\"turn_detection\":null,\"instructions\":null,"
                + "\"voicecoach\":{\"phrases\":null,\"metadata\":null}}").applyTo(unchanged);
        assertThat(cleared.turnDetection()).isNull();
        assertThat(cleared.transcription().phrases()).isEmpty();
        assertThat(cleared.voicecoach().metadata()).isEmpty();
        assertThat(cleared.instructions()).isNull();
    }

    @Test
    void gaNamesWinOverBetaOnesAndTheVoiceCoachRateAppliesToPcm() {
        var current = SessionSettings.defaults("sess_1");
        var both = update("""
                {"input_audio_format":"g711_ulaw","audio":{"input":{"format":{"type":"audio/pcm"},
                 "turn_detection":{"type":"server_vad","silence_duration_ms":800},
                 "transcription":{"model":"whisper-1"}}},
                 "turn_detection":null,"input_audio_transcription":null,"voicecoach":{"input_audio_rate":16000}}""")
                .applyTo(current);
        assertThat(both.inputFormat()).isEqualTo(new InputAudioFormat(InputAudioFormat.PCM, 16000));
        assertThat(both.turnDetection()).isEqualTo(new TurnDetection(0.5, 300, 800));
        assertThat(both.transcription().engine()).isEqualTo("openai");

        var beta = update("{\"input_audio_format\":\"g711_alaw\"}").applyTo(current);
        assertThat(beta.inputFormat()).isEqualTo(new InputAudioFormat(InputAudioFormat.PCMA, 8000));
        var refused = catchThrowableOfType(RealtimeError.class,
                () -> update("{\"voicecoach\":{\"input_audio_rate\":16000}}").applyTo(beta));
        assertThat(refused.param()).isEqualTo("session.voicecoach.input_audio_rate");
        assertThat(update("{\"turn_detection\":{\"type\":\"semantic_vad\",\"threshold\":0.9}}").applyTo(current)
                .turnDetection()).isEqualTo(TurnDetection.DEFAULT);
    }

    @Test
    void theRealtimeFieldsAreKeptInTheOrderSentButTheGatewaysOwn() {
        var settings = update("""
                {"id":"sess_forged","tools":[],"instructions":"Hi","voicecoach":{"rep_id":"rep_1"},
                 "model":"gpt-realtime"}""")
                .applyTo(SessionSettings.defaults("sess_1"));
        assertThat(settings.realtime().properties().stream().map(Map.Entry::getKey).toList())
                .containsExactly("tools", "instructions", "model");
        assertThat(settings.voicecoach().repId()).isEqualTo("rep_1");
    }

    private static SessionPatch update(String session) {
        return ((SessionEvent.Update) read("{\"type\":\"session.update\",\"session\":" + session + "}")).session();
    }

    private static ClientEvent read(String frame) {
        return RealtimeJson.read(bytes(frame));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
