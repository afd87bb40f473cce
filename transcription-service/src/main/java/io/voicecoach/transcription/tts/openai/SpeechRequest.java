package io.voicecoach.transcription.tts.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /v1/audio/speech}; {@code pcm} is raw 24 kHz PCM16 LE mono. */
@RegisterForReflection
public record SpeechRequest(String model, String input, String voice,
                            @JsonProperty("response_format") String responseFormat, double speed) {

    static SpeechRequest pcm(String model, String input, String voice, double speed) {
        return new SpeechRequest(model, input, voice, "pcm", speed);
    }
}
