package io.voicecoach.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;

/**
 * Reads the input audio settings of a {@code session.update}: GA {@code audio.input.format} and
 * {@code audio.input.turn_detection}, the beta {@code input_audio_format} and {@code turn_detection}, and VoiceCoach's
 * {@code voicecoach.input_audio_rate} (the rate of {@code audio/pcm} when the format does not name one).
 */
final class AudioSettings {

    private static final String SEMANTIC_VAD = "semantic_vad";

    static InputAudioFormat format(JsonNode update, InputAudioFormat current) {
        Integer voicecoachRate = rate(update.path("voicecoach").get("input_audio_rate"),
                "session.voicecoach.input_audio_rate");
        var ga = update.path("audio").path("input").get("format");
        var beta = update.get("input_audio_format");
        try {
            if (ga != null && !ga.isNull()) {
                if (!ga.isObject()) {
                    throw RealtimeError.invalidEvent("format must be an object", "session.audio.input.format");
                }
                String type = ClientEvents.requiredText(ga, "type", "session.audio.input.format.type");
                Integer rate = rate(ga.get("rate"), "session.audio.input.format.rate");
                if (InputAudioFormat.PCM.equals(type)) {
                    return new InputAudioFormat(type, rate != null ? rate : voicecoachRate != null ? voicecoachRate
                            : InputAudioFormat.DEFAULT.rate());
                }
                return new InputAudioFormat(type, rate != null ? rate : InputAudioFormat.TELEPHONY_RATE);
            }
            if (beta != null && !beta.isNull()) {
                if (!beta.isTextual()) {
                    throw RealtimeError.invalidEvent("input_audio_format must be a string", "session.input_audio_format");
                }
                return InputAudioFormat.fromBetaName(beta.textValue(),
                        voicecoachRate != null ? voicecoachRate : InputAudioFormat.DEFAULT.rate());
            }
            if (voicecoachRate != null) {
                if (!InputAudioFormat.PCM.equals(current.type())) {
                    throw RealtimeError.invalidEvent("input_audio_rate applies to audio/pcm only",
                            "session.voicecoach.input_audio_rate");
                }
                return new InputAudioFormat(InputAudioFormat.PCM, voicecoachRate);
            }
            return current;
        } catch (IllegalArgumentException e) {
            String param = ga != null && !ga.isNull() ? "session.audio.input.format"
                    : beta != null && !beta.isNull() ? "session.input_audio_format" : "session.voicecoach.input_audio_rate";
            throw RealtimeError.invalidEvent(e.getMessage(), param);
        }
    }

    static TurnDetection turnDetection(JsonNode update, TurnDetection current) {
        var input = update.path("audio").path("input");
        if (input.isObject() && input.has("turn_detection")) {
            return parse(input.get("turn_detection"), "session.audio.input.turn_detection");
        }
        if (update.has("turn_detection")) {
            return parse(update.get("turn_detection"), "session.turn_detection");
        }
        return current;
    }

    private static TurnDetection parse(JsonNode node, String param) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw RealtimeError.invalidEvent("turn_detection must be an object or null", param);
        }
        String type = ClientEvents.optionalText(node, "type", param + ".type");
        if (SEMANTIC_VAD.equals(type)) {
            return TurnDetection.DEFAULT;
        }
        if (type != null && !TurnDetection.SERVER_VAD.equals(type)) {
            throw RealtimeError.invalidEvent("turn_detection.type must be server_vad", param + ".type");
        }
        var defaults = TurnDetection.DEFAULT;
        double threshold = number(node.get("threshold"), param + ".threshold", defaults.threshold());
        int prefix = (int) number(node.get("prefix_padding_ms"), param + ".prefix_padding_ms",
                defaults.prefixPaddingMs());
        int silence = (int) number(node.get("silence_duration_ms"), param + ".silence_duration_ms",
                defaults.silenceDurationMs());
        try {
            return new TurnDetection(threshold, prefix, silence);
        } catch (IllegalArgumentException e) {
            throw RealtimeError.invalidEvent(e.getMessage(), param);
        }
    }

    private static double number(JsonNode value, String param, double fallback) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw RealtimeError.invalidEvent(param + " must be a number", param);
        }
        return value.doubleValue();
    }

    private static Integer rate(JsonNode value, String param) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw RealtimeError.invalidEvent(param + " must be an integer", param);
        }
        if (!InputAudioFormat.PCM_RATES.contains(value.intValue())) {
            throw RealtimeError.invalidEvent(param + " must be one of " + InputAudioFormat.PCM_RATES, param);
        }
        return value.intValue();
    }

    private AudioSettings() {
    }
}
