package io.voicecoach.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.voicecoach.gateway.realtime.ClientEvent;
import io.voicecoach.gateway.realtime.ConversationEvent;
import io.voicecoach.gateway.realtime.InputAudioEvent;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ResponseEvent;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.SessionEvent;
import io.voicecoach.gateway.session.RealtimeSession;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Binds each client frame to its {@link ClientEvent} and hands it to the handler of its family. Every refused frame
 * is answered with an {@code error} event (naming the client's {@code event_id}) and leaves the connection open.
 */
@ApplicationScoped
public class ClientEvents {

    private static final Logger LOG = Logger.getLogger(ClientEvents.class);

    private final SessionHandler sessions;
    private final InputAudioHandler inputAudio;
    private final ConversationHandler conversation;
    private final ResponseHandler responses;
    private final MeterRegistry meters;

    ClientEvents(SessionHandler sessions, InputAudioHandler inputAudio, ConversationHandler conversation,
                 ResponseHandler responses, MeterRegistry meters) {
        this.sessions = sessions;
        this.inputAudio = inputAudio;
        this.conversation = conversation;
        this.responses = responses;
        this.meters = meters;
    }

    /** Handles one text frame; the Uni completes once the reply (or error) was written. */
    public Uni<Void> onFrame(RealtimeSession session, SessionAudio audio, Buffer frame, Instant receivedAt) {
        // the transport has refused frames above voicecoach.limits.max-frame-bytes before they were read
        byte[] json = frame.getBytes();
        ClientEvent event;
        try {
            event = RealtimeJson.read(json);
        } catch (RealtimeError refused) {
            return replyError(session, refused, RealtimeJson.clientEventId(json));
        }
        try {
            return dispatch(new ClientContext(session, audio, receivedAt), event)
                    .onFailure().recoverWithUni(failure -> replyError(session, failure, event.eventId()));
        } catch (RuntimeException failure) {
            return replyError(session, failure, event.eventId());
        }
    }

    private Uni<Void> dispatch(ClientContext context, ClientEvent event) {
        return switch (event) {
            case SessionEvent session -> sessions.handle(context, session);
            case InputAudioEvent audio -> inputAudio.handle(context, audio);
            case ConversationEvent item -> conversation.handle(context, item);
            case ResponseEvent response -> responses.handle(context, response);
        };
    }

    private Uni<Void> replyError(RealtimeSession session, Throwable failure, String clientEventId) {
        if (!session.client().isOpen()) {
            // the connection closed (or was handed over) while the frame was handled: nobody to answer
            LOG.debugf("frame of session %s not answered, its connection closed: %s", session.id(), failure.toString());
            return Uni.createFrom().voidItem();
        }
        RealtimeError error;
        if (failure instanceof RealtimeError refused) {
            error = refused;
        } else {
            LOG.errorf(failure, "unexpected failure handling a frame of session %s", session.id());
            error = RealtimeError.internal("the event could not be processed");
        }
        Counter.builder("voicecoach.gateway.client.errors").tag("code", error.code())
                .description("Error events sent to clients").register(meters).increment();
        return session.client().send(RealtimeJson.frame(ServerEvent.ErrorEvent.of(error, clientEventId)));
    }
}
