package io.voicecoach.events;

import java.util.List;
import java.util.Set;

/** Kafka topic names. Every record is keyed by session id so one session stays on one partition. */
public final class Topics {
    public static final String SESSIONS = "voice.sessions";
    public static final String AUDIO = "voice.audio";
    public static final String TRANSCRIPTS = "voice.transcripts";
    public static final String SUGGESTIONS = "coach.suggestions";
    public static final String AGENT_REPLIES = "agent.replies";
    /** The voice agent's replies as speech (transcription-service's speech stage), PCM16 24 kHz in base64. */
    public static final String AGENT_SPEECH = "agent.speech";
    public static final String TOOL_CALLS = "tool.calls";
    public static final String TOOL_RESULTS = "tool.results";
    /**
     * Compacted: the latest snapshot of each open gateway session (settings, tenant, which instance holds it), key =
     * session id, a tombstone once it ended. Any gateway instance resumes a session from it.
     */
    public static final String GATEWAY_SESSIONS = "gateway.sessions";
    /** Compacted: one liveness record per gateway instance, key = instance id. */
    public static final String GATEWAY_INSTANCES = "gateway.instances";
    /**
     * coaching-service's own, key = tenant id, a NUL, call id (not a session id): each leg of a call joining and
     * leaving, and the far-end speech a leg heard, for the task that holds the call's legs.
     */
    public static final String CALL_TALK = "coach.call.talk";
    /**
     * coaching-service's own, key = session id: another leg's far-end speech for this session, from the task that holds
     * the call's legs; read with {@link #TRANSCRIPTS}, so co-partitioned with it.
     */
    public static final String LEG_TALK = "coach.leg.talk";

    /**
     * The topics a consumer may read together. They all have the same partition count and every record is keyed by
     * session id, so partition {@code n} of each holds the same sessions and one instance owns all of a session's events.
     */
    public static final List<String> PIPELINE = List.of(SESSIONS, AUDIO, TRANSCRIPTS, SUGGESTIONS,
            AGENT_REPLIES, AGENT_SPEECH, TOOL_CALLS, TOOL_RESULTS, GATEWAY_SESSIONS, LEG_TALK);
    /**
     * Topics keyed by call (tenant and call id), not by session: never read together with the pipeline's. The same
     * partition count as the pipeline's all the same, each with a dead-letter twin.
     */
    public static final List<String> BY_CALL = List.of(CALL_TALK);
    /** Topics whose records are states, not events: cleanup.policy=compact, no dead-letter twin. */
    public static final Set<String> COMPACTED = Set.of(GATEWAY_SESSIONS, GATEWAY_INSTANCES);

    /** Poison messages of {@code topic} are parked here, with the error in record headers. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    private Topics() {
    }
}
