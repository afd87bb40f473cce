package io.voicecoach.gateway.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.Track;

import java.util.List;

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

    /**
     * The track of an append or typed item in a session carrying {@code tracks}: the one {@code option} names, else
     * {@code customer} when carried, else the session's only track.
     *
     * @throws RealtimeError {@code track_not_carried} when the named track is not one of {@code tracks}
     */
    public static String carried(TrackOption option, List<String> tracks) {
        String fallback = tracks.contains(Track.CUSTOMER) ? Track.CUSTOMER : tracks.getFirst();
        String track = trackOr(option, fallback);
        if (!tracks.contains(track)) {
            throw RealtimeError.invalid(RealtimeError.TRACK_NOT_CARRIED, "this session carries only "
                    + String.join(" and ", tracks) + " (session.voicecoach.tracks), not " + track, "voicecoach.track");
        }
        return track;
    }

    /** {@code track} as an option, null for none. */
    public static TrackOption of(String track) {
        return track == null ? null : new TrackOption(track);
    }
}
