package io.voicecoach.gateway.ws;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.limits.RequestRates;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ResponseEvent;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.ServerEvent.Response;
import io.voicecoach.gateway.session.Ids;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * {@code response.create|cancel}. Every accepted {@code response.create} is answered by a {@code response.created}
 * and, later, a {@code response.done}: in an agent-mode session the voice agent's (requested on
 * {@code voice.sessions}, answered on {@code agent.replies}); in a coach-mode session, which has no voice agent, the
 * gateway's own, {@code failed} ({@code voice_agent_not_enabled}); for the out-of-band coaching request
 * ({@code conversation: "none"}, {@code metadata.voicecoach: "coaching"}) the gateway's, {@code completed} and empty,
 * after which every coaching suggestion also comes as an out-of-band response carrying that metadata. A request this
 * gateway cannot serve gets an {@code error} and no response.
 */
@ApplicationScoped
class ResponseHandler implements ClientEventHandler<ResponseEvent> {

    private static final Logger LOG = Logger.getLogger(ResponseHandler.class);
    static final String CANCELLED_BY_CLIENT = "client";
    static final String NO_VOICE_AGENT = "voice_agent_not_enabled";

    private final SessionPublisher publisher;
    private final SessionSnapshots snapshots;
    private final RequestGate gate;

    ResponseHandler(SessionPublisher publisher, SessionSnapshots snapshots, RequestGate gate) {
        this.gate = gate;
        this.publisher = publisher;
        this.snapshots = snapshots;
    }

    @Override
    public Uni<Void> handle(ClientContext context, ResponseEvent event) {
        return switch (event) {
            case ResponseEvent.Create create -> create(context, create);
            case ResponseEvent.Cancel cancel -> cancel(context, cancel);
            case ResponseEvent.ClearOutputAudio clear -> clear(context);
        };
    }

    private Uni<Void> create(ClientContext context, ResponseEvent.Create create) {
        var session = context.session();
        var options = create.response();
        if (session.settings().transcriptionOnly()) {
            throw RealtimeError.invalid(RealtimeError.INVALID_SESSION_TYPE,
                    "a transcription session gives no responses", "type");
        }
        var unsupported = options.unsupported();
        if (unsupported != null) {
            throw unsupported;
        }
        gate.admit(context, RequestRates.Kind.RESPONSES);
        if (options.asksForCoaching()) {
            return coachingResponses(session, options);
        }
        if (!VoiceCoachSettings.AGENT.equals(session.settings().voicecoach().mode())) {
            return noVoiceAgent(session);
        }
        String responseId = Ids.response();
        session.conversation().responseActive(responseId);
        return publisher.responseRequested(session, new ResponseRequested(responseId, options.instructions()))
                .onFailure().transform(failure -> {
                    LOG.errorf(failure, "response.requested of session %s not published", session.id());
                    return RealtimeError.internal("the response could not be requested, send it again");
                });
    }

    /** From now on suggestions also come as out-of-band responses; this request's own response is empty. */
    private Uni<Void> coachingResponses(RealtimeSession session, ResponseEvent.Options options) {
        session.configure(session.settings().withCoachingResponses(options.metadata()));
        snapshots.write(session);
        String responseId = Ids.response();
        var client = session.client();
        client.send(RealtimeJson.frame(new ServerEvent.ResponseCreated(Response.inProgress(responseId, null,
                options.metadata(), null)))).subscribe().with(ok -> { }, failure -> { });
        return client.send(RealtimeJson.frame(new ServerEvent.ResponseDone(Response.ended(responseId,
                Response.COMPLETED, null, null, List.of(), options.metadata(), null))));
    }

    private Uni<Void> noVoiceAgent(RealtimeSession session) {
        String responseId = Ids.response();
        var client = session.client();
        client.send(RealtimeJson.frame(new ServerEvent.ResponseCreated(Response.inProgress(responseId,
                session.conversationId(), null, null)))).subscribe().with(ok -> { }, failure -> { });
        var details = new ServerEvent.StatusDetails(Response.FAILED, null, new ServerEvent.EngineError(
                RealtimeError.INVALID_REQUEST, NO_VOICE_AGENT, "a coach-mode session has no voice agent: set "
                + "session.voicecoach.mode to agent for replies", null));
        return client.send(RealtimeJson.frame(new ServerEvent.ResponseDone(Response.ended(responseId, Response.FAILED,
                details, session.conversationId(), List.of(), null, null))));
    }

    /**
     * {@code output_audio_buffer.clear}: the audio playing stops (its next chunk is not sent), the client gets
     * {@code output_audio_buffer.cleared} and {@code conversation.item.truncated} at the estimated position, the
     * words heard go to coaching ({@code item.truncated}), and a reply still being given is cancelled. Nothing playing:
     * {@code output_audio_buffer.cleared} without a response id.
     */
    private Uni<Void> clear(ClientContext context) {
        var session = context.session();
        var cut = session.spoken().interrupt(System.nanoTime());
        if (cut.isEmpty()) {
            return session.client().send(RealtimeJson.frame(new ServerEvent.OutputAudioBufferCleared(null)));
        }
        String active = session.conversation().activeResponseId();
        Uni<Void> cancelled = Uni.createFrom().voidItem();
        if (active != null) {
            session.conversation().responseEnded(active);
            cancelled = publisher.responseCancelRequested(session, new ResponseCancelRequested(active,
                    CANCELLED_BY_CLIENT));
        }
        var frames = AudioCuts.frames(session, cut.get());
        return cancelled.chain(() -> AudioCuts.publish(session, publisher, cut.get()))
                .chain(() -> session.client().send(frames.get(0)))
                .chain(() -> session.client().send(frames.get(1)));
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
