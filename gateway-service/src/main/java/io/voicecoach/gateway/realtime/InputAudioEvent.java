package io.voicecoach.gateway.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The {@code input_audio_buffer.*} client events; {@code voicecoach.track} picks the speaker's buffer. */
@RegisterForReflection
public sealed interface InputAudioEvent extends ClientEvent {

    /** {@code input_audio_buffer.append}: base64 audio in the session's input format (the hot path: ~10 a second). */
    record Append(String eventId, String audio, TrackOption voicecoach) implements InputAudioEvent {
        public Append {
            if (audio == null) {
                throw RealtimeError.invalidEvent("missing audio", "audio");
            }
        }
    }

    /** {@code input_audio_buffer.commit}: one track's open utterance, or every track's when none is named. */
    record Commit(String eventId, TrackOption voicecoach) implements InputAudioEvent {
    }

    /** {@code input_audio_buffer.clear}: drops audio not yet published, of one track or all. */
    record Clear(String eventId, TrackOption voicecoach) implements InputAudioEvent {
    }
}
