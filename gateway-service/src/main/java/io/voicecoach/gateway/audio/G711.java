package io.voicecoach.gateway.audio;

/**
 * ITU-T G.711 companding: mu-law (North America, Japan; Twilio) and A-law (Europe) to and from 16-bit linear PCM.
 * Decoded values are the G.711 decoder outputs scaled to 16 bits (mu-law 14-bit x 4, A-law 13-bit x 8).
 */
public final class G711 {

    private static final short[] ULAW = new short[256];
    private static final short[] ALAW = new short[256];
    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32635;

    static {
        for (int code = 0; code < 256; code++) {
            ULAW[code] = ulawDecode(code);
            ALAW[code] = alawDecode(code);
        }
    }

    public static short ulawToLinear(byte code) {
        return ULAW[code & 0xFF];
    }

    public static short alawToLinear(byte code) {
        return ALAW[code & 0xFF];
    }

    public static short[] decodeUlaw(byte[] codes) {
        var pcm = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            pcm[i] = ULAW[codes[i] & 0xFF];
        }
        return pcm;
    }

    public static short[] decodeAlaw(byte[] codes) {
        var pcm = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            pcm[i] = ALAW[codes[i] & 0xFF];
        }
        return pcm;
    }

    /** mu-law encoding of a 16-bit sample (for telephony output and tests). */
    public static byte linearToUlaw(short sample) {
        int pcm = sample;
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        pcm = Math.min(pcm, ULAW_CLIP) + ULAW_BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    /** A-law encoding of a 16-bit sample. */
    public static byte linearToAlaw(short sample) {
        int pcm = sample >> 3;
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int segment = 0;
        int[] segmentEnds = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
        while (segment < 8 && pcm > segmentEnds[segment]) {
            segment++;
        }
        if (segment >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int value = segment << 4;
        value |= segment < 2 ? (pcm >> 1) & 0x0F : (pcm >> segment) & 0x0F;
        return (byte) (value ^ mask);
    }

    private static short ulawDecode(int code) {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + ULAW_BIAS;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? ULAW_BIAS - t : t - ULAW_BIAS);
    }

    private static short alawDecode(int code) {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        switch (segment) {
            case 0 -> t += 8;
            case 1 -> t += 0x108;
            default -> {
                t += 0x108;
                t <<= segment - 1;
            }
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }

    private G711() {
    }
}
