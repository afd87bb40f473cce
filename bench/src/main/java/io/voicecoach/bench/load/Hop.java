package io.voicecoach.bench.load;

/**
 * A measured stretch of the pipeline: what it spans and whose clocks it reads. "client" is this process's clock;
 * the ISO timestamps (gateway {@code received_at}, {@code transcript_at}, {@code suggested_at}) travel in the
 * suggestion frame; {@code suggestion.delivered} is read from Kafka; the gateway's own histogram from its
 * {@code /q/metrics}. Mixing the client's clock with a service's is exact only on one machine (the local suite).
 */
enum Hop {
    FRAME_TO_KAFKA("frame received -> audio chunk acknowledged by Kafka", "gateway /q/metrics histogram"),
    SPEECH_END_TO_STOPPED("speaker stops -> speech_stopped received", "client"),
    SPEECH_END_TO_COMMITTED("speaker stops -> input_audio_buffer.committed received", "client"),
    COMMITTED_TO_TRANSCRIPT_SEEN("committed received -> transcription.completed received", "client"),
    STOP_TO_GATEWAY_COMMIT("customer stops -> utterance committed (received_at)", "client + gateway"),
    SENT_TO_GATEWAY("typed turn sent -> gateway received it (received_at)", "client + gateway"),
    COMMIT_TO_TRANSCRIPT("utterance committed -> final transcript published", "gateway + transcription"),
    TEXT_TO_TRANSCRIPT("typed turn received -> transcript published", "gateway"),
    TRANSCRIPT_TO_SUGGESTION("final transcript -> suggestion on Kafka", "transcription/gateway + coaching"),
    SUGGESTION_TO_WRITTEN("suggestion on Kafka -> frame written to the WebSocket (suggestion.delivered)",
            "coaching + gateway, from Kafka"),
    SUGGESTION_TO_SCREEN("suggestion on Kafka -> suggestion frame received", "coaching + client"),
    TRANSCRIPT_TO_SCREEN("final transcript -> suggestion frame received", "transcription/gateway + client"),
    END_TO_END("customer stops speaking -> suggestion on screen", "client"),
    AGENT_CREATED("caller stops -> response.created", "client"),
    AGENT_FIRST_DELTA("caller stops -> first response text delta", "client"),
    AGENT_DONE("caller stops -> response.done", "client");

    final String span;
    final String clocks;

    Hop(String span, String clocks) {
        this.span = span;
        this.clocks = clocks;
    }
}
