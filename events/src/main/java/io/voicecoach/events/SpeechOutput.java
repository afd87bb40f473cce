package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How a session wants the voice agent's replies spoken (its Realtime {@code output_modalities} and
 * {@code audio.output}), carried from the gateway ({@link SessionUpdated}) through coaching
 * ({@link AgentResponseCreated}) to transcription-service's speech stage.
 *
 * @param audio  false for a text-only session: its replies are not spoken at all
 * @param voice  the OpenAI voice name the client chose ({@code alloy}, ...), null for the tenant's default
 * @param format {@code audio/pcm} (spoken at 24 kHz), {@code audio/pcmu} or {@code audio/pcma} (spoken at 8 kHz, the
 *               gateway only G.711-encodes); null for {@code audio/pcm}
 * @param speed  {@code audio.output.speed}: how fast the replies are spoken, {@value #MIN_SPEED} to
 *               {@value #MAX_SPEED} times the engine's normal pace; null for 1.0
 */
@RegisterForReflection
public record SpeechOutput(boolean audio, String voice, String format, Double speed) {

    public static final int PCM_RATE = 24_000;
    public static final int TELEPHONY_RATE = 8_000;
    public static final double MIN_SPEED = 0.25;
    public static final double MAX_SPEED = 1.5;

    /** At the normal pace. */
    public SpeechOutput(boolean audio, String voice, String format) {
        this(audio, voice, format, null);
    }

    /** The pace asked for, 1.0 when none was. */
    public double speedFactor() {
        return speed == null ? 1.0 : speed;
    }

    /** The sample rate the speech is produced at for this output. */
    public int sampleRate() {
        return format == null || "audio/pcm".equals(format) ? PCM_RATE : TELEPHONY_RATE;
    }
}
