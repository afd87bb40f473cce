package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.voicecoach.events.SpeechOutput;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.session.OutputAudio;

import java.util.List;

/**
 * The well-formed {@code session.update} values this gateway does not serve. Each is refused on its own with an
 * {@code error} {@code unsupported_value} naming its path (the rest of the update applies, the field keeps its current
 * value) and taken out of what the session echoes:
 * <ul>
 *     <li>{@code audio.output.format} {@code audio/pcm} at another rate than 24000;</li>
 *     <li>{@code audio.input.noise_reduction} (beta {@code input_audio_noise_reduction}) other than null;</li>
 *     <li>{@code turn_detection.type: semantic_vad}, {@code turn_detection.idle_timeout_ms} other than null,
 *     {@code turn_detection.create_response: false};</li>
 *     <li>{@code max_output_tokens} (beta {@code max_response_output_tokens}) other than {@code "inf"};</li>
 *     <li>{@code truncation} other than {@code "auto"}, a non-empty {@code include}, a stored {@code prompt};</li>
 *     <li>{@code tools} of another type than {@code function} (e.g. {@code mcp});</li>
 *     <li>{@code temperature} (beta): the voice agent's model settings are the tenant's.</li>
 * </ul>
 */
final class Unsupported {

    private final ObjectNode served;
    private final List<RealtimeError> refused;

    private Unsupported(ObjectNode served, List<RealtimeError> refused) {
        this.served = served;
        this.refused = refused;
    }

    /** Refuses what {@code fields} asks that is not served, taking it out of {@code served}. */
    static void check(SessionPatch.Fields fields, ObjectNode served, List<RealtimeError> refused) {
        var check = new Unsupported(served, refused);
        check.outputFormat();
        var input = fields.input();
        if (input != null && present(input.noiseReduction())) {
            check.refuse("audio.input.noise_reduction", "noise reduction is not available: it stays null");
        }
        if (present(fields.inputAudioNoiseReduction())) {
            check.refuse("input_audio_noise_reduction", "noise reduction is not available: it stays null");
        }
        if (input != null && input.turnDetection() != null) {
            check.turnDetection(input.turnDetection(), "audio.input.turn_detection");
        }
        if (fields.turnDetection() != null) {
            check.turnDetection(fields.turnDetection(), "turn_detection");
        }
        check.maxTokens(fields.maxOutputTokens(), "max_output_tokens");
        check.maxTokens(fields.maxResponseOutputTokens(), "max_response_output_tokens");
        var truncation = fields.truncation();
        if (present(truncation) && !"auto".equals(truncation.asText(null))) {
            if (!truncation.isObject() && !truncation.isTextual()) {
                throw RealtimeError.invalidEvent("truncation must be auto, disabled or an object", "truncation");
            }
            check.refuse("truncation", "the gateway keeps the newest items of the conversation (auto): "
                    + "truncation stays auto");
        }
        var include = fields.include();
        if (present(include)) {
            if (!include.isArray()) {
                throw RealtimeError.invalidEvent("include must be an array", "include");
            }
            if (!include.isEmpty()) {
                check.refuse("include", "no additional output (logprobs) is available: include stays empty");
            }
        }
        if (present(fields.prompt())) {
            check.refuse("prompt", "stored prompts are not available: use instructions");
        }
        if (present(fields.temperature())) {
            check.refuse("temperature", "the voice agent's model settings are the tenant's: temperature is not set "
                    + "per session");
        }
        var tools = fields.tools();
        if (tools != null && tools.stream().anyMatch(tool -> !SessionPatch.Tool.FUNCTION.equals(tool.type()))) {
            check.refuse("tools", "only function tools are served: tools stay as they were");
        }
    }

    /** {@code audio.output.format} (beta {@code output_audio_format}): 24 kHz PCM, mu-law or A-law. */
    private void outputFormat() {
        var format = served.path("audio").path("output").path("format");
        if (format.isObject()) {
            String type = format.path("type").asText(null);
            if (!OutputAudio.FORMATS.contains(type)) {
                throw RealtimeError.invalidEvent("audio.output.format.type must be audio/pcm, audio/pcmu or "
                        + "audio/pcma", "audio.output.format.type");
            }
            if (format.has("rate") && format.path("rate").asInt() != OutputAudio.PCM_RATE
                    && InputAudioFormat.PCM.equals(type)) {
                refuse("audio.output.format", "replies are spoken as 24 kHz PCM: audio.output.format stays as it "
                        + "was");
            }
        } else if (!format.isMissingNode() && !format.isNull()) {
            throw RealtimeError.invalidEvent("audio.output.format must be an object", "audio.output.format");
        }
        speed(served.path("audio").path("output").path("speed"), "audio.output.speed");
        speed(served.path("speed"), "speed");
        var beta = served.get("output_audio_format");
        if (present(beta) && OutputAudio.fromBetaName(beta.asText(null)) == null) {
            throw RealtimeError.invalidEvent("output_audio_format must be pcm16, g711_ulaw or g711_alaw",
                    "output_audio_format");
        }
    }

    /** {@code audio.output.speed} (beta {@code speed}): a number from 0.25 to 1.5, or null for 1.0. */
    private static void speed(JsonNode speed, String path) {
        if (!speed.isMissingNode() && !speed.isNull() && (!speed.isNumber()
                || speed.doubleValue() < SpeechOutput.MIN_SPEED || speed.doubleValue() > SpeechOutput.MAX_SPEED)) {
            throw RealtimeError.invalidEvent(path + " must be a number from 0.25 to 1.5", path);
        }
    }

    private void turnDetection(Patch<SessionPatch.TurnDetectionSetting> patch, String path) {
        if (patch.cleared()) {
            return;
        }
        var setting = patch.value();
        if (setting.semantic()) {
            refuse(path, "semantic_vad is not available: turn detection stays as it was (use server_vad)");
            return;
        }
        if (present(setting.idleTimeoutMs())) {
            refuse(path + ".idle_timeout_ms", "idle timeouts are not available: idle_timeout_ms stays null");
        }
        if (Boolean.FALSE.equals(setting.createResponse())) {
            refuse(path + ".create_response", "the voice agent answers every finished turn: create_response stays "
                    + "true");
        }
    }

    private void maxTokens(JsonNode value, String field) {
        if (!present(value) || "inf".equals(value.asText(null)) && value.isTextual()) {
            return;
        }
        if (!value.canConvertToInt()) {
            throw RealtimeError.invalidEvent(field + " must be an integer or \"inf\"", field);
        }
        refuse(field, "the voice agent's replies are not capped per session: " + field + " stays \"inf\"");
    }

    private void refuse(String path, String message) {
        refused.add(RealtimeError.invalid(RealtimeError.UNSUPPORTED_VALUE, message, "session." + path));
        remove(served, path.split("\\."), 0);
    }

    private static void remove(ObjectNode node, String[] path, int at) {
        if (at == path.length - 1) {
            node.remove(path[at]);
        } else if (node.get(path[at]) instanceof ObjectNode child) {
            remove(child, path, at + 1);
        }
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }
}
