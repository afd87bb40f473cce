package io.voicecoach.gateway.realtime;

/**
 * A client event the gateway refuses; answered with an {@code error} server event, the connection stays open. Thrown
 * by a client event record's constructor while a frame is bound, its {@code param} names a field of that record (or is
 * null for the record itself): {@link RealtimeJson} puts the path of the record in front.
 */
public final class RealtimeError extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String SERVER_ERROR = "server_error";

    public static final String INVALID_JSON = "invalid_json";
    public static final String UNKNOWN_EVENT_TYPE = "unknown_event_type";
    public static final String INVALID_EVENT = "invalid_event";
    public static final String INVALID_TRACK = "invalid_track";
    /** A track the session declared it does not carry ({@code session.voicecoach.tracks}). */
    public static final String TRACK_NOT_CARRIED = "track_not_carried";
    public static final String FRAME_TOO_LARGE = "frame_too_large";
    public static final String NOT_IMPLEMENTED = "not_implemented";
    public static final String INVALID_AUDIO = "invalid_audio";
    /** OpenAI's code for a commit with nothing buffered. */
    public static final String COMMIT_EMPTY = "input_audio_buffer_commit_empty";
    public static final String AUDIO_CHUNK_TOO_LARGE = "audio_chunk_too_large";
    public static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";
    public static final String AUDIO_RATE_EXCEEDED = "audio_rate_exceeded";
    public static final String TENANT_RATE_LIMIT_EXCEEDED = "tenant_rate_limit_exceeded";
    public static final String ITEM_TEXT_TOO_LARGE = "item_text_too_large";
    public static final String IDLE_TIMEOUT = "idle_timeout";
    public static final String SESSION_LIMIT_REACHED = "session_limit_reached";
    public static final String INTERNAL_ERROR = "internal_error";
    /** A well-formed value this gateway does not serve; the rest of the event applies. */
    public static final String UNSUPPORTED_VALUE = "unsupported_value";
    public static final String ITEM_NOT_FOUND = "item_not_found";
    public static final String ITEM_NOT_TRUNCATABLE = "item_not_truncatable";
    /** An event the session's type does not take (a response in a transcription session). */
    public static final String INVALID_SESSION_TYPE = "invalid_session_type";
    /** OpenAI's code for {@code response.cancel} with no reply in progress. */
    public static final String CANCEL_NOT_ACTIVE = "response_cancel_not_active";

    /** Longest {@code error.message}. */
    public static final int MAX_MESSAGE = 300;

    private final String type;
    private final String code;
    private final String param;

    private RealtimeError(String type, String code, String message, String param) {
        super(bounded(message), null, false, false);
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /**
     * At most {@link #MAX_MESSAGE} chars: a message built from what the client sent (an unknown format name, Jackson's
     * description of a bad token) never repeats a whole frame back (ClientFrameFuzzTest).
     */
    private static String bounded(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    public static RealtimeError invalid(String code, String message, String param) {
        return new RealtimeError(INVALID_REQUEST, code, message, param);
    }

    public static RealtimeError invalidEvent(String message, String param) {
        return invalid(INVALID_EVENT, message, param);
    }

    public static RealtimeError internal(String message) {
        return new RealtimeError(SERVER_ERROR, INTERNAL_ERROR, message, null);
    }

    /** This error with its param read as relative to {@code path} (the JSON path of the object that refused). */
    RealtimeError under(String path) {
        String resolved = path.isEmpty() ? param : param == null ? path : path + "." + param;
        return new RealtimeError(type, code, getMessage(), resolved);
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }
}
