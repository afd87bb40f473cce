package io.voicecoach.gateway.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.Track;

/**
 * VoiceCoach's {@code voicecoach: {track}} on input events (which speaker a frame is about) and on the server events
 * they cause.
 *
 * @param track {@code agent} or {@code customer}; null when none is named
 */
@RegisterForReflection
public record TrackOption(String track) {

    public TrackOption {
        if (track != null && !Track.isValid(track)) {
            throw RealtimeError.invalid(RealtimeError.INVALID_TRACK, "track must be agent or customer", "track");
        }
    }

    /** The track {@code option} names, else {@code fallback}. */
    public static String trackOr(TrackOption option, String fallback) {
        return option == null || option.track() == null ? fallback : option.track();
    }

    /** {@code track} as an option, null for none. */
    public static TrackOption of(String track) {
        return track == null ? null : new TrackOption(track);
    }
}
