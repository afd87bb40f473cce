package io.voicecoach.gateway.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicecoach.events.Track;
import io.voicecoach.gateway.audio.InputAudioFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads Twilio Media Streams frames into {@link TwilioFrame}s and never throws: what cannot be used is an
 * {@link TwilioFrame.Ignored} with the reason. Text fields that are not strings, are blank or are longer than
 * {@link TwilioFrame#MAX_TEXT} count as absent.
 */
final class TwilioFrames {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TwilioFrames() {
    }

    /** Reads one text frame (UTF-8 JSON); never throws. */
    static TwilioFrame parse(byte[] frame) {
        JsonNode message;
        try {
            message = JSON.readTree(frame);
        } catch (IOException e) {
            return new TwilioFrame.Ignored("not JSON");
        }
        if (message == null || !message.isObject()) {
            return new TwilioFrame.Ignored("not a JSON object");
        }
        String event = text(message.path("event"));
        if (event == null) {
            return new TwilioFrame.Ignored("no event");
        }
        return switch (event) {
            case "connected", "dtmf" -> new TwilioFrame.Noted(event);
            case "mark" -> new TwilioFrame.Mark(text(message.path("mark").path("name")));
            case "start" -> start(message.path("start"));
            case "media" -> media(message.path("media"));
            case "stop" -> new TwilioFrame.Stop();
            default -> new TwilioFrame.Ignored("unknown event");
        };
    }

    private static TwilioFrame start(JsonNode start) {
        var format = start.path("mediaFormat");
        boolean supported = "audio/x-mulaw".equals(format.path("encoding").asText(null))
                && format.path("sampleRate").isIntegralNumber()
                && format.path("sampleRate").asLong() == InputAudioFormat.TELEPHONY_RATE
                && (format.path("channels").isMissingNode()
                || format.path("channels").isIntegralNumber() && format.path("channels").asLong() == 1);
        var parameters = start.path("customParameters");
        String streamSid = text(start.path("streamSid"));
        String callSid = text(start.path("callSid"));
        String callId = text(parameters.path("call_id"));
        callId = callId != null ? callId : callSid != null ? callSid : streamSid;
        return new TwilioFrame.Start(supported, text(parameters.path("api_key")), streamSid, callSid,
                text(start.path("accountSid")), callId, text(parameters.path("rep_id")), tracks(start.path("tracks")),
                "agent".equals(text(parameters.path("mode"))), text(parameters.path("voice")));
    }

    private static TwilioFrame media(JsonNode media) {
        String track = "outbound".equals(media.path("track").asText(null)) ? Track.AGENT : Track.CUSTOMER;
        var payload = media.path("payload");
        if (!payload.isTextual()) {
            return new TwilioFrame.Ignored("media payload not base64");
        }
        try {
            return new TwilioFrame.Media(track, Base64.getDecoder().decode(payload.textValue()));
        } catch (IllegalArgumentException e) {
            return new TwilioFrame.Ignored("media payload not base64");
        }
    }

    private static List<String> tracks(JsonNode tracks) {
        var mapped = new ArrayList<String>();
        for (var track : tracks.isArray() ? tracks : List.<JsonNode>of()) {
            if ("inbound".equals(track.asText(null)) && !mapped.contains(Track.CUSTOMER)) {
                mapped.add(Track.CUSTOMER);
            } else if ("outbound".equals(track.asText(null)) && !mapped.contains(Track.AGENT)) {
                mapped.add(Track.AGENT);
            }
        }
        return mapped.isEmpty() ? List.of(Track.CUSTOMER) : List.copyOf(mapped);
    }

    /** A string field of at most {@link TwilioFrame#MAX_TEXT} characters, not blank; else null. */
    private static String text(JsonNode field) {
        if (!field.isTextual() || field.textValue().isBlank() || field.textValue().length() > TwilioFrame.MAX_TEXT) {
            return null;
        }
        return field.textValue();
    }
}
