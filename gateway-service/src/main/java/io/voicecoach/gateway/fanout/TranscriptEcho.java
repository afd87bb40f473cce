package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.ws.ServerEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.function.Function;

/**
 * Echoes speech-to-text results as Realtime input-audio transcription events ({@code .delta}, {@code .completed},
 * {@code .failed}) to the session they belong to and to the rep connections of its call (so a rep sees the customer
 * leg's words). Typed text ({@code engine=text}) came from the client itself and is not echoed. Frames are queued on
 * the connections without waiting for slow clients.
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
        try {
            var envelope = EventJson.decode(record.getPayload());
            switch (envelope.type()) {
                case EventTypes.TRANSCRIPT_FINAL, EventTypes.TRANSCRIPT_PARTIAL -> {
                    var transcript = envelope.payloadAs(Transcript.class);
                    if (transcript.utteranceId() == null || transcript.text() == null) {
                        throw new InvalidEventException("transcript without utteranceId or text");
                    }
                    if (!TYPED_TEXT.equals(transcript.engine())) {
                        echo(envelope, session -> frame(session, transcript));
                    }
                }
                case EventTypes.TRANSCRIPT_FAILED -> {
                    var failed = envelope.payloadAs(TranscriptFailed.class);
                    if (failed.utteranceId() == null) {
                        throw new InvalidEventException("transcript.failed without utteranceId");
                    }
                    echo(envelope, session -> {
                        session.itemTranscribed(failed.utteranceId());
                        return ServerEvents.transcriptionFailed(failed.utteranceId(),
                                failed.code() == null ? "engine_error" : failed.code(), failed.message());
                    });
                }
                default -> {
                }
            }
        } catch (InvalidEventException e) {
            LOG.warnf("skipping undecodable transcript record: %s", e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        }
        return Uni.createFrom().completionStage(record::ack);
    }

    /** {@code frame} may return null: nothing to send to that session. */
    private void echo(Envelope envelope, Function<RealtimeSession, String> frame) {
        for (var session : calls.recipients(envelope.tenantId(), envelope.sessionId(), true)) {
            if (!session.firstTime(envelope.eventId().toString())) {
                continue;
            }
            String text = frame.apply(session);
            if (text != null) {
                session.sendReplayable(ServerEvents.eventIdOf(text), text, () -> { });
            }
        }
    }

    private static String frame(RealtimeSession session, Transcript transcript) {
        if (transcript.isFinal()) {
            session.itemTranscribed(transcript.utteranceId());
            return ServerEvents.transcriptionCompleted(transcript.utteranceId(), transcript.text());
        }
        String delta = session.partialDelta(transcript.utteranceId(), transcript.text());
        return delta == null || delta.isEmpty() ? null
                : ServerEvents.transcriptionDelta(transcript.utteranceId(), delta);
    }
}
