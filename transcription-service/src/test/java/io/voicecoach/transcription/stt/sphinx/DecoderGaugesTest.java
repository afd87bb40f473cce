package io.voicecoach.transcription.stt.sphinx;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.Speech;
import io.voicecoach.transcription.stt.TestSttConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder occupancy the transcription autoscaler reads ({@code voicecoach.stt.decoders.busy} out of
 * {@code voicecoach.stt.decoders.max}): a decoder process counts from its start to its recognizer's close.
 */
class DecoderGaugesTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void busyCountsTheRunningDecodersOutOfTheConfiguredMaximum() {
        Speech.assumeTools("pocketsphinx_continuous");
        var engine = new PocketsphinxEngine(TestSttConfig.of(Map.of("voicecoach.stt.pocketsphinx.max-decoders", "3")),
                meters);
        assertThat(busy()).isZero();
        assertThat(max()).isEqualTo(3);

        Recognizer first = engine.open(request("u1"));
        Recognizer second = engine.open(request("u2"));
        try {
            assertThat(busy()).isEqualTo(2);
            first.close();
            assertThat(busy()).isEqualTo(1);
            first.close();
            assertThat(busy()).as("closing twice releases once").isEqualTo(1);
        } finally {
            first.close();
            second.close();
        }
        assertThat(busy()).isZero();
        assertThat(max()).isEqualTo(3);
    }

    @Test
    void anUnavailableEngineHasNoDecoders() {
        new PocketsphinxEngine(TestSttConfig.of(Map.of("voicecoach.stt.pocketsphinx.binary", "/nonexistent/pocketsphinx",
                "voicecoach.stt.pocketsphinx.max-decoders", "3")), meters);
        assertThat(max()).isZero();
        assertThat(busy()).isZero();
    }

    private double busy() {
        return meters.get("voicecoach.stt.decoders.busy").gauge().value();
    }

    private double max() {
        return meters.get("voicecoach.stt.decoders.max").gauge().value();
    }

    private static RecognitionRequest request(String utteranceId) {
        return new RecognitionRequest("acme", "sess_gauges", "customer", utteranceId, "en-US", List.of());
    }
}
