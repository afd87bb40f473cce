package io.voicecoach.gateway.audio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoder outputs from ITU-T G.711 tables 1a/2a (A-law 13-bit x 8, mu-law 14-bit x 4). */
class G711Test {

    @Test
    void muLawDecodesToTheItuTableValues() {
        // transmitted character -> decoder output: segment 0 runs 0..30, segment 1 starts at 33, ..., maximum 8031
        assertThat(G711.ulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0x7F)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0xFE)).isEqualTo((short) (2 * 4));
        assertThat(G711.ulawToLinear((byte) 0xF0)).isEqualTo((short) (30 * 4));
        assertThat(G711.ulawToLinear((byte) 0xEF)).isEqualTo((short) (33 * 4));
        assertThat(G711.ulawToLinear((byte) 0xE0)).isEqualTo((short) (93 * 4));
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) (8031 * 4));
        assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) (-8031 * 4));
        assertThat(G711.ulawToLinear((byte) 0x70)).isEqualTo((short) (-30 * 4));
    }

    @Test
    void aLawDecodesToTheItuTableValues() {
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) (1 * 8));
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) (-1 * 8));
        assertThat(G711.alawToLinear((byte) 0xDA)).isEqualTo((short) (31 * 8));
        assertThat(G711.alawToLinear((byte) 0xC5)).isEqualTo((short) (33 * 8));
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) (4032 * 8));
        assertThat(G711.alawToLinear((byte) 0x2A)).isEqualTo((short) (-4032 * 8));
    }

    @Test
    void decodingIsOddSymmetricAndMonotonicWithinEachSign() {
        for (int code = 0; code < 128; code++) {
            assertThat(G711.ulawToLinear((byte) (code | 0x80))).isEqualTo((short) -G711.ulawToLinear((byte) code));
            assertThat(G711.alawToLinear((byte) (code | 0x80))).isEqualTo((short) -G711.alawToLinear((byte) code));
        }
        // mu-law: characters 0x80..0xFF are positive, decreasing in magnitude as the code grows
        for (int code = 0x80; code < 0xFF; code++) {
            assertThat(G711.ulawToLinear((byte) code)).isGreaterThan(G711.ulawToLinear((byte) (code + 1)));
        }
    }

    @Test
    void encodingRoundTripsEveryCodeAndQuantisesWithinHalfAStep() {
        for (int code = 0; code < 256; code++) {
            short linear = G711.ulawToLinear((byte) code);
            if (code != 0x7F) { // negative zero encodes as positive zero
                assertThat(G711.ulawToLinear(G711.linearToUlaw(linear))).isEqualTo(linear);
            }
            short alaw = G711.alawToLinear((byte) code);
            assertThat(G711.alawToLinear(G711.linearToAlaw(alaw))).isEqualTo(alaw);
        }
        for (int sample = -32768; sample <= 32767; sample += 7) {
            int decodedU = G711.ulawToLinear(G711.linearToUlaw((short) sample));
            int decodedA = G711.alawToLinear(G711.linearToAlaw((short) sample));
            // relative error of the 8-bit companding is at most ~1/16 of the value (plus the smallest step)
            assertThat(Math.abs(decodedU - sample)).isLessThanOrEqualTo(Math.abs(sample) / 16 + 16);
            assertThat(Math.abs(decodedA - sample)).isLessThanOrEqualTo(Math.abs(sample) / 16 + 16);
        }
    }
}
