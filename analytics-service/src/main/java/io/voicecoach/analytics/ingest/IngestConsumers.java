package io.voicecoach.analytics.ingest;

import io.smallrye.common.annotation.Blocking;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The ingestion consumers (group {@code analytics-service}): each poll of a topic is one batch, applied in one
 * transaction; the offsets are committed once it is done.
 */
@ApplicationScoped
public class IngestConsumers {

    private final Ingestion ingestion;

    public IngestConsumers(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    /** session.started, session.updated, session.ended, suggestion.delivered */
    @Incoming("sessions")
    @Blocking
    public void sessions(ConsumerRecords<String, byte[]> records) {
        ingestion.consume(Topics.SESSIONS, records);
    }

    /** transcript.final, transcript.failed (partials are skipped) */
    @Incoming("transcripts")
    @Blocking
    public void transcripts(ConsumerRecords<String, byte[]> records) {
        ingestion.consume(Topics.TRANSCRIPTS, records);
    }

    /** coaching.suggestion, coaching.stage_changed, llm.usage, coaching.summary */
    @Incoming("suggestions")
    @Blocking
    public void suggestions(ConsumerRecords<String, byte[]> records) {
        ingestion.consume(Topics.SUGGESTIONS, records);
    }

    @Incoming("tool-calls")
    @Blocking
    public void toolCalls(ConsumerRecords<String, byte[]> records) {
        ingestion.consume(Topics.TOOL_CALLS, records);
    }

    @Incoming("tool-results")
    @Blocking
    public void toolResults(ConsumerRecords<String, byte[]> records) {
        ingestion.consume(Topics.TOOL_RESULTS, records);
    }

    /** agent.speech.audio_done, agent.speech.failed (audio chunks are skipped) */
    @Incoming("agent-speech")
    @Blocking
    public void agentSpeech(ConsumerRecords<String, byte[]> records) {
        ingestion.consume(Topics.AGENT_SPEECH, records);
    }
}
