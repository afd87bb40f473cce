package io.voicecoach.events;

/** Kafka topic names. Every record is keyed by session id so one session stays on one partition. */
public final class Topics {
    public static final String SESSIONS = "voice.sessions";
    public static final String AUDIO = "voice.audio";
    public static final String TRANSCRIPTS = "voice.transcripts";
    public static final String SUGGESTIONS = "coach.suggestions";
    public static final String AGENT_REPLIES = "agent.replies";
    public static final String TOOL_CALLS = "tool.calls";
    public static final String TOOL_RESULTS = "tool.results";

    /** Poison messages of {@code topic} are parked here, with the error in record headers. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    private Topics() {
    }
}
