package io.voicecoach.gateway.fanout;

import io.voicecoach.gateway.twilio.TwilioOut;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's speech for a Twilio stream: each chunk's mu-law audio cut into 20 ms {@code media} payloads (the bytes
 * short of a whole payload wait for the item's next chunk), then a {@code mark} named {@code <item>/<ms>} with where
 * the chunk ends in the item's audio; the item's done pads its last payload with silence and sends the mark
 * {@code <item>/end}. Twilio echoes each mark once it played the audio before it, which tells the gateway what the
 * caller heard.
 */
final class TwilioSpeech {

    /** Per session and item: mu-law bytes short of a whole payload. */
    private final Map<String, byte[]> remainders = new ConcurrentHashMap<>();

    List<String> delta(String key, String streamSid, String itemId, long endMs, byte[] ulaw) {
        var held = remainders.remove(key);
        var pending = held == null ? ulaw : concat(held, ulaw);
        int whole = pending.length - pending.length % TwilioOut.PAYLOAD_BYTES;
        var frames = new ArrayList<String>(whole / TwilioOut.PAYLOAD_BYTES + 1);
        for (int offset = 0; offset < whole; offset += TwilioOut.PAYLOAD_BYTES) {
            frames.add(TwilioOut.media(streamSid, pending, offset));
        }
        if (whole < pending.length) {
            remainders.put(key, Arrays.copyOfRange(pending, whole, pending.length));
        }
        frames.add(TwilioOut.mark(streamSid, itemId, endMs));
        return frames;
    }

    /** The item's audio is complete; {@code whole} is false when it was cut (nothing more is sent of it). */
    List<String> done(String key, String streamSid, String itemId, boolean whole) {
        var held = remainders.remove(key);
        if (!whole) {
            return List.of();
        }
        var frames = new ArrayList<String>(2);
        if (held != null) {
            var last = Arrays.copyOf(held, TwilioOut.PAYLOAD_BYTES);
            Arrays.fill(last, held.length, last.length, TwilioOut.SILENCE);
            frames.add(TwilioOut.media(streamSid, last, 0));
        }
        frames.add(TwilioOut.endMark(streamSid, itemId));
        return frames;
    }

    void drop(String key) {
        remainders.remove(key);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        var joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
