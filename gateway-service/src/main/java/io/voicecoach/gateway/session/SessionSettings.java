package io.voicecoach.gateway.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.Track;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a client configured on its session, as one immutable value: a {@code session.update} replaces it whole.
 * {@code gateway.sessions} snapshots carry it (the JSON names are the snapshot's: {@code voicecoach} is written as
 * {@code settings}, the name it had there before this record existed).
 *
 * @param voicecoach    {@code session.voicecoach}: mode, call, rep, role and metadata
 * @param realtime      the client's other Realtime session fields (instructions, tools, ...), echoed back in order;
 *                      never changed in place (the accessor hands out a copy)
 * @param inputFormat   how appended audio is encoded
 * @param turnDetection server VAD settings, null when the client commits its audio itself
 * @param transcription what the client asked of speech-to-text
 * @param tracks        the speaker tracks the session carries, announced in {@code session.started}
 * @param sessionType   {@code realtime} or {@code transcription} (no responses); null reads as realtime
 * @param interruptResponse false when the client's speech must not cut the voice agent's reply
 *                      ({@code turn_detection.interrupt_response}); null reads as true
 * @param coachingResponses the metadata of the client's out-of-band coaching {@code response.create}: coaching
 *                      suggestions also come as out-of-band responses carrying it; null when the client did not ask
 */
public record SessionSettings(@JsonProperty("settings") VoiceCoachSettings voicecoach, ObjectNode realtime,
                              InputAudioFormat inputFormat, TurnDetection turnDetection,
                              TranscriptionOptions transcription, List<String> tracks, String sessionType,
                              Boolean interruptResponse, Map<String, String> coachingResponses) {

    public static final String REALTIME = "realtime";
    public static final String TRANSCRIPTION = "transcription";

    /** Session fields the client cannot set through the generic merge of {@code session.update}. */
    private static final Set<String> GATEWAY_OWNED_FIELDS = Set.of("id", "object", "type", "voicecoach");
    private static final List<String> BOTH_TRACKS = List.of(Track.AGENT, Track.CUSTOMER);

    public SessionSettings {
        realtime = realtime == null ? JsonNodeFactory.instance.objectNode() : realtime.deepCopy();
        inputFormat = inputFormat == null ? InputAudioFormat.DEFAULT : inputFormat;
        transcription = transcription == null ? TranscriptionOptions.NONE : transcription;
        tracks = tracks == null || tracks.isEmpty() ? BOTH_TRACKS : List.copyOf(tracks);
        sessionType = sessionType == null ? REALTIME : sessionType;
        interruptResponse = interruptResponse == null || interruptResponse;
        coachingResponses = coachingResponses == null ? null : Map.copyOf(coachingResponses);
    }

    public SessionSettings(VoiceCoachSettings voicecoach, ObjectNode realtime, InputAudioFormat inputFormat,
                           TurnDetection turnDetection, TranscriptionOptions transcription, List<String> tracks) {
        this(voicecoach, realtime, inputFormat, turnDetection, transcription, tracks, REALTIME, true, null);
    }

    /** A new Realtime session: coach mode, its own call, 24 kHz PCM, server VAD at the defaults. */
    public static SessionSettings defaults(String sessionId) {
        return new SessionSettings(VoiceCoachSettings.defaults(sessionId), null, InputAudioFormat.DEFAULT,
                TurnDetection.DEFAULT, TranscriptionOptions.NONE, BOTH_TRACKS);
    }

    @Override
    public ObjectNode realtime() {
        return realtime.deepCopy();
    }

    /** Whether and how the voice agent's replies come as audio. */
    public OutputAudio outputAudio() {
        return OutputAudio.of(realtime);
    }

    /** The client's {@code instructions}, null if it set none. */
    public String instructions() {
        var instructions = realtime.get("instructions");
        return instructions != null && instructions.isTextual() ? instructions.textValue() : null;
    }

    /** These settings with the client's Realtime session fields merged in (top level replaces), but the gateway's. */
    public SessionSettings withRealtimeFields(ObjectNode update) {
        var merged = realtime.deepCopy();
        update.properties().forEach(field -> {
            if (field.getKey().equals("audio") && merged.get("audio") instanceof ObjectNode audio
                    && field.getValue() instanceof ObjectNode parts) {
                audio.setAll(parts.deepCopy()); // audio.input and audio.output are updated apart
            } else if (!GATEWAY_OWNED_FIELDS.contains(field.getKey())) {
                merged.set(field.getKey(), field.getValue());
            }
        });
        return new SessionSettings(voicecoach, merged, inputFormat, turnDetection, transcription, tracks,
                sessionType, interruptResponse, coachingResponses);
    }

    /** These settings with VoiceCoach's part replaced. */
    public SessionSettings withVoiceCoach(VoiceCoachSettings voicecoach) {
        return new SessionSettings(voicecoach, realtime, inputFormat, turnDetection, transcription, tracks,
                sessionType, interruptResponse, coachingResponses);
    }

    /** A session opened as {@code ?intent=transcription}. */
    public SessionSettings asTranscription() {
        return new SessionSettings(voicecoach, realtime, inputFormat, turnDetection, transcription, tracks,
                TRANSCRIPTION, interruptResponse, coachingResponses);
    }

    public boolean transcriptionOnly() {
        return TRANSCRIPTION.equals(sessionType);
    }

    /** These settings with coaching delivered as out-of-band responses carrying {@code metadata}. */
    public SessionSettings withCoachingResponses(Map<String, String> metadata) {
        return new SessionSettings(voicecoach, realtime, inputFormat, turnDetection, transcription, tracks,
                sessionType, interruptResponse, metadata);
    }

    /** The names of the functions the client declared in {@code tools} (it runs them itself). */
    public Set<String> clientToolNames() {
        var tools = realtime.get("tools");
        if (tools == null || !tools.isArray()) {
            return Set.of();
        }
        var names = new HashSet<String>();
        tools.forEach(tool -> {
            if (tool.path("name").isTextual()) {
                names.add(tool.path("name").textValue());
            }
        });
        return names;
    }
}
