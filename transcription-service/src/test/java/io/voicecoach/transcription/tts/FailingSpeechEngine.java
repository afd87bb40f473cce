package io.voicecoach.transcription.tts;

import jakarta.inject.Singleton;

/** Test engine ({@code voicecoach.tts.tenants.mute.engine=failing}): every synthesis times out. */
@Singleton
public class FailingSpeechEngine implements SpeechEngine {

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public Speech synthesize(String text, String voice, double speed) {
        throw new SpeechException(SpeechException.TIMEOUT, "the test engine never answers");
    }
}
