package io.voicecoach.transcription.stt;

import io.voicecoach.events.AudioHeaders;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** RIFF/WAVE container for PCM16 LE mono 16 kHz audio. */
public final class Wav {

    public static byte[] of(byte[] pcm) {
        int rate = AudioHeaders.SAMPLE_RATE;
        var wav = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(pcm.length).put(pcm);
        return wav.array();
    }

    private Wav() {
    }
}
