package io.voicecoach.events;

/**
 * Header names of {@link Topics#AUDIO} records. The value is raw PCM16 little-endian mono at
 * {@link #SAMPLE_RATE} Hz; everything else about the chunk travels in these headers as UTF-8 strings.
 */
public final class AudioHeaders {
    public static final int SAMPLE_RATE = 16_000;

    public static final String EVENT_ID = "vc-event-id";
    public static final String TENANT_ID = "vc-tenant-id";
    public static final String SESSION_ID = "vc-session-id";
    public static final String TRACK = "vc-track";
    public static final String SEQ = "vc-seq";
    /** Offset of the chunk's first sample from the start of its track, in milliseconds. */
    public static final String OFFSET_MS = "vc-offset-ms";
    /** Set on the last chunk of an utterance the gateway's VAD or the client committed. */
    public static final String COMMIT = "vc-commit";
    public static final String UTTERANCE_ID = "vc-utterance-id";
    /** ISO-8601 instant the gateway received the frame. */
    public static final String RECEIVED_AT = "vc-received-at";

    /*
     * The session's speech-to-text settings, on the first chunk of every utterance: the utterance is decoded with the
     * settings that were current when it began, whichever transcription instance owns the partition. Absent headers
     * mean the tenant's defaults.
     */
    /** Engine name as the client asked for it ({@code session.update} transcription model). */
    public static final String STT_ENGINE = "vc-stt-engine";
    /** BCP-47 language, e.g. {@code en-US}. */
    public static final String LANGUAGE = "vc-language";
    /** The session's own phrase list as a JSON array of strings (the tenant's phrases are added to it). */
    public static final String PHRASES = "vc-stt-phrases";

    private AudioHeaders() {
    }
}
