package io.voicecoach.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.voicecoach.events.SpeechStarted;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.audio.AudioChunk;
import io.voicecoach.gateway.audio.AudioPublisher;
import io.voicecoach.gateway.audio.SttSettings;
import io.voicecoach.gateway.audio.TrackInput;
import io.voicecoach.gateway.audio.TurnDetectors;
import io.voicecoach.gateway.limits.AppendRate;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.TrackOption;
import io.voicecoach.gateway.session.Ids;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's input audio: one {@link TrackInput} per speaker track, the Realtime events they cause, and their chunks
 * on {@code voice.audio}, which wait for {@code session.started} to be acknowledged and then keep their order.
 * Track calls come from the connection's frames, one at a time; the started callback may come from a Kafka thread.
 */
public final class SessionAudio implements TrackInput.Listener {

    private static final Logger LOG = Logger.getLogger(SessionAudio.class);

    private final RealtimeSession session;
    private final SessionPublisher publisher;
    private final AudioPublisher audioOut;
    private final GatewayConfig config;
    private final TurnDetectors detectors;
    private final boolean realtimeEvents;
    private final Counter publishFailures;
    private final Counter audioRefused;
    private final AppendRate appendRate;
    private final Map<String, TrackInput> tracks = new LinkedHashMap<>();
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    /** Per track, the trace of its current utterance (README "Traces"). */
    private final Map<String, UtteranceTrace> traces = new LinkedHashMap<>();
    /** Where tracks created from now on start their clock (a session taken over continues its tracks'). */
    private Map<String, Long> trackStartMs = Map.of();
    private long otherTracksStartMs;
    private boolean startRequested;
    private boolean refusing;
    private boolean ready;
    private long seq;

    /** @param realtimeEvents false for transports that do not speak the Realtime protocol (telephony) */
    public SessionAudio(RealtimeSession session, SessionPublisher publisher, AudioPublisher audioOut,
                        GatewayConfig config, TurnDetectors detectors, MeterRegistry meters, boolean realtimeEvents) {
        this(session, publisher, audioOut, config, detectors, meters, realtimeEvents, null);
    }

    /** @param appendRate bounds the client's appends, null for none */
    public SessionAudio(RealtimeSession session, SessionPublisher publisher, AudioPublisher audioOut, GatewayConfig config,
                 TurnDetectors detectors, MeterRegistry meters, boolean realtimeEvents, AppendRate appendRate) {
        this.appendRate = appendRate;
        this.session = session;
        this.publisher = publisher;
        this.audioOut = audioOut;
        this.config = config;
        this.detectors = detectors;
        this.realtimeEvents = realtimeEvents;
        this.publishFailures = Counter.builder("voicecoach.gateway.audio.publish.failures")
                .description("Audio chunks Kafka did not take").register(meters);
        this.audioRefused = Counter.builder("voicecoach.gateway.audio.refused")
                .description("Appends (Realtime) or media frames (Twilio) dropped beyond the session's audio rate")
                .tag("transport", realtimeEvents ? "realtime" : "twilio").tag("reason", "audio_rate")
                .register(meters);
    }

    /** A chunk on its way to Kafka; {@code stt} is set on the first chunk of an utterance. */
    private record Outgoing(AudioChunk chunk, SttSettings stt, Context trace) {
    }

    private record UtteranceTrace(String utteranceId, Context context) {
    }

    /**
     * A session taken over from another instance: each track's clock continues at least where it had got to
     * ({@code positionsMs}, when the holder recorded them), and never behind {@code elapsedMs}, the session's age (a
     * real-time stream cannot have sent more), so offsets of new utterances never overlap earlier ones.
     */
    void continueTracks(Map<String, Long> positionsMs, long elapsedMs) {
        this.trackStartMs = Map.copyOf(positionsMs);
        this.otherTracksStartMs = elapsedMs;
    }

    /** Each track's position, ms. Call on the connection's thread. */
    Map<String, Long> positions() {
        var positions = new LinkedHashMap<String, Long>();
        tracks.forEach((name, input) -> positions.put(name, input.positionMs()));
        return positions;
    }

    /** True when the client may append now (takes one from its rate). */
    public boolean admitAppend() {
        if (appendRate == null || appendRate.tryAcquire()) {
            refusing = false;
            return true;
        }
        return false;
    }

    /**
     * True when {@code audioMillis} more audio keep the session within its audio rate (takes them from it); a refusal
     * is counted in {@code voicecoach.gateway.audio.refused}.
     */
    public boolean admitAudio(long audioMillis) {
        if (appendRate == null || appendRate.tryAcquireAudio(audioMillis)) {
            return true;
        }
        audioRefused.increment();
        return false;
    }

    /** True for the first refused append of a burst: the client is told its limits then. */
    boolean startRefusing() {
        boolean first = !refusing;
        refusing = true;
        return first;
    }

    int appendsPerSecond() {
        return appendRate == null ? Integer.MAX_VALUE : appendRate.perSecond();
    }

    /** The session's append rate, null when it has none. */
    AppendRate appendRate() {
        return appendRate;
    }

    /** Appends encoded audio (in the session's input format) to a track. */
    public void append(String track, byte[] encoded, Instant receivedAt) {
        track(track).append(encoded, receivedAt);
    }

    /** Applies the session's current format and turn detection to every track. */
    public void reconfigure() {
        var settings = session.settings();
        tracks.values().forEach(t -> t.configure(settings.inputFormat(), settings.turnDetection()));
    }

    /**
     * Commits the open utterance of one track, or of every track when {@code track} is null.
     *
     * @return the committed item ids; empty when there was nothing to commit
     */
    public List<String> commit(String track) {
        var committed = new ArrayList<String>();
        for (var input : selected(track)) {
            String itemId = input.itemId();
            if (input.commit()) {
                committed.add(itemId);
            }
        }
        return committed;
    }

    public void clear(String track) {
        selected(track).forEach(TrackInput::clear);
    }

    private List<TrackInput> selected(String track) {
        if (track == null) {
            return List.copyOf(tracks.values());
        }
        var input = tracks.get(track);
        return input == null ? List.of() : List.of(input);
    }

    private TrackInput track(String name) {
        var settings = session.settings();
        return tracks.computeIfAbsent(name, t -> new TrackInput(t, settings.inputFormat(), settings.turnDetection(),
                config.audioChunkMs(), config.maxUtteranceMs(), detectors, Ids::item, this,
                Math.max(otherTracksStartMs, trackStartMs.getOrDefault(t, 0L))));
    }

    @Override
    public void speechStarted(String track, String itemId, long audioStartMs) {
        notifyClient(new ServerEvent.SpeechStarted(audioStartMs, itemId, TrackOption.of(track)));
        var settings = session.settings();
        if (VoiceCoachSettings.AGENT.equals(settings.voicecoach().mode()) && settings.interruptResponse()) {
            // the caller talks over the voice agent: coaching cancels the reply (barge-in)
            publisher.speechStarted(session, new SpeechStarted(track, itemId, audioStartMs)).subscribe().with(ok -> { },
                    failure -> LOG.warnf("speech.started of %s not published: %s", session.id(), failure.getMessage()));
            // and the audio still playing stops here, the history keeps what was heard of it
            session.spoken().interrupt(System.nanoTime()).ifPresent(cut -> {
                AudioCuts.frames(session, cut).forEach(frame -> session.client().send(frame).subscribe().with(ok -> { },
                        failure -> { }));
                AudioCuts.publish(session, publisher, cut).subscribe().with(ok -> { }, failure -> LOG.warnf(
                        "item.truncated of %s not published: %s", session.id(), failure.getMessage()));
            });
        }
    }

    @Override
    public void speechStopped(String track, String itemId, long audioEndMs) {
        notifyClient(new ServerEvent.SpeechStopped(audioEndMs, itemId, TrackOption.of(track)));
    }

    @Override
    public void committed(String track, String itemId) {
        var item = ServerEvent.Item.message(itemId, ServerEvent.Item.USER, ServerEvent.Item.COMPLETED,
                List.of(new ServerEvent.InputAudio(null)), ServerEvent.ItemNotes.track(track));
        String previous = session.conversation().append(item);
        notifyClient(new ServerEvent.AudioCommitted(previous, itemId, TrackOption.of(track)));
        notifyClient(new ServerEvent.ItemCreated(previous, item));
        notifyClient(new ServerEvent.ItemAdded(previous, item));
        notifyClient(new ServerEvent.ItemDone(previous, item));
    }

    @Override
    public void chunk(AudioChunk chunk) {
        // the settings current when the utterance began travel with it, whichever transcription instance decodes it
        var transcription = session.settings().transcription();
        boolean requestStart;
        synchronized (this) {
            var outgoing = new Outgoing(chunk, chunk.first() ? new SttSettings(transcription.engine(),
                    transcription.language(), transcription.phrases()) : null, trace(chunk));
            if (ready) {
                send(outgoing);
                return;
            }
            waiting.add(outgoing);
            requestStart = !startRequested;
            startRequested = true;
        }
        if (requestStart) {
            publisher.ensureStarted(session).subscribe().with(ok -> drain(), this::startFailed);
        }
    }

    /** The trace of the chunk's utterance; its first chunk starts it. Under this object's lock. */
    private Context trace(AudioChunk chunk) {
        if (chunk.first()) {
            var started = new UtteranceTrace(chunk.utteranceId(),
                    audioOut.utteranceTrace(session.tenantId(), session.id(), chunk));
            traces.put(chunk.track(), started);
            return started.context();
        }
        var current = traces.get(chunk.track());
        return current != null && current.utteranceId().equals(chunk.utteranceId()) ? current.context() : null;
    }

    private synchronized void drain() {
        ready = true;
        while (!waiting.isEmpty()) {
            send(waiting.poll());
        }
    }

    private void startFailed(Throwable failure) {
        int dropped;
        synchronized (this) {
            dropped = waiting.size();
            waiting.clear();
            startRequested = false;
        }
        LOG.warnf("session.started of %s not published, %d audio chunks dropped: %s", session.id(), dropped,
                failure.getMessage());
        publishFailures.increment(dropped);
        var error = RealtimeError.internal("audio could not be published, send it again");
        notifyClient(ServerEvent.ErrorEvent.of(error, null));
    }

    /** Called in order, under this object's lock: the emitter keeps the order of subscription. */
    private void send(Outgoing outgoing) {
        var publication = audioOut.publish(session.tenantId(), session.id(), ++seq, outgoing.chunk(), outgoing.stt(),
                outgoing.trace());
        session.publication().published(publication)
                .subscribe().with(ok -> { }, failure -> {
                    publishFailures.increment();
                    LOG.warnf("audio chunk of %s not published: %s", session.id(), failure.getMessage());
                });
    }

    private void notifyClient(ServerEvent event) {
        if (!realtimeEvents || !session.client().isOpen()) {
            return;
        }
        session.client().send(RealtimeJson.frame(event)).subscribe().with(ok -> { },
                failure -> LOG.debugf("event not sent to %s: %s", session.id(), failure.getMessage()));
    }
}
