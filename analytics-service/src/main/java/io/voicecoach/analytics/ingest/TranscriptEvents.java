package io.voicecoach.analytics.ingest;

import io.smallrye.common.annotation.Blocking;
import io.voicecoach.analytics.live.LiveCall;
import io.voicecoach.analytics.live.LiveUpdate;
import io.voicecoach.analytics.store.UtteranceRow;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import static io.voicecoach.analytics.ingest.Payloads.required;

/** {@code voice.transcripts}: final transcripts become utterances; partials are skipped. */
@ApplicationScoped
public class TranscriptEvents {

    private final EventGate gate;
    private final Event<LiveUpdate> live;
    private final ActivityRecords records;

    public TranscriptEvents(EventGate gate, Event<LiveUpdate> live, ActivityRecords records) {
        this.gate = gate;
        this.live = live;
        this.records = records;
    }

    @Incoming("transcripts")
    @Blocking
    @Transactional
    public void onEvent(String value) {
        var event = EventJson.decode(value);
        switch (event.type()) {
            case EventTypes.TRANSCRIPT_FINAL -> utterance(event, event.payloadAs(Transcript.class));
            case EventTypes.TRANSCRIPT_FAILED -> failure(event, event.payloadAs(TranscriptFailed.class));
            default -> gate.skipped(Topics.TRANSCRIPTS, event);
        }
    }

    private void failure(Envelope event, TranscriptFailed failed) {
        required(failed.code(), "code", event.type());
        gate.admit(Topics.TRANSCRIPTS, event).ifPresent(session -> records.transcriptionFailure(event, failed));
    }

    private void utterance(Envelope event, Transcript transcript) {
        String utteranceId = required(transcript.utteranceId(), "utteranceId", event.type());
        if (!Track.isValid(transcript.track())) {
            throw new InvalidEventException(event.type() + " with unknown track " + transcript.track());
        }
        gate.admit(Topics.TRANSCRIPTS, event).ifPresent(session -> {
            // a final re-published (say, after a transcription pod restarted) replaces the earlier one
            var row = UtteranceRow.find(session.tenantId, session.sessionId, utteranceId).orElseGet(() -> {
                var created = new UtteranceRow();
                created.tenantId = session.tenantId;
                created.sessionId = session.sessionId;
                created.utteranceId = utteranceId;
                return created;
            });
            row.eventId = event.eventId();
            row.track = transcript.track();
            row.text = transcript.text() == null ? "" : transcript.text();
            row.startMs = transcript.startMs();
            row.endMs = transcript.endMs();
            row.confidence = transcript.confidence();
            row.engine = transcript.engine();
            row.receivedAt = transcript.receivedAt();
            row.publishedAt = event.occurredAt();
            row.persist();
            live.fire(LiveUpdate.utterance(session.tenantId, session.sessionId, event.occurredAt(),
                    new LiveCall.LatestUtterance(utteranceId, row.track, row.text, row.startMs, row.endMs)));
        });
    }
}
