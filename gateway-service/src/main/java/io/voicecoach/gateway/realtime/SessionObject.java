package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.session.OutputAudio;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.TranscriptionOptions;

/**
 * The {@code session} object of {@code session.created|updated}: id, object and type, then the client's Realtime fields
 * in the order it set them, with the effective input audio settings in the GA shape (and in the beta one where the
 * client used it), then {@code voicecoach}.
 */
public final class SessionObject {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public static ObjectNode of(String sessionId, SessionSettings settings) {
        boolean transcription = settings.transcriptionOnly();
        var node = NODES.objectNode()
                .put("id", sessionId)
                .put("object", transcription ? "realtime.transcription_session" : "realtime.session")
                .put("type", settings.sessionType());
        node.setAll(settings.realtime());
        if (node.has("tracing")) {
            node.putNull("tracing"); // nothing is traced to OpenAI: the effective value
        }
        audio(node, settings);
        if (!transcription) {
            responses(node, settings.outputAudio());
        }
        var voicecoach = settings.voicecoach();
        var voicecoachNode = node.putObject("voicecoach")
                .put("mode", voicecoach.mode())
                .put("call_id", voicecoach.callId())
                .put("rep_id", voicecoach.repId())
                .put("role", voicecoach.role());
        voicecoach.metadata().forEach(voicecoachNode.putObject("metadata")::put);
        var phrases = voicecoachNode.putArray("phrases");
        settings.transcription().phrases().forEach(phrases::add);
        var tracks = voicecoachNode.putArray("tracks");
        settings.tracks().forEach(tracks::add);
        return node;
    }

    /** What responses are served as: text or audio (audio.output in its effective format), uncapped, the newest
     * items kept; the client's tools (or none). */
    private static void responses(ObjectNode node, OutputAudio output) {
        node.putArray("output_modalities").add(output.audio() ? "audio" : "text");
        if (node.has("modalities")) {
            var beta = node.putArray("modalities").add("text");
            if (output.audio()) {
                beta.add("audio");
            }
        }
        if (output.audio() || node.path("audio").has("output")) {
            var audio = node.get("audio") instanceof ObjectNode given ? given : node.putObject("audio");
            var out = audio.get("output") instanceof ObjectNode given ? given : audio.putObject("output");
            out.putObject("format").put("type", output.format()).put("rate", output.rate());
            if (output.voice() == null) {
                out.remove("voice");
            }
            out.put("speed", output.speed() == null ? 1.0 : output.speed());
        }
        node.put("max_output_tokens", "inf");
        if (node.has("max_response_output_tokens")) {
            node.put("max_response_output_tokens", "inf");
        }
        node.put("truncation", "auto");
        if (!(node.get("tools") instanceof ArrayNode)) {
            node.putArray("tools");
        }
        if (!node.hasNonNull("tool_choice")) {
            node.put("tool_choice", "auto");
        }
    }

    private static void audio(ObjectNode node, SessionSettings settings) {
        var format = settings.inputFormat();
        var audio = node.get("audio") instanceof ObjectNode given ? given : node.putObject("audio");
        var input = audio.get("input") instanceof ObjectNode given ? given : audio.putObject("input");
        input.putObject("format").put("type", format.type()).put("rate", format.rate());
        input.set("turn_detection", turnDetection(settings.turnDetection(), settings.interruptResponse()));
        input.set("transcription", transcription(settings.transcription()));
        input.putNull("noise_reduction");
        if (node.has("input_audio_noise_reduction")) {
            node.putNull("input_audio_noise_reduction");
        }
        if (node.has("include")) {
            node.putArray("include");
        }
        if (node.has("input_audio_transcription")) {
            node.set("input_audio_transcription", transcription(settings.transcription()));
        }
        if (node.has("input_audio_format")) {
            node.put("input_audio_format", switch (format.type()) {
                case InputAudioFormat.PCMU -> "g711_ulaw";
                case InputAudioFormat.PCMA -> "g711_alaw";
                default -> "pcm16";
            });
        }
        if (node.has("turn_detection")) {
            node.set("turn_detection", turnDetection(settings.turnDetection(), settings.interruptResponse()));
        }
    }

    private static JsonNode transcription(TranscriptionOptions transcription) {
        if (transcription.model() == null && transcription.language() == null && transcription.prompt() == null) {
            return NODES.nullNode();
        }
        return NODES.objectNode()
                .put("model", transcription.model())
                .put("language", transcription.language())
                .put("prompt", transcription.prompt());
    }

    /** Server VAD as it runs: no idle timeout, a response for every finished turn, barge-in as the client set it. */
    private static JsonNode turnDetection(TurnDetection turnDetection, boolean interruptResponse) {
        if (turnDetection == null) {
            return NODES.nullNode();
        }
        var node = NODES.objectNode()
                .put("type", TurnDetection.SERVER_VAD)
                .put("threshold", turnDetection.threshold())
                .put("prefix_padding_ms", turnDetection.prefixPaddingMs())
                .put("silence_duration_ms", turnDetection.silenceDurationMs());
        node.putNull("idle_timeout_ms");
        return node.put("create_response", true).put("interrupt_response", interruptResponse);
    }

    private SessionObject() {
    }
}
