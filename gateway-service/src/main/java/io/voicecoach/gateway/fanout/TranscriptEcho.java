package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.Event;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptEvent;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.gateway.failover.FanoutAssignments;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.ServerEvent.Item;
import io.voicecoach.gateway.session.Delivery;
import io.voicecoach.gateway.session.FeedTopic;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Function;

/**
 * Echoes speech-to-text results as Realtime input-audio transcription events ({@code .delta}, {@code .completed},
 * {@code .failed}) to the session they belong to and to the rep connections of its call (so a rep sees the customer
 * leg's words); a failure of no utterance (a refused engine) goes to its own session as an {@code error} event. Typed
 * text ({@code engine=text}) came from the client itself and is not echoed. Frames are queued on
 * the connections without waiting for slow clients.
 */
@ApplicationScoped
public class TranscriptEcho implements FeedRoute {

    private static final Logger LOG = Logger.getLogger(TranscriptEcho.class);
    private static final String TYPED_TEXT = "text";
    /** Where the client named the engine a session-level failure is about. */
    private static final String TRANSCRIPTION_MODEL = "session.audio.input.transcription.model";

    private final CallDirectory calls;
    private final RealtimeTraces traces;
    private final FanoutAssignments progress;

    public TranscriptEcho(CallDirectory calls, RealtimeTraces traces, FanoutAssignments progress) {
        this.calls = calls;
        this.traces = traces;
        this.progress = progress;
    }

    @Incoming("transcripts-echo")
    public Uni<Void> onTranscript(Message<byte[]> record) {
        return FeedRoute.fanOut(this, record, progress, traces, LOG);
    }

    @Override
    public FeedTopic feed() {
        return FeedTopic.TRANSCRIPTS;
    }

    @Override
    public List<Routed> route(Event<?> event) {
        if (!(event.payload() instanceof TranscriptEvent payload)) {
            return List.of();
        }
        return switch (payload) {
            case Transcript transcript -> {
                if (transcript.utteranceId() == null || transcript.text() == null) {
                    throw new InvalidEventException("transcript without utteranceId or text");
                }
                yield TYPED_TEXT.equals(transcript.engine()) ? typed(event, transcript)
                        : echo(event, session -> frame(session, event, transcript));
            }
            case TranscriptFailed failed -> failed(event, failed);
        };
    }

    private List<Routed> failed(Event<?> event, TranscriptFailed failed) {
        if (failed.utteranceId() == null) {
            return sessionFailure(event, failed);
        }
        String frame = RealtimeJson.frame(new ServerEvent.TranscriptionFailed(failed.utteranceId(),
                failed.code() == null ? "engine_error" : failed.code(), failed.message()));
        return echo(event, session -> {
            session.client().itemTranscribed(failed.utteranceId());
            return frame;
        });
    }

    /**
     * A failure of no utterance: the engine the session asked for is not allowed for its tenant or not available
     * ({@code engine_not_allowed}, {@code engine_unavailable}); the session itself gets an {@code error} event.
     */
    private List<Routed> sessionFailure(Event<?> event, TranscriptFailed failed) {
        if (failed.code() == null) {
            throw new InvalidEventException("transcript.failed without utteranceId or code");
        }
        String frame = RealtimeJson.frame(new ServerEvent.ErrorEvent(new ServerEvent.ErrorBody(
                RealtimeError.INVALID_REQUEST, failed.code(), failed.message(), TRANSCRIPTION_MODEL, null)));
        var delivery = Delivery.single(event.eventId().toString(), session -> frame);
        return calls.recipients(event.tenantId(), event.sessionId(), true).stream()
                .filter(session -> session.id().equals(event.sessionId()))
                .map(session -> new Routed(session, delivery)).toList();
    }

    /** {@code frame} may return null: nothing to send to that session. */
    private List<Routed> echo(Event<?> event, Function<RealtimeSession, String> frame) {
        var delivery = Delivery.single(event.eventId().toString(), frame);
        return calls.recipients(event.tenantId(), event.sessionId(), true).stream()
                .map(session -> new Routed(session, delivery)).toList();
    }

    /**
     * Typed text came from the client, which has its item: nothing to send, but a session taken over from another
     * instance learns the item from it when its snapshot was written before.
     */
    private List<Routed> typed(Event<?> event, Transcript transcript) {
        if (!transcript.isFinal()) {
            return List.of();
        }
        return calls.recipients(event.tenantId(), event.sessionId(), true).stream()
                .filter(session -> session.id().equals(event.sessionId()))
                .map(session -> new Routed(session, new Delivery(event.eventId().toString(), target -> {
                    if (target.conversation().find(transcript.utteranceId()).isEmpty()) {
                        target.conversation().append(Item.message(transcript.utteranceId(), Item.USER,
                                Item.COMPLETED, List.of(new ServerEvent.InputText(transcript.text())),
                                ServerEvent.ItemNotes.track(transcript.track())));
                    }
                    return List.of();
                }))).toList();
    }

    private static String frame(RealtimeSession session, Event<?> event, Transcript transcript) {
        if (transcript.isFinal()) {
            session.client().itemTranscribed(transcript.utteranceId());
            transcribed(session, event, transcript);
            return RealtimeJson.frame(new ServerEvent.TranscriptionCompleted(transcript.utteranceId(),
                    transcript.text()));
        }
        String delta = session.client().partialDelta(transcript.utteranceId(), transcript.text());
        return delta == null || delta.isEmpty() ? null
                : RealtimeJson.frame(new ServerEvent.TranscriptionDelta(transcript.utteranceId(), delta));
    }

    /**
     * The final transcript goes into the audio item (what {@code conversation.item.retrieve} shows); the session's own
     * item is added when this instance does not know it (committed on an instance that died before its snapshot).
     */
    private static void transcribed(RealtimeSession session, Event<?> event, Transcript transcript) {
        var content = List.<ServerEvent.Content>of(new ServerEvent.InputAudio(transcript.text()));
        var updated = session.conversation().update(transcript.utteranceId(),
                item -> item.withContent(Item.COMPLETED, content));
        if (updated.isEmpty() && session.id().equals(event.sessionId())) {
            session.conversation().append(Item.message(transcript.utteranceId(), Item.USER, Item.COMPLETED, content,
                    ServerEvent.ItemNotes.track(transcript.track())));
        }
    }
}
