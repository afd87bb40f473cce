package io.voicecoach.transcription.tts;

import java.util.ArrayList;
import java.util.List;

/** PCM16 little-endian mono helpers for the speech stage. */
final class Pcm {

    /**
     * Linear interpolation to {@code rate}; speech upsampled from espeak-ng's 22050 Hz needs nothing finer. Going down
     * (to 8 kHz for G.711 sessions) a moving average over {@code from / rate} samples first keeps most of what lies
     * above the new Nyquist frequency from folding back.
     */
    static byte[] resample(byte[] pcm, int from, int rate) {
        int samples = pcm.length / 2;
        if (from == rate || samples == 0) {
            return pcm;
        }
        if (rate < from) {
            pcm = smoothed(pcm, (int) Math.ceil((double) from / rate));
        }
        int out = (int) ((long) samples * rate / from);
        var result = new byte[out * 2];
        for (int i = 0; i < out; i++) {
            double position = (double) i * from / rate;
            int left = (int) position;
            int right = Math.min(left + 1, samples - 1);
            double fraction = position - left;
            int value = (int) Math.round(sample(pcm, left) * (1 - fraction) + sample(pcm, right) * fraction);
            result[2 * i] = (byte) value;
            result[2 * i + 1] = (byte) (value >> 8);
        }
        return result;
    }

    /** Consecutive pieces of {@code frameBytes} (the last one maybe shorter). */
    static List<byte[]> frames(byte[] pcm, int frameBytes) {
        var frames = new ArrayList<byte[]>();
        for (int at = 0; at < pcm.length; at += frameBytes) {
            int length = Math.min(frameBytes, pcm.length - at);
            var frame = new byte[length];
            System.arraycopy(pcm, at, frame, 0, length);
            frames.add(frame);
        }
        return frames;
    }

    private static byte[] smoothed(byte[] pcm, int width) {
        int samples = pcm.length / 2;
        var result = new byte[samples * 2];
        long sum = 0;
        for (int i = 0; i < samples; i++) {
            sum += sample(pcm, i);
            if (i >= width) {
                sum -= sample(pcm, i - width);
            }
            int value = (int) (sum / Math.min(i + 1, width));
            result[2 * i] = (byte) value;
            result[2 * i + 1] = (byte) (value >> 8);
        }
        return result;
    }

    static long millis(int bytes, int rate) {
        return bytes / 2 * 1000L / rate;
    }

    private static int sample(byte[] pcm, int index) {
        return (short) ((pcm[2 * index] & 0xff) | (pcm[2 * index + 1] << 8));
    }

    private Pcm() {
    }
}
