package io.voicecoach.gateway.ws;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.ResponseEvent;
import io.voicecoach.gateway.session.Ids;
import io.voicecoach.gateway.session.SessionPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * {@code response.create|cancel}: requests to the voice agent on {@code voice.sessions}; {@code response.created}
 * and the rest come back on {@code agent.replies}.
 */
@ApplicationScoped
class ResponseHandler implements ClientEventHandler<ResponseEvent> {

    private static final Logger LOG = Logger.getLogger(ResponseHandler.class);
    static final String CANCELLED_BY_CLIENT = "client";

    private final SessionPublisher publisher;

    ResponseHandler(SessionPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Uni<Void> handle(ClientContext context, ResponseEvent event) {
        return switch (event) {
            case ResponseEvent.Create create -> create(context, create);
            case ResponseEvent.Cancel cancel -> cancel(context, cancel);
        };
    }

    private Uni<Void> create(ClientContext context, ResponseEvent.Create create) {
        var session = context.session();
        String instructions = create.response() == null ? null : create.response().instructions();
        String responseId = Ids.response();
        session.conversation().responseActive(responseId);
        return publisher.responseRequested(session, new ResponseRequested(responseId, instructions))
                .onFailure().transform(failure -> {
                    LOG.errorf(failure, "response.requested of session %s not published", session.id());
                    return RealtimeError.internal("the response could not be requested, send it again");
                });
    }

    private Uni<Void> cancel(ClientContext context, ResponseEvent.Cancel cancel) {
        var session = context.session();
        String responseId = cancel.responseId() != null ? cancel.responseId()
                : session.conversation().activeResponseId();
        if (responseId == null) {
            throw RealtimeError.invalid(RealtimeError.CANCEL_NOT_ACTIVE, "there is no active response to cancel",
                    "response_id");
        }
        session.conversation().responseEnded(responseId);
        return publisher.responseCancelRequested(session, new ResponseCancelRequested(responseId, CANCELLED_BY_CLIENT))
                .onFailure().transform(failure -> {
                    LOG.errorf(failure, "response.cancel_requested of session %s not published", session.id());
                    return RealtimeError.internal("the cancellation could not be sent, send it again");
                });
    }
}
