package io.voicecoach.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.SpeechOutput;
import io.voicecoach.gateway.audio.InputAudioFormat;

import java.util.Locale;
import java.util.Set;

/**
 * How the voice agent's replies reach the client as audio, read from the client's Realtime session fields:
 * {@code output_modalities} (beta {@code modalities}) naming {@code audio}, {@code audio.output.format} (beta
 * {@code output_audio_format}), {@code audio.output.voice} (beta {@code voice}) and {@code audio.output.speed} (beta
 * {@code speed}).
 *
 * @param audio  true when the replies come as {@code response.output_audio.*} (text-only sessions get none)
 * @param format {@code audio/pcm} (24 kHz), {@code audio/pcmu} or {@code audio/pcma} (8 kHz)
 * @param voice  the OpenAI voice name the client chose, null for the tenant's
 * @param speed  the pace the client chose (0.25 to 1.5, checked by the session update), null for 1.0
 */
public record OutputAudio(boolean audio, String format, String voice, Double speed) {

    public static final int PCM_RATE = 24_000;
    public static final Set<String> FORMATS = Set.of(InputAudioFormat.PCM, InputAudioFormat.PCMU,
            InputAudioFormat.PCMA);

    /** Of the client's Realtime session fields as the session keeps them (refused values already taken out). */
    static OutputAudio of(ObjectNode realtime) {
        var modalities = realtime.has("output_modalities") ? realtime.get("output_modalities")
                : realtime.get("modalities");
        boolean audio = false;
        if (modalities != null && modalities.isArray()) {
            for (JsonNode modality : modalities) {
                audio |= "audio".equals(modality.asText());
            }
        }
        var output = realtime.path("audio").path("output");
        String format = output.path("format").path("type").asText(null);
        if (format == null) {
            format = fromBetaName(realtime.path("output_audio_format").asText(null));
        }
        String voice = output.path("voice").isTextual() ? output.path("voice").textValue()
                : realtime.path("voice").isTextual() ? realtime.path("voice").textValue() : null;
        var speedField = output.path("speed").isNumber() ? output.path("speed") : realtime.path("speed");
        Double speed = speedField.isNumber() ? Double.valueOf(speedField.doubleValue()) : null;
        return new OutputAudio(audio, format == null ? InputAudioFormat.PCM : format, voice, speed);
    }

    /** {@code pcm16}, {@code g711_ulaw}, {@code g711_alaw} -> the GA type; null for anything else. */
    public static String fromBetaName(String beta) {
        if (beta == null) {
            return null;
        }
        return switch (beta.toLowerCase(Locale.ROOT)) {
            case "pcm16" -> InputAudioFormat.PCM;
            case "g711_ulaw" -> InputAudioFormat.PCMU;
            case "g711_alaw" -> InputAudioFormat.PCMA;
            default -> null;
        };
    }

    /** What the speech stage needs of it (announced with {@code session.updated}). */
    public SpeechOutput speech() {
        return new SpeechOutput(audio, voice, format, speed);
    }

    public int rate() {
        return InputAudioFormat.PCM.equals(format) ? PCM_RATE : InputAudioFormat.TELEPHONY_RATE;
    }
}
