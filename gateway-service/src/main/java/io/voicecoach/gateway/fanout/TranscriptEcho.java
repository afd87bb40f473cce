package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Transcript;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.ws.ServerEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Echoes speech-to-text transcripts as Realtime input-audio transcription events to the session they belong to and to
 * the rep connections of its call (so a rep sees the customer leg's words). Typed text ({@code engine=text}) came from
 * the client itself and is not echoed.
 */
@ApplicationScoped
public class TranscriptEcho {

    private static final Logger LOG = Logger.getLogger(TranscriptEcho.class);
    private static final String TYPED_TEXT = "text";

    private final CallDirectory calls;

    public TranscriptEcho(CallDirectory calls) {
        this.calls = calls;
    }

    @Incoming("transcripts-echo")
    public Uni<Void> onTranscript(Message<String> record) {
        Envelope envelope;
        Transcript transcript;
        try {
            envelope = EventJson.decode(record.getPayload());
            boolean isTranscript = EventTypes.TRANSCRIPT_FINAL.equals(envelope.type())
                    || EventTypes.TRANSCRIPT_PARTIAL.equals(envelope.type());
            if (!isTranscript) {
                return ack(record);
            }
            transcript = envelope.payloadAs(Transcript.class);
            if (transcript.utteranceId() == null || transcript.text() == null) {
                throw new InvalidEventException("transcript without utteranceId or text");
            }
        } catch (InvalidEventException e) {
            LOG.warnf("skipping undecodable transcript record: %s", e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        }
        if (TYPED_TEXT.equals(transcript.engine())) {
            return ack(record);
        }
        var echoes = calls.recipients(envelope.tenantId(), envelope.sessionId(), true).stream()
                .filter(session -> session.firstTime(envelope.eventId().toString()))
                .map(session -> session.send(frame(session, transcript))
                        .onFailure().invoke(failure -> LOG.debugf("transcript not echoed to %s: %s", session.id(),
                                failure.getMessage()))
                        .onFailure().recoverWithNull())
                .toList();
        if (echoes.isEmpty()) {
            return ack(record);
        }
        return Uni.join().all(echoes).andCollectFailures().replaceWithVoid()
                .onFailure().recoverWithNull()
                .chain(() -> ack(record));
    }

    private static String frame(RealtimeSession session, Transcript transcript) {
        if (transcript.isFinal()) {
            session.itemTranscribed(transcript.utteranceId());
            return ServerEvents.transcriptionCompleted(transcript.utteranceId(), transcript.text());
        }
        return ServerEvents.transcriptionDelta(transcript.utteranceId(),
                session.partialDelta(transcript.utteranceId(), transcript.text()));
    }

    private static Uni<Void> ack(Message<String> record) {
        return Uni.createFrom().completionStage(record::ack);
    }
}
