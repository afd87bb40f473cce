package io.voicecoach.gateway.audio;

import org.junit.jupiter.api.Test;

import static io.voicecoach.gateway.audio.Signals.db;
import static io.voicecoach.gateway.audio.Signals.goertzel;
import static io.voicecoach.gateway.audio.Signals.sine;
import static io.voicecoach.gateway.audio.Signals.zeroCrossingFrequency;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tolerances: a 1 kHz tone keeps its frequency within 0.5 Hz and its level within 0.1 dB; out-of-band tones (10 kHz
 * at 24 kHz input, folding to 6 kHz; the 7 kHz image of 8 kHz input) are at least 60 dB down.
 */
class ResamplerTest {

    private static final int OUT = 16000;

    @Test
    void from24kHzA1kHzToneKeepsItsFrequencyAndLevel() {
        var output = new Resampler(24000, OUT).process(sine(1000, 0.5, 24000, 24000));

        assertThat(output).hasSize(16000);
        int from = 800;
        int to = 16000 - 800;
        assertThat(zeroCrossingFrequency(output, from, to, OUT)).isCloseTo(1000, within(0.5));
        assertThat(db(goertzel(output, from, to, 1000, OUT) / 0.5)).isCloseTo(0, within(0.1));
    }

    @Test
    void from24kHzA10kHzToneDoesNotAliasInto6kHz() {
        var output = new Resampler(24000, OUT).process(sine(10000, 0.5, 24000, 24000));

        double alias = goertzel(output, 800, 15200, 6000, OUT);
        assertThat(db(alias / 0.5)).isLessThan(-60);
        assertThat(db(Signals.rms(output, 800, 15200) / 32768 / (0.5 / Math.sqrt(2)))).isLessThan(-60);
    }

    @Test
    void from8kHzA1kHzToneKeepsItsLevelAndLeavesNoImage() {
        var output = new Resampler(8000, OUT).process(sine(1000, 0.5, 8000, 8000));

        assertThat(output).hasSize(16000);
        assertThat(zeroCrossingFrequency(output, 800, 15200, OUT)).isCloseTo(1000, within(0.5));
        assertThat(db(goertzel(output, 800, 15200, 1000, OUT) / 0.5)).isCloseTo(0, within(0.1));
        assertThat(db(goertzel(output, 800, 15200, 7000, OUT) / 0.5)).isLessThan(-60);
    }

    @Test
    void streamingInOddSizedPiecesEqualsOneCall() {
        var input = sine(440, 0.3, 24000, 24000);
        var whole = new Resampler(24000, OUT).process(input);

        var streaming = new Resampler(24000, OUT);
        var pieces = new java.io.ByteArrayOutputStream();
        int at = 0;
        int[] sizes = {1, 7, 480, 13, 2, 960, 331};
        for (int i = 0; at < input.length; i++) {
            int size = Math.min(sizes[i % sizes.length], input.length - at);
            for (short s : streaming.process(java.util.Arrays.copyOfRange(input, at, at + size))) {
                pieces.write(s & 0xFF);
                pieces.write(s >> 8);
            }
            at += size;
        }
        var joined = new short[pieces.size() / 2];
        var bytes = pieces.toByteArray();
        for (int i = 0; i < joined.length; i++) {
            joined[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
        }
        assertThat(joined).isEqualTo(whole);
    }

    @Test
    void sixteenKilohertzPassesThroughUnchanged() {
        var input = sine(1000, 0.5, OUT, 1600);
        assertThat(new Resampler(OUT, OUT).process(input)).isEqualTo(input);
    }
}
