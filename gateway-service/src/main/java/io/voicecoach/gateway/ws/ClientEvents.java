package io.voicecoach.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.session.Ids;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.TranscriptionOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Handles the client events of the Realtime protocol subset the gateway speaks. Every refused frame is answered with
 * an {@code error} event and leaves the connection open.
 */
@ApplicationScoped
public class ClientEvents {

    private static final Logger LOG = Logger.getLogger(ClientEvents.class);

    static final String SESSION_UPDATE = "session.update";
    static final String ITEM_CREATE = "conversation.item.create";
    static final String AUDIO_APPEND = "input_audio_buffer.append";
    static final String AUDIO_COMMIT = "input_audio_buffer.commit";
    static final String AUDIO_CLEAR = "input_audio_buffer.clear";
    static final String RESPONSE_CREATE = "response.create";
    static final String RESPONSE_CANCEL = "response.cancel";
    /** Beta names of client events and the GA event each one is handled as. */
    static final Map<String, String> BETA_ALIASES = Map.of("transcription_session.update", SESSION_UPDATE);
    /** Realtime client events the protocol knows but this gateway does not serve. */
    static final Set<String> NOT_IMPLEMENTED = Set.of("conversation.item.retrieve", "conversation.item.truncate",
            "conversation.item.delete", "output_audio_buffer.clear");
    static final String CANCELLED_BY_CLIENT = "client";
    private static final int MAX_PHRASES = 500;
    private static final int MAX_PHRASE_LENGTH = 200;
    private static final String PROMPT_METADATA_KEY = "transcription_prompt";

    /** Session fields the client cannot set through {@code session.update}'s generic merge. */
    private static final Set<String> GATEWAY_OWNED_FIELDS = Set.of("id", "object", "type", "voicecoach");
    private static final String TEXT_ENGINE = "text";
    private static final int MAX_CALL_ID_LENGTH = 200;

    private final SessionPublisher publisher;
    private final SessionSnapshots snapshots;
    private final int maxFrameBytes;
    private final int maxAudioBytes;
    private final MeterRegistry meters;

    public ClientEvents(SessionPublisher publisher, SessionSnapshots snapshots, LimitsConfig limits,
                        MeterRegistry meters) {
        this.publisher = publisher;
        this.snapshots = snapshots;
        this.maxFrameBytes = limits.maxFrameBytes();
        this.maxAudioBytes = limits.maxAudioBytesPerAppend();
        this.meters = meters;
    }

    /** Handles one text frame; the Uni completes once the reply (or error) was written. */
    public Uni<Void> onFrame(RealtimeSession session, SessionAudio audio, Buffer frame, Instant receivedAt) {
        String clientEventId = null;
        try {
            if (frame.length() > maxFrameBytes) {
                throw RealtimeError.invalid(RealtimeError.FRAME_TOO_LARGE,
                        "frames are limited to " + maxFrameBytes + " bytes", null);
            }
            var event = ServerEvents.parse(frame);
            if (!(event instanceof ObjectNode)) {
                throw RealtimeError.invalidEvent("a client event is a JSON object", null);
            }
            clientEventId = optionalText(event, "event_id", "event_id");
            String type = requiredText(event, "type", "type");
            type = BETA_ALIASES.getOrDefault(type, type);
            String eventId = clientEventId;
            return dispatch(session, audio, type, event, receivedAt)
                    .onFailure().recoverWithUni(failure -> replyError(session, failure, eventId));
        } catch (RuntimeException failure) {
            return replyError(session, failure, clientEventId);
        }
    }

    private Uni<Void> dispatch(RealtimeSession session, SessionAudio audio, String type, JsonNode event,
                               Instant receivedAt) {
        if (AUDIO_APPEND.equals(type)) {
            return append(audio, event, receivedAt);
        }
        if (AUDIO_COMMIT.equals(type)) {
            return commit(audio, event);
        }
        if (AUDIO_CLEAR.equals(type)) {
            String track = optionalTrack(event.get("voicecoach"));
            audio.clear(track);
            return session.send(ServerEvents.audioCleared(track));
        }
        if (SESSION_UPDATE.equals(type)) {
            return sessionUpdate(session, audio, event);
        }
        if (ITEM_CREATE.equals(type)) {
            return itemCreate(session, event, receivedAt);
        }
        if (RESPONSE_CREATE.equals(type)) {
            return responseCreate(session, event);
        }
        if (RESPONSE_CANCEL.equals(type)) {
            return responseCancel(session, event);
        }
        if (NOT_IMPLEMENTED.contains(type)) {
            throw RealtimeError.invalid(RealtimeError.NOT_IMPLEMENTED, type + " is not supported by this gateway yet",
                    "type");
        }
        throw RealtimeError.invalid(RealtimeError.UNKNOWN_EVENT_TYPE, "unknown client event type: " + type, "type");
    }

    private Uni<Void> append(SessionAudio audio, JsonNode event, Instant receivedAt) {
        if (!audio.admitAppend()) {
            throw RealtimeError.invalid(RealtimeError.RATE_LIMIT_EXCEEDED, "more than " + audio.appendsPerSecond()
                    + " input_audio_buffer.append per second: this one was dropped", null);
        }
        String base64 = requiredText(event, "audio", "audio");
        if (base64.length() / 4 * 3 > maxAudioBytes + 2) {
            throw audioTooLarge();
        }
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw RealtimeError.invalid(RealtimeError.INVALID_AUDIO, "audio must be base64: " + e.getMessage(), "audio");
        }
        if (encoded.length > maxAudioBytes) {
            throw audioTooLarge();
        }
        String track = track(event.get("voicecoach"));
        try {
            audio.append(track, encoded, receivedAt);
        } catch (IllegalArgumentException e) {
            throw RealtimeError.invalid(RealtimeError.INVALID_AUDIO, e.getMessage(), "audio");
        }
        return Uni.createFrom().voidItem();
    }

    private RealtimeError audioTooLarge() {
        return RealtimeError.invalid(RealtimeError.AUDIO_CHUNK_TOO_LARGE,
                "one append may carry at most " + maxAudioBytes + " bytes of decoded audio", "audio");
    }

    private Uni<Void> commit(SessionAudio audio, JsonNode event) {
        var committed = audio.commit(optionalTrack(event.get("voicecoach")));
        if (committed.isEmpty()) {
            throw RealtimeError.invalid(RealtimeError.COMMIT_EMPTY, "the input audio buffer holds no audio to commit",
                    null);
        }
        return Uni.createFrom().voidItem();
    }

    /** Asks the voice agent for a reply; {@code response.created} and the rest come back on {@code agent.replies}. */
    private Uni<Void> responseCreate(RealtimeSession session, JsonNode event) {
        var response = event.get("response");
        if (response != null && !response.isNull() && !response.isObject()) {
            throw RealtimeError.invalidEvent("response must be an object", "response");
        }
        String instructions = response == null || response.isNull() ? null
                : optionalText(response, "instructions", "response.instructions");
        String responseId = Ids.response();
        session.responseActive(responseId);
        return publisher.responseRequested(session, new ResponseRequested(responseId, instructions))
                .onFailure().transform(failure -> {
                    LOG.errorf(failure, "response.requested of session %s not published", session.id());
                    return RealtimeError.internal("the response could not be requested, send it again");
                });
    }

    private Uni<Void> responseCancel(RealtimeSession session, JsonNode event) {
        String responseId = optionalText(event, "response_id", "response_id");
        if (responseId == null) {
            responseId = session.activeResponseId();
        }
        if (responseId == null) {
            throw RealtimeError.invalid(RealtimeError.CANCEL_NOT_ACTIVE, "there is no active response to cancel",
                    "response_id");
        }
        session.responseEnded(responseId);
        return publisher.responseCancelRequested(session, new ResponseCancelRequested(responseId, CANCELLED_BY_CLIENT))
                .onFailure().transform(failure -> {
                    LOG.errorf(failure, "response.cancel_requested of session %s not published", session.id());
                    return RealtimeError.internal("the cancellation could not be sent, send it again");
                });
    }

    private Uni<Void> sessionUpdate(RealtimeSession session, SessionAudio audio, JsonNode event) {
        if (!(event.get("session") instanceof ObjectNode update)) {
            throw RealtimeError.invalidEvent("session.update needs a session object", "session");
        }
        String sessionType = optionalText(update, "type", "session.type");
        if (sessionType != null && !"realtime".equals(sessionType)) {
            throw RealtimeError.invalidEvent("only realtime sessions are supported", "session.type");
        }
        var settings = mergeSettings(session, update.get("voicecoach"));
        if (session.startRequested() && !settings.sameIdentity(session.settings())) {
            throw RealtimeError.invalidEvent(
                    "voicecoach.mode, call_id, rep_id and role cannot change once the session has started", "session.voicecoach");
        }
        var format = AudioSettings.format(update, session.inputFormat());
        var turnDetection = AudioSettings.turnDetection(update, session.turnDetection());
        var transcription = transcription(update, session.transcription());
        String instructions = update.has("instructions") ? optionalText(update, "instructions", "session.instructions")
                : session.instructions();
        boolean wasStarted = session.startRequested();
        session.configure(settings);
        session.configureAudio(format, turnDetection);
        session.configureTranscription(transcription);
        audio.reconfigure();
        session.mergeRealtimeFields(update, GATEWAY_OWNED_FIELDS);
        publisher.ensureStarted(session).subscribe().with(
                ok -> { },
                failure -> LOG.warnf("session.started of %s not published: %s", session.id(), failure.getMessage()));
        if (!wasStarted) {
            // session.started carried the mode and metadata
            session.announce(new SessionUpdated(settings.mode(), null, null, List.of(), null, settings.metadata()));
        }
        announceUpdate(session, settings, transcription, instructions);
        snapshots.write(session);
        return session.send(ServerEvents.sessionUpdated(session));
    }

    /** Publishes {@code session.updated} on Kafka when what the pipeline uses changed. */
    private void announceUpdate(RealtimeSession session, SessionSettings settings, TranscriptionOptions transcription,
                                String instructions) {
        var metadata = settings.metadata();
        if (transcription.prompt() != null) {
            var withPrompt = new LinkedHashMap<>(metadata);
            withPrompt.put(PROMPT_METADATA_KEY, transcription.prompt());
            metadata = Map.copyOf(withPrompt);
        }
        var updated = new SessionUpdated(settings.mode(), transcription.engine(), transcription.language(),
                transcription.phrases(), instructions, metadata);
        if (session.announce(updated)) {
            publisher.updated(session, updated).subscribe().with(ok -> { },
                    failure -> LOG.warnf("session.updated of %s not published: %s", session.id(), failure.getMessage()));
        }
    }

    /**
     * {@code audio.input.transcription} (GA) or {@code input_audio_transcription} (beta): {@code {model, language,
     * prompt}} or null (transcription by the tenant's default engine); {@code voicecoach.phrases}: strings.
     */
    private static TranscriptionOptions transcription(ObjectNode update, TranscriptionOptions current) {
        var result = current;
        var input = update.path("audio").path("input");
        JsonNode node = null;
        String param = null;
        if (input.isObject() && input.has("transcription")) {
            node = input.get("transcription");
            param = "session.audio.input.transcription";
        } else if (update.has("input_audio_transcription")) {
            node = update.get("input_audio_transcription");
            param = "session.input_audio_transcription";
        }
        if (node != null) {
            if (node.isNull()) {
                result = new TranscriptionOptions(null, null, null, current.phrases());
            } else if (!node.isObject()) {
                throw RealtimeError.invalidEvent("transcription must be an object or null", param);
            } else {
                result = new TranscriptionOptions(optionalText(node, "model", param + ".model"),
                        optionalText(node, "language", param + ".language"),
                        optionalText(node, "prompt", param + ".prompt"), current.phrases());
            }
        }
        var voicecoach = update.get("voicecoach");
        if (voicecoach != null && voicecoach.has("phrases")) {
            result = result.withPhrases(phrases(voicecoach.get("phrases")));
        }
        return result;
    }

    private static List<String> phrases(JsonNode node) {
        String param = "session.voicecoach.phrases";
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_PHRASES) {
            throw RealtimeError.invalidEvent("phrases must be an array of at most " + MAX_PHRASES + " strings", param);
        }
        var phrases = new ArrayList<String>();
        for (int i = 0; i < node.size(); i++) {
            var phrase = node.get(i);
            if (!phrase.isTextual() || phrase.textValue().isBlank() || phrase.textValue().length() > MAX_PHRASE_LENGTH) {
                throw RealtimeError.invalidEvent("each phrase is a string of 1 to " + MAX_PHRASE_LENGTH + " characters",
                        param + "[" + i + "]");
            }
            phrases.add(phrase.textValue());
        }
        return phrases;
    }

    private static SessionSettings mergeSettings(RealtimeSession session, JsonNode voicecoach) {
        var current = session.settings();
        if (voicecoach == null || voicecoach.isNull()) {
            return current;
        }
        if (!voicecoach.isObject()) {
            throw RealtimeError.invalidEvent("session.voicecoach must be an object", "session.voicecoach");
        }
        String mode = optionalText(voicecoach, "mode", "session.voicecoach.mode");
        if (mode != null && !SessionSettings.isMode(mode)) {
            throw RealtimeError.invalidEvent("mode must be coach or agent", "session.voicecoach.mode");
        }
        String callId = optionalText(voicecoach, "call_id", "session.voicecoach.call_id");
        String repId = optionalText(voicecoach, "rep_id", "session.voicecoach.rep_id");
        String role = optionalText(voicecoach, "role", "session.voicecoach.role");
        if (role != null && !SessionSettings.REP.equals(role) && !SessionSettings.CUSTOMER.equals(role)) {
            throw RealtimeError.invalidEvent("role must be rep or customer", "session.voicecoach.role");
        }
        if (callId != null && (callId.isBlank() || callId.length() > MAX_CALL_ID_LENGTH)) {
            throw RealtimeError.invalidEvent("call_id must be 1 to " + MAX_CALL_ID_LENGTH + " characters",
                    "session.voicecoach.call_id");
        }
        var metadata = voicecoach.has("metadata") ? metadata(voicecoach.get("metadata")) : current.metadata();
        return new SessionSettings(mode != null ? mode : current.mode(), callId != null ? callId : current.callId(),
                repId != null ? repId : current.repId(), metadata, role != null ? role : current.role());
    }

    private static Map<String, String> metadata(JsonNode node) {
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw RealtimeError.invalidEvent("metadata must be an object of strings", "session.voicecoach.metadata");
        }
        var metadata = new LinkedHashMap<String, String>();
        node.properties().forEach(field -> {
            if (!field.getValue().isTextual()) {
                throw RealtimeError.invalidEvent("metadata values must be strings",
                        "session.voicecoach.metadata." + field.getKey());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        });
        return Map.copyOf(metadata);
    }

    private Uni<Void> itemCreate(RealtimeSession session, JsonNode event, Instant receivedAt) {
        if (!(event.get("item") instanceof ObjectNode item)) {
            throw RealtimeError.invalidEvent("conversation.item.create needs an item object", "item");
        }
        String itemType = optionalText(item, "type", "item.type");
        if (!"message".equals(itemType)) {
            throw RealtimeError.invalidEvent("only message items are supported", "item.type");
        }
        String role = optionalText(item, "role", "item.role");
        if (role != null && !"user".equals(role)) {
            throw RealtimeError.invalidEvent("only user messages are supported", "item.role");
        }
        var content = inputText(item.get("content"));
        String track = track(event.get("voicecoach"));
        String clientItemId = optionalText(item, "id", "item.id");
        String itemId = clientItemId != null ? clientItemId : Ids.item();

        long offsetMs = session.offsetMillis(receivedAt);
        var transcript = new Transcript(itemId, track, joinedText(content), true, offsetMs, offsetMs, 1.0, TEXT_ENGINE,
                receivedAt);
        String previousItemId = session.lastItemId();
        session.itemAdded(itemId);
        var created = ServerEvents.itemCreated(previousItemId, ServerEvents.messageItem(itemId, "user", content));
        return publisher.transcript(session, transcript, clientItemId != null)
                .onFailure().transform(failure -> {
                    LOG.errorf(failure, "transcript of session %s not published", session.id());
                    return RealtimeError.internal("the item could not be stored, send it again");
                })
                .chain(() -> session.send(created));
    }

    /** The content parts, normalised; each must be {@code input_text} with non-blank text. */
    private static ArrayNode inputText(JsonNode content) {
        if (!(content instanceof ArrayNode parts) || parts.isEmpty()) {
            throw RealtimeError.invalidEvent("item.content must be a non-empty array", "item.content");
        }
        var normalised = ServerEvents.JSON.createArrayNode();
        for (int i = 0; i < parts.size(); i++) {
            var part = parts.get(i);
            String param = "item.content[" + i + "]";
            if (!part.isObject() || !"input_text".equals(optionalText(part, "type", param + ".type"))) {
                throw RealtimeError.invalidEvent("only input_text content is supported", param + ".type");
            }
            String text = optionalText(part, "text", param + ".text");
            if (text == null || text.isBlank()) {
                throw RealtimeError.invalidEvent("input_text needs a non-empty text", param + ".text");
            }
            normalised.addObject().put("type", "input_text").put("text", text);
        }
        return normalised;
    }

    private static String joinedText(ArrayNode content) {
        var text = new StringBuilder();
        content.forEach(part -> text.append(text.isEmpty() ? "" : " ").append(part.get("text").textValue()));
        return text.toString();
    }

    private static String track(JsonNode voicecoach) {
        String track = optionalTrack(voicecoach);
        return track == null ? Track.CUSTOMER : track;
    }

    /** {@code voicecoach.track} of a client event, null when absent. */
    private static String optionalTrack(JsonNode voicecoach) {
        if (voicecoach == null || voicecoach.isNull() || !voicecoach.has("track")) {
            return null;
        }
        var track = voicecoach.get("track");
        if (!track.isTextual() || !Track.isValid(track.textValue())) {
            throw RealtimeError.invalid(RealtimeError.INVALID_TRACK, "track must be agent or customer",
                    "voicecoach.track");
        }
        return track.textValue();
    }

    private Uni<Void> replyError(RealtimeSession session, Throwable failure, String clientEventId) {
        if (!session.isOpen()) {
            // the connection closed (or was handed over) while the frame was handled: nobody to answer
            LOG.debugf("frame of session %s not answered, its connection closed: %s", session.id(), failure.toString());
            return Uni.createFrom().voidItem();
        }
        RealtimeError error;
        if (failure instanceof RealtimeError refused) {
            error = refused;
        } else {
            LOG.errorf(failure, "unexpected failure handling a frame of session %s", session.id());
            error = RealtimeError.internal("the event could not be processed");
        }
        Counter.builder("voicecoach.gateway.client.errors").tag("code", error.code())
                .description("Error events sent to clients").register(meters).increment();
        return session.send(ServerEvents.error(error, clientEventId));
    }

    static String requiredText(JsonNode node, String field, String param) {
        String value = optionalText(node, field, param);
        if (value == null) {
            throw RealtimeError.invalidEvent("missing " + param, param);
        }
        return value;
    }

    /** The field's text, null when absent or JSON null; any other non-string is refused. */
    static String optionalText(JsonNode node, String field, String param) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw RealtimeError.invalidEvent(param + " must be a string", param);
        }
        return value.textValue();
    }

    /** UTF-8 size above {@code limit}, without encoding when the character count already decides. */
}
