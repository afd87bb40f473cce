package io.voicecoach.gateway.twilio;

import java.util.List;

/**
 * A Twilio Media Streams frame as the gateway reads it ({@link TwilioFrames#parse}); a frame it cannot use is an
 * {@link Ignored} with the reason (Twilio has no error channel: such frames are counted and dropped).
 */
sealed interface TwilioFrame {

    /** Longest identifier, key or parameter taken from a frame. */
    int MAX_TEXT = 200;

    /** {@code connected} or {@code dtmf}: nothing to do (dtmf digits are never read: card numbers). */
    record Noted(String event) implements TwilioFrame {
    }

    /**
     * {@code mark}: Twilio played the audio sent before the gateway's mark of this name (or dropped it on a
     * {@code clear}); {@code name} is null when it is not a short string.
     */
    record Mark(String name) implements TwilioFrame {
    }

    /**
     * {@code start}.
     *
     * @param supportedFormat the media format is audio/x-mulaw, 8000 Hz, mono
     * @param apiKey          {@code customParameters.api_key}, or null
     * @param callId          {@code customParameters.call_id}, else the call SID, else the stream SID; may be null
     * @param tracks          {@code tracks} as VoiceCoach tracks, {@code customer} when none is named
     * @param agent           {@code customParameters.mode} is {@code agent}: the voice agent answers the caller
     * @param voice           {@code customParameters.voice}, the OpenAI voice name the agent speaks with, or null
     */
    record Start(boolean supportedFormat, String apiKey, String streamSid, String callSid, String accountSid,
                 String callId, String repId, List<String> tracks, boolean agent, String voice)
            implements TwilioFrame {
    }

    /** {@code media}: G.711 mu-law bytes of track {@code agent} ({@code outbound}) or {@code customer}. */
    record Media(String track, byte[] payload) implements TwilioFrame {
    }

    /** {@code stop}. */
    record Stop() implements TwilioFrame {
    }

    /** A frame the gateway cannot use, and why. */
    record Ignored(String reason) implements TwilioFrame {
    }
}
