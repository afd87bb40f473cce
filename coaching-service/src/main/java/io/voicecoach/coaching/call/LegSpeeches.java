package io.voicecoach.coaching.call;

import io.voicecoach.events.Track;

final class LegSpeeches {

    static String problem(LegSpeech speech) {
        if (speech == null || speech.startAt() == null || speech.endAt() == null || speech.utteranceId() == null) {
            return "speech needs utteranceId, startAt and endAt";
        }
        if (!Track.isValid(speech.track())) {
            return "unknown track " + speech.track();
        }
        return speech.endAt().isBefore(speech.startAt()) ? "speech ends before it starts" : null;
    }

    private LegSpeeches() {
    }
}
