package io.voicecoach.gateway.twilio;

import io.voicecoach.events.Track;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link TwilioFrames} reads a frame's fields; {@link TwilioFrameFuzzTest} tries the rest. */
class TwilioFramesTest {

    @Test
    void identifiersThatAreNotShortStringsCountAsAbsent() {
        var start = start("\"call_id\": \"" + "c".repeat(201) + "\", \"rep_id\": 7, \"api_key\": \" \"",
                "\"callSid\": \"CA1\", \"streamSid\": \"MZ1\"");
        assertThat(start.callId()).isEqualTo("CA1");
        assertThat(start.repId()).isNull();
        assertThat(start.apiKey()).isNull();
        assertThat(start("\"call_id\": {\"a\": 1}", "\"streamSid\": \"MZ1\"").callId()).isEqualTo("MZ1");
        assertThat(start("", "\"callSid\": [\"CA1\"]").callId()).isNull();
    }

    @Test
    void theMediaFormatIsMulaw8000MonoWithIntegers() {
        assertThat(start("", "").supportedFormat()).isTrue();
        assertThat(((TwilioFrame.Start) parse("{\"event\": \"start\", \"start\": {\"mediaFormat\": {\"encoding\": "
                + "\"audio/x-mulaw\", \"sampleRate\": \"8000\"}}}")).supportedFormat()).isFalse();
        assertThat(((TwilioFrame.Start) parse("{\"event\": \"start\", \"start\": {\"mediaFormat\": {\"encoding\": "
                + "\"audio/x-mulaw\", \"sampleRate\": 8000, \"channels\": 2}}}")).supportedFormat()).isFalse();
        assertThat(((TwilioFrame.Start) parse("{\"event\": \"start\", \"start\": {\"mediaFormat\": {\"encoding\": "
                + "\"audio/x-mulaw\", \"sampleRate\": 8000.5}}}")).supportedFormat()).isFalse();
    }

    @Test
    void mediaIsDecodedOrIgnoredAndOtherFramesAreIgnoredWithAReason() {
        var media = (TwilioFrame.Media) parse("{\"event\": \"media\", \"media\": {\"track\": \"outbound\", "
                + "\"payload\": \"AAE=\"}}");
        assertThat(media.track()).isEqualTo(Track.AGENT);
        assertThat(media.payload()).containsExactly(0, 1);
        assertThat(parse("{\"event\": \"media\", \"media\": {\"payload\": 12}}"))
                .isEqualTo(new TwilioFrame.Ignored("media payload not base64"));
        assertThat(parse("[1]")).isEqualTo(new TwilioFrame.Ignored("not a JSON object"));
        assertThat(parse("{\"event\": 1}")).isEqualTo(new TwilioFrame.Ignored("no event"));
        assertThat(parse("{\"event\": \"hangup\"}")).isEqualTo(new TwilioFrame.Ignored("unknown event"));
        assertThat(parse("{\"event\": ")).isEqualTo(new TwilioFrame.Ignored("not JSON"));
        assertThat(parse("")).isEqualTo(new TwilioFrame.Ignored("not a JSON object"));
    }

    @Test
    void aMarkEchoCarriesItsNameAndTheModeParameterAsksForTheVoiceAgent() {
        assertThat(parse("{\"event\": \"mark\", \"sequenceNumber\": \"4\", \"streamSid\": \"MZ1\", "
                + "\"mark\": {\"name\": \"item_1/200\"}}")).isEqualTo(new TwilioFrame.Mark("item_1/200"));
        assertThat(parse("{\"event\": \"mark\", \"mark\": {\"name\": 3}}")).isEqualTo(new TwilioFrame.Mark(null));
        assertThat(parse("{\"event\": \"mark\"}")).isEqualTo(new TwilioFrame.Mark(null));
        var agent = start("\"mode\": \"agent\", \"voice\": \"coral\"", "\"streamSid\": \"MZ1\"");
        assertThat(agent.agent()).isTrue();
        assertThat(agent.voice()).isEqualTo("coral");
        assertThat(start("\"mode\": \"AGENT!\"", "").agent()).isFalse();
        assertThat(start("", "").agent()).isFalse();
        assertThat(start("", "").voice()).isNull();
    }

    private static TwilioFrame.Start start(String parameters, String fields) {
        return (TwilioFrame.Start) parse("{\"event\": \"start\", \"start\": {" + fields + (fields.isEmpty() ? "" : ", ")
                + "\"tracks\": [\"inbound\"], \"mediaFormat\": {\"encoding\": \"audio/x-mulaw\", \"sampleRate\": 8000, "
                + "\"channels\": 1}, \"customParameters\": {" + parameters + "}}}");
    }

    private static TwilioFrame parse(String frame) {
        return TwilioFrames.parse(frame.getBytes(StandardCharsets.UTF_8));
    }
}
