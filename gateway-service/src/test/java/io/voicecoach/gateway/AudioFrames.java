package io.voicecoach.gateway;

import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.gateway.audio.G711;
import io.voicecoach.gateway.audio.Signals;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Audio for the WebSocket tests: tones and silence as PCM16 or mu-law, cut into client frames. */
final class AudioFrames {

    static short[] tone(int rate, int ms, double frequency, double amplitude) {
        return Signals.sine(frequency, amplitude, rate, rate * ms / 1000);
    }

    static short[] silence(int rate, int ms) {
        return new short[rate * ms / 1000];
    }

    static byte[] pcm16(short[]... parts) {
        int length = 0;
        for (var part : parts) {
            length += part.length;
        }
        var bytes = new byte[length * 2];
        int at = 0;
        for (var part : parts) {
            for (short s : part) {
                bytes[at++] = (byte) s;
                bytes[at++] = (byte) (s >> 8);
            }
        }
        return bytes;
    }

    static byte[] ulaw(short[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (var part : parts) {
            for (short s : part) {
                out.write(G711.linearToUlaw(s));
            }
        }
        return out.toByteArray();
    }

    static List<byte[]> frames(byte[] audio, int frameBytes) {
        var frames = new ArrayList<byte[]>();
        for (int at = 0; at < audio.length; at += frameBytes) {
            frames.add(java.util.Arrays.copyOfRange(audio, at, Math.min(audio.length, at + frameBytes)));
        }
        return frames;
    }

    static Map<String, Object> append(byte[] audio, String track) {
        var event = new LinkedHashMap<String, Object>();
        event.put("type", "input_audio_buffer.append");
        event.put("audio", Base64.getEncoder().encodeToString(audio));
        if (track != null) {
            event.put("voicecoach", Map.of("track", track));
        }
        return event;
    }

    static short[] samples(byte[] pcm) {
        var samples = new short[pcm.length / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
        }
        return samples;
    }

    /** Audio records of a session, in topic order (one partition per key). */
    static List<KafkaTestClient.Received> audioOf(KafkaTestClient.TopicReader reader, String sessionId) {
        return reader.all().stream().filter(r -> sessionId.equals(r.key())).toList();
    }


    private AudioFrames() {
    }
}
