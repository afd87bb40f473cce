package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.AgentAudioDelta;
import io.voicecoach.events.AgentAudioDone;
import io.voicecoach.events.AgentSpeechEvent;
import io.voicecoach.events.AgentSpeechFailed;
import io.voicecoach.events.Event;
import io.voicecoach.gateway.failover.FanoutAssignments;
import io.voicecoach.gateway.session.Delivery;
import io.voicecoach.gateway.session.FeedTopic;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Function;

/**
 * Forwards the voice agent's speech ({@code agent.speech}, from transcription-service's speech stage) to the session
 * it belongs to, as {@code response.output_audio.delta|done} and {@code response.output_audio_transcript.delta|done}
 * in the session's {@code audio.output.format}, when its output modalities include audio; a text-only session gets
 * nothing of it. A speech failure is an {@code error} (type {@code server_error}, the failure's code); the reply's text
 * came on {@code agent.replies} regardless. Replayable like the replies: a resuming client gets the audio it missed.
 * Every instance reads every partition; sessions held elsewhere, or by another tenant, are skipped.
 */
@ApplicationScoped
public class SpeechFanout implements FeedRoute {

    private static final Logger LOG = Logger.getLogger(SpeechFanout.class);

    private final SessionRegistry registry;
    private final RealtimeTraces traces;
    private final FanoutAssignments progress;
    private final SpeechFrames frames = new SpeechFrames();

    public SpeechFanout(SessionRegistry registry, RealtimeTraces traces, FanoutAssignments progress) {
        this.registry = registry;
        this.traces = traces;
        this.progress = progress;
    }

    @Incoming("agent-speech")
    public Uni<Void> onSpeech(Message<byte[]> record) {
        return FeedRoute.fanOut(this, record, progress, traces, LOG);
    }

    @Override
    public FeedTopic feed() {
        return FeedTopic.SPEECH;
    }

    @Override
    public List<Routed> route(Event<?> event) {
        if (!(event.payload() instanceof AgentSpeechEvent speech)) {
            return List.of();
        }
        var session = FeedRoute.ownSession(registry, event, "agent speech", LOG).orElse(null);
        return session == null ? List.of()
                : List.of(new Routed(session, new Delivery(event.eventId().toString(), frames(speech))));
    }

    /** The Realtime events of a speech event, built for the session when it is delivered. */
    private Function<RealtimeSession, List<String>> frames(AgentSpeechEvent speech) {
        return switch (speech) {
            case AgentAudioDelta delta -> session -> frames.delta(session, delta);
            case AgentAudioDone done -> session -> frames.done(session, done);
            case AgentSpeechFailed failed -> session -> frames.failed(session, failed);
        };
    }
}
