package io.voicecoach.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Ready-to-send {@code input_audio_buffer.append} frames of {@link #FRAME_MS} ms of PCM16 24 kHz, naming the track.
 * Built once per turn and shared by every call: sending a frame costs no encoding.
 */
public final class AppendFrames {

    public static final int FRAME_MS = 100;
    public static final int FRAME_BYTES = SpeechCache.RATE * FRAME_MS / 1000 * 2;

    /** {@code pcm} cut into frames; the last one is padded with silence. */
    public static List<String> of(byte[] pcm, String track) {
        var frames = new ArrayList<String>();
        for (int at = 0; at < pcm.length; at += FRAME_BYTES) {
            frames.add(frame(Arrays.copyOfRange(pcm, at, at + FRAME_BYTES), track));
        }
        return List.copyOf(frames);
    }

    /** One frame of silence. */
    public static String silence(String track) {
        return frame(new byte[FRAME_BYTES], track);
    }

    private static String frame(byte[] pcm, String track) {
        return "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(pcm)
                + "\",\"voicecoach\":{\"track\":\"" + track + "\"}}";
    }

    /**
     * Where the speech is in PCM16 samples: the first sample of the first 20 ms frame at or above -50 dBFS and the end
     * of the last such frame, or {@code {-1, -1}} for silence.
     */
    public static int[] speechExtent(short[] samples, int rate) {
        int frame = rate / 50;
        int first = -1;
        int last = -1;
        for (int at = 0; at + frame <= samples.length; at += frame) {
            double energy = 0;
            for (int i = at; i < at + frame; i++) {
                energy += (double) samples[i] * samples[i];
            }
            double dbfs = 20 * Math.log10(Math.max(1e-9, Math.sqrt(energy / frame) / 32768));
            if (dbfs >= -50) {
                first = first < 0 ? at : first;
                last = at + frame;
            }
        }
        return new int[] {first, last};
    }

    static short[] samples(byte[] pcm) {
        var out = new short[pcm.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((pcm[2 * i] & 0xff) | pcm[2 * i + 1] << 8);
        }
        return out;
    }

    private AppendFrames() {
    }
}
