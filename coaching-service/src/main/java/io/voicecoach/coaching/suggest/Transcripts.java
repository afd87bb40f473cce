package io.voicecoach.coaching.suggest;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.Track;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code voice.transcripts}. Final transcripts are coached; partials and other types are acknowledged and
 * skipped; records that are not valid transcript events are nacked into {@code voice.transcripts.dlq}.
 * <p>
 * The returned Uni completes when the suggestion is on Kafka (or there is none), so the channel handles one
 * record at a time and a session's suggestions keep its transcripts' order, without blocking the polling thread.
 */
@ApplicationScoped
public class Transcripts {

    private static final Logger LOG = Logger.getLogger(Transcripts.class);

    private final Coach coach;

    public Transcripts(Coach coach) {
        this.coach = coach;
    }

    @Incoming("transcripts")
    public Uni<Void> onTranscript(Message<String> message) {
        Envelope event;
        Transcript transcript;
        try {
            event = EventJson.decode(message.getPayload());
            if (!EventTypes.TRANSCRIPT_FINAL.equals(event.type())) {
                return ack(message);
            }
            transcript = valid(event.payloadAs(Transcript.class));
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting transcript record: %s", e.getMessage());
            return Uni.createFrom().completionStage(message.nack(e));
        }
        return Uni.createFrom().deferred(() -> coach.onFinalTranscript(event, transcript))
                .onItemOrFailure().transformToUni((done, failure) -> {
                    if (failure == null) {
                        return ack(message);
                    }
                    LOG.errorf(failure, "coaching failed for transcript event %s", event.eventId());
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    private static Transcript valid(Transcript transcript) {
        if (transcript.text() == null) {
            throw new InvalidEventException("transcript.final without text");
        }
        if (!transcript.isFinal()) {
            throw new InvalidEventException("transcript.final with isFinal=false");
        }
        if (!Track.isValid(transcript.track())) {
            throw new InvalidEventException("transcript.final with unknown track " + transcript.track());
        }
        return transcript;
    }

    private static Uni<Void> ack(Message<String> message) {
        return Uni.createFrom().completionStage(message.ack());
    }
}
