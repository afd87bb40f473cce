package io.voicecoach.gateway.twilio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.VoiceCoachSettings;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frames the gateway writes to a bidirectional Twilio Media Stream: {@code media} (base64 mu-law, 8 kHz, one
 * 20 ms payload each), {@code mark} (Twilio echoes it once the audio sent before it has played, or was dropped by a
 * {@code clear}) and {@code clear} (empties Twilio's playback buffer). Each names the stream's {@code streamSid}.
 * Every frame starts with its {@code event} field: that is how {@link TwilioChannel} tells them from the Realtime
 * events the session's fan-out also hands it (those start with {@code type} and are not written to Twilio).
 */
public final class TwilioOut {

    /** Bytes of one {@code media} payload: 20 ms of 8 kHz mu-law. */
    public static final int PAYLOAD_BYTES = 160;
    /** Mu-law of a zero sample, to pad an item's last payload. */
    public static final byte SILENCE = (byte) 0xFF;
    static final String PREFIX = "{\"event\":";
    /** A mark's name: the item id, then {@code /<ms>} (its audio up to there) or {@code /end} (all of it). */
    private static final String END = "end";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TwilioOut() {
    }

    /** The stream's {@code streamSid} when the session is a Twilio stream that can talk back; else null. */
    public static String streamSidOf(RealtimeSession session) {
        var voicecoach = session.settings().voicecoach();
        return VoiceCoachSettings.MEDIA.equals(voicecoach.role()) ? voicecoach.metadata().get("twilio_stream_sid")
                : null;
    }

    public static String media(String streamSid, byte[] ulaw, int offset) {
        var payload = Base64.getEncoder().encodeToString(Arrays.copyOfRange(ulaw, offset,
                offset + PAYLOAD_BYTES));
        return frame("media", streamSid, "media", Map.of("payload", payload));
    }

    /** The mark after the item's audio up to {@code audioMs}. */
    public static String mark(String streamSid, String itemId, long audioMs) {
        return frame("mark", streamSid, "mark", Map.of("name", itemId + "/" + audioMs));
    }

    /** The mark after all of the item's audio. */
    public static String endMark(String streamSid, String itemId) {
        return frame("mark", streamSid, "mark", Map.of("name", itemId + "/" + END));
    }

    public static String clear(String streamSid) {
        return frame("clear", streamSid, null, null);
    }

    /** A mark name the gateway wrote, read back: its item and position (-1 for the item's end); null for others. */
    record MarkName(String itemId, long audioMs) {
        static MarkName parse(String name) {
            int slash = name == null ? -1 : name.lastIndexOf('/');
            if (slash <= 0) {
                return null;
            }
            String position = name.substring(slash + 1);
            if (END.equals(position)) {
                return new MarkName(name.substring(0, slash), -1);
            }
            try {
                long ms = Long.parseLong(position);
                return ms < 0 ? null : new MarkName(name.substring(0, slash), ms);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private static String frame(String event, String streamSid, String field, Object value) {
        var frame = new LinkedHashMap<String, Object>();
        frame.put("event", event);
        frame.put("streamSid", streamSid);
        if (field != null) {
            frame.put(field, value);
        }
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
