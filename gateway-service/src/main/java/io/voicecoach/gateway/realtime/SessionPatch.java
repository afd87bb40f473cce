package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.Track;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.TranscriptionOptions;
import io.voicecoach.gateway.session.VoiceCoachSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code session} of a {@code session.update}: the fields as the client sent them (its Realtime fields are kept
 * and echoed in order) and, bound, those the gateway acts on. Absent fields are null; where JSON null means something
 * (switch server VAD off, reset transcription, clear metadata or phrases) the field is a {@link Patch}.
 * <p>
 * A well-formed value this gateway cannot serve (audio output, {@code semantic_vad}, noise reduction, a token cap,
 * ...) is refused on its own: the rest of the update applies, the field keeps its current value, and
 * {@link #unsupported()} names it for an {@code error} {@code unsupported_value}. A malformed frame is refused whole.
 *
 * @param sent        the object as sent, less the fields refused as unsupported
 * @param fields      what the gateway reads of it, GA and beta names side by side
 * @param unsupported the refused fields, each an {@code unsupported_value} error naming its path
 */
@RegisterForReflection
public record SessionPatch(ObjectNode sent, Fields fields, List<RealtimeError> unsupported) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static SessionPatch of(ObjectNode sent) throws JsonProcessingException {
        var fields = RealtimeJson.bind(sent, Fields.class);
        var served = sent.deepCopy();
        var unsupported = new ArrayList<RealtimeError>();
        Unsupported.check(fields, served, unsupported);
        return new SessionPatch(served, fields, List.copyOf(unsupported));
    }

    /**
     * The settings after this update: the fields it names replace those of {@code current} (GA names win over beta
     * ones), its Realtime fields are merged in.
     */
    public SessionSettings applyTo(SessionSettings current) {
        var voicecoach = fields.voicecoach() == null ? current.voicecoach()
                : fields.voicecoach().applyTo(current.voicecoach());
        var realtime = current.withRealtimeFields(sent).realtime();
        var turnDetection = turnDetectionSetting();
        boolean interrupt = turnDetection != null && !turnDetection.cleared()
                && turnDetection.value().interruptResponse() != null
                ? turnDetection.value().interruptResponse() : current.interruptResponse();
        String type = fields.type() != null ? fields.type() : current.sessionType();
        var tracks = fields.voicecoach() == null || fields.voicecoach().tracks() == null ? current.tracks()
                : fields.voicecoach().tracks();
        return new SessionSettings(voicecoach, realtime, format(current.inputFormat()),
                turnDetection(current.turnDetection()), transcription(current.transcription()), tracks, type,
                interrupt, current.coachingResponses());
    }

    private InputAudioFormat format(InputAudioFormat current) {
        Integer voicecoachRate = fields.voicecoach() == null ? null : fields.voicecoach().inputAudioRate();
        int pcmRate = voicecoachRate != null ? voicecoachRate : InputAudioFormat.DEFAULT.rate();
        var input = fields.input();
        if (input != null && input.format() != null) {
            return input.format().resolve(pcmRate);
        }
        if (fields.inputAudioFormat() != null) {
            return InputAudioFormat.fromBetaName(fields.inputAudioFormat(), pcmRate);
        }
        if (voicecoachRate == null) {
            return current;
        }
        if (!InputAudioFormat.PCM.equals(current.type())) {
            throw RealtimeError.invalidEvent("input_audio_rate applies to audio/pcm only",
                    "session.voicecoach.input_audio_rate");
        }
        return new InputAudioFormat(InputAudioFormat.PCM, voicecoachRate);
    }

    /** Null: the client commits its audio itself. */
    private TurnDetection turnDetection(TurnDetection current) {
        var chosen = turnDetectionSetting();
        if (chosen == null || !chosen.cleared() && chosen.value().semantic()) {
            return current; // semantic_vad is refused (unsupported_value): the current setting stays
        }
        return chosen.cleared() ? null : chosen.value().value();
    }

    private Patch<TurnDetectionSetting> turnDetectionSetting() {
        var input = fields.input();
        return input != null && input.turnDetection() != null ? input.turnDetection() : fields.turnDetection();
    }

    private TranscriptionOptions transcription(TranscriptionOptions current) {
        var input = fields.input();
        var chosen = input != null && input.transcription() != null ? input.transcription()
                : fields.inputAudioTranscription();
        var result = current;
        if (chosen != null) {
            var asked = chosen.cleared() ? new Transcription(null, null, null) : chosen.value();
            result = new TranscriptionOptions(asked.model(), asked.language(), asked.prompt(), current.phrases());
        }
        var phrases = fields.voicecoach() == null ? null : fields.voicecoach().phrases();
        if (phrases != null) {
            result = result.withPhrases(phrases.cleared() ? List.of() : phrases.value());
        }
        return result;
    }

    /**
     * @param type                    {@code realtime}, the only session type served
     * @param inputAudioFormat        beta {@code pcm16}, {@code g711_ulaw} or {@code g711_alaw}
     * @param turnDetection           beta place of {@code audio.input.turn_detection}
     * @param inputAudioTranscription beta place of {@code audio.input.transcription}
     */
    public record Fields(String type, String instructions, Audio audio, String inputAudioFormat,
                         Patch<TurnDetectionSetting> turnDetection, Patch<Transcription> inputAudioTranscription,
                         VoiceCoach voicecoach, List<String> outputModalities, List<String> modalities,
                         JsonNode maxOutputTokens, JsonNode maxResponseOutputTokens, JsonNode truncation,
                         JsonNode include, JsonNode prompt, JsonNode inputAudioNoiseReduction, List<Tool> tools,
                         JsonNode toolChoice, JsonNode temperature) {
        public Fields {
            if (type != null && !SessionSettings.REALTIME.equals(type) && !SessionSettings.TRANSCRIPTION.equals(type)) {
                throw RealtimeError.invalidEvent("type must be realtime or transcription", "type");
            }
            checkModalities(outputModalities, "output_modalities");
            checkModalities(modalities, "modalities");
            if (tools != null && tools.contains(null)) {
                throw RealtimeError.invalidEvent("tools must be an array of tool objects", "tools");
            }
            if (toolChoice != null && !toolChoice.isNull() && !Tool.isChoice(toolChoice)) {
                throw RealtimeError.invalidEvent("tool_choice must be auto, none, required or "
                        + "{\"type\": \"function\", \"name\"}", "tool_choice");
            }
            if (inputAudioFormat != null) {
                try {
                    InputAudioFormat.fromBetaName(inputAudioFormat, InputAudioFormat.DEFAULT.rate());
                } catch (IllegalArgumentException e) {
                    throw RealtimeError.invalidEvent(e.getMessage(), "input_audio_format");
                }
            }
        }

        /** {@code audio.input}, or null. */
        public Input input() {
            return audio == null ? null : audio.input();
        }

        private static void checkModalities(List<String> modalities, String field) {
            if (modalities == null) {
                return;
            }
            if (modalities.isEmpty() || modalities.stream().anyMatch(m -> !"text".equals(m) && !"audio".equals(m))) {
                throw RealtimeError.invalidEvent(field + " must name text or audio", field);
            }
        }
    }

    public record Audio(Input input) {
    }

    /** GA {@code audio.input}. */
    public record Input(Format format, Patch<TurnDetectionSetting> turnDetection, Patch<Transcription> transcription,
                        JsonNode noiseReduction) {
    }

    /**
     * A {@code tools} entry: a function the client runs itself ({@code type: "function"}, the only type served; any
     * other, such as {@code mcp}, is refused as unsupported).
     */
    public record Tool(String type, String name, String description, JsonNode parameters) {

        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");
        public static final String FUNCTION = "function";

        public Tool {
            if (type == null) {
                throw RealtimeError.invalidEvent("missing type", "type");
            }
            if (FUNCTION.equals(type) && (name == null || !NAME.matcher(name).matches())) {
                throw RealtimeError.invalidEvent("a function needs a name of 1 to 64 letters, digits, _ or -",
                        "name");
            }
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw RealtimeError.invalidEvent("parameters must be a JSON schema object", "parameters");
            }
        }

        static boolean isChoice(JsonNode choice) {
            if (choice.isTextual()) {
                return Set.of("auto", "none", "required").contains(choice.textValue());
            }
            return choice.isObject() && FUNCTION.equals(choice.path("type").asText(null))
                    && choice.path("name").isTextual();
        }
    }

    /**
     * GA {@code audio.input.format}.
     *
     * @param rate samples per second of {@code audio/pcm}; absent: {@code voicecoach.input_audio_rate}, else 24000
     */
    public record Format(String type, Integer rate) {
        public Format {
            if (type == null) {
                throw RealtimeError.invalidEvent("missing type", "type");
            }
            if (rate != null && !InputAudioFormat.PCM_RATES.contains(rate)) {
                throw RealtimeError.invalidEvent("rate must be one of " + InputAudioFormat.PCM_RATES, "rate");
            }
            try {
                resolve(type, rate, InputAudioFormat.DEFAULT.rate());
            } catch (IllegalArgumentException e) {
                throw RealtimeError.invalidEvent(e.getMessage(), null);
            }
        }

        /** The format, with {@code pcmRate} for {@code audio/pcm} when the client named no rate. */
        public InputAudioFormat resolve(int pcmRate) {
            return resolve(type, rate, pcmRate);
        }

        private static InputAudioFormat resolve(String type, Integer rate, int pcmRate) {
            int defaultRate = InputAudioFormat.PCM.equals(type) ? pcmRate : InputAudioFormat.TELEPHONY_RATE;
            return new InputAudioFormat(type, rate != null ? rate : defaultRate);
        }
    }

    /**
     * {@code turn_detection}: {@code server_vad} (the default type), with the defaults for the numbers not given, and
     * {@code interrupt_response}. {@code semantic_vad}, an {@code idle_timeout_ms} and {@code create_response: false}
     * are well-formed but not served: refused as unsupported ({@link Unsupported}).
     */
    public record TurnDetectionSetting(String type, Double threshold, Double prefixPaddingMs,
                                       Double silenceDurationMs, JsonNode idleTimeoutMs, Boolean createResponse,
                                       Boolean interruptResponse, String eagerness) {

        static final String SEMANTIC_VAD = "semantic_vad";

        public TurnDetectionSetting {
            if (type != null && !TurnDetection.SERVER_VAD.equals(type) && !SEMANTIC_VAD.equals(type)) {
                throw RealtimeError.invalidEvent("turn_detection.type must be server_vad or semantic_vad", "type");
            }
            if (idleTimeoutMs != null && !idleTimeoutMs.isNull() && !idleTimeoutMs.canConvertToInt()) {
                throw RealtimeError.invalidEvent("idle_timeout_ms must be an integer or null", "idle_timeout_ms");
            }
            try {
                value(threshold, prefixPaddingMs, silenceDurationMs);
            } catch (IllegalArgumentException e) {
                throw RealtimeError.invalidEvent(e.getMessage(), null);
            }
        }

        public boolean semantic() {
            return SEMANTIC_VAD.equals(type);
        }

        public TurnDetection value() {
            return value(threshold, prefixPaddingMs, silenceDurationMs);
        }

        private static TurnDetection value(Double threshold, Double prefixPaddingMs, Double silenceDurationMs) {
            var defaults = TurnDetection.DEFAULT;
            return new TurnDetection(threshold != null ? threshold : defaults.threshold(),
                    prefixPaddingMs != null ? prefixPaddingMs.intValue() : defaults.prefixPaddingMs(),
                    silenceDurationMs != null ? silenceDurationMs.intValue() : defaults.silenceDurationMs());
        }
    }

    /**
     * {@code audio.input.transcription}; {@code model} names the engine (see {@code TranscriptionOptions}). Model and
     * language travel as audio headers, which transcription takes only up to {@value #MAX_NAME_LENGTH} characters
     * without control characters: longer ones are refused here rather than dropping the session's audio there.
     */
    public record Transcription(String model, String language, String prompt) {

        static final int MAX_NAME_LENGTH = 64;

        public Transcription {
            requireName(model, "model");
            requireName(language, "language");
        }

        private static void requireName(String value, String param) {
            if (value != null && (value.length() > MAX_NAME_LENGTH || value.chars().anyMatch(Character::isISOControl))) {
                throw RealtimeError.invalidEvent(param + " must be at most " + MAX_NAME_LENGTH
                        + " characters without control characters", param);
            }
        }
    }

    /**
     * {@code session.voicecoach}: VoiceCoach's own session fields.
     *
     * @param tracks the speaker tracks the session carries ({@code agent}, {@code customer}; each at most once), e.g.
     *               {@code ["customer"]} for a customer leg; absent: unchanged (a new session carries both)
     */
    public record VoiceCoach(String mode, String callId, String repId, String role, Integer inputAudioRate,
                             Patch<Map<String, String>> metadata, Patch<List<String>> phrases, List<String> tracks) {

        private static final int MAX_PHRASES = 500;
        private static final int MAX_PHRASE_LENGTH = 200;

        public VoiceCoach {
            if (mode != null && !VoiceCoachSettings.isMode(mode)) {
                throw RealtimeError.invalidEvent("mode must be coach or agent", "mode");
            }
            if (role != null && !VoiceCoachSettings.REP.equals(role) && !VoiceCoachSettings.CUSTOMER.equals(role)) {
                throw RealtimeError.invalidEvent("role must be rep or customer", "role");
            }
            if (callId != null && (callId.isBlank() || callId.length() > VoiceCoachSettings.MAX_CALL_ID_LENGTH)) {
                throw RealtimeError.invalidEvent("call_id must be 1 to " + VoiceCoachSettings.MAX_CALL_ID_LENGTH
                        + " characters", "call_id");
            }
            if (inputAudioRate != null && !InputAudioFormat.PCM_RATES.contains(inputAudioRate)) {
                throw RealtimeError.invalidEvent("input_audio_rate must be one of " + InputAudioFormat.PCM_RATES,
                        "input_audio_rate");
            }
            if (metadata != null && !metadata.cleared()) {
                metadata.value().forEach((key, value) -> {
                    if (value == null) {
                        throw RealtimeError.invalidEvent("metadata values must be strings",
                                "metadata." + RealtimeJson.clipped(key));
                    }
                });
            }
            if (phrases != null && !phrases.cleared()) {
                checkPhrases(phrases.value());
            }
            if (tracks != null) {
                checkTracks(tracks);
            }
        }

        private static void checkTracks(List<String> tracks) {
            if (tracks.isEmpty()) {
                throw RealtimeError.invalidEvent("tracks must name agent and/or customer", "tracks");
            }
            for (int i = 0; i < tracks.size(); i++) {
                String track = tracks.get(i);
                if (!Track.isValid(track) || tracks.indexOf(track) < i) {
                    throw RealtimeError.invalidEvent("tracks must name agent and/or customer, each once",
                            "tracks[" + i + "]");
                }
            }
        }

        private static void checkPhrases(List<String> phrases) {
            if (phrases.size() > MAX_PHRASES) {
                throw RealtimeError.invalidEvent("phrases must be an array of at most " + MAX_PHRASES + " strings",
                        "phrases");
            }
            for (int i = 0; i < phrases.size(); i++) {
                String phrase = phrases.get(i);
                if (phrase == null || phrase.isBlank() || phrase.length() > MAX_PHRASE_LENGTH) {
                    throw RealtimeError.invalidEvent("each phrase is a string of 1 to " + MAX_PHRASE_LENGTH
                            + " characters", "phrases[" + i + "]");
                }
            }
        }

        /** {@code current} with the fields this update names. */
        public VoiceCoachSettings applyTo(VoiceCoachSettings current) {
            var merged = metadata == null ? current.metadata() : metadata.cleared() ? Map.<String, String>of()
                    : Map.copyOf(metadata.value());
            return new VoiceCoachSettings(mode != null ? mode : current.mode(),
                    callId != null ? callId : current.callId(), repId != null ? repId : current.repId(), merged,
                    role != null ? role : current.role());
        }
    }
}
