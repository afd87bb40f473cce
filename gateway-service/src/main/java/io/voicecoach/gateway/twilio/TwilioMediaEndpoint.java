package io.voicecoach.gateway.twilio;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.audio.AudioPublisher;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.audio.TurnDetectors;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.limits.AppendRate;
import io.voicecoach.gateway.limits.ConnectionCounts;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.session.ClientChannel;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.TranscriptionOptions;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.Revocations;
import io.voicecoach.gateway.ws.ClientAddressCheck;
import io.voicecoach.gateway.ws.RealtimeEndpoint;
import io.voicecoach.gateway.ws.SessionAudio;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Twilio Media Streams ({@code <Connect><Stream url="wss://.../v1/twilio/media">}): one WebSocket per call leg.
 * The {@code start} frame's {@code customParameters.api_key} authenticates the tenant; {@code media} frames (G.711
 * mu-law, 8 kHz, 20 ms) of the {@code inbound} track become the {@code customer} track, {@code outbound} the
 * {@code agent} track, and go through the same decoding, resampling, turn detection and chunking as Realtime audio.
 * The stream's session joins call {@code customParameters.call_id} (else the call SID), so suggestions reach the rep's
 * connections of that call. {@code stop} or a close ends the session. With {@code customParameters.mode=agent} the
 * voice agent answers the caller: its speech goes back as {@code media} frames with {@code mark}s, server VAD hearing
 * the caller over it sends {@code clear}, and Twilio's mark echoes say how far the caller heard it ({@link TwilioOut}).
 *
 * <p>Before {@code start} is authenticated a socket costs little: it must send {@code start} within
 * {@code voicecoach.limits.twilio-start-timeout}, its frames may not exceed {@code twilio-preauth-max-frame-bytes}, at
 * most {@code twilio-max-pending-frames} wait for the key check, and one remote IP holds at most
 * {@code unauthenticated-sockets-per-ip} such sockets. An authenticated stream is a session like a Realtime one: the
 * tenant's session limit, the idle timeout, the append rate and the audio rate ({@code max-audio-rate} per track after
 * {@code audio-rate-burst} per track) apply; media beyond a rate is dropped, the stream stays open.
 */
@Singleton
@WebSocket(path = "/v1/twilio/media", endpointId = TwilioMediaEndpoint.ID)
public class TwilioMediaEndpoint {

    public static final String ID = "twilio-media";
    /** Close code for a missing, unknown or revoked API key in {@code start} (RFC 6455 policy violation). */
    public static final int POLICY_VIOLATION = 1008;
    /** Close code for a media format other than audio/x-mulaw 8000 Hz mono (RFC 6455 unsupported data). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Close code for a frame above the pre-authentication cap (RFC 6455 message too big). */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Close code for a stream whose {@code start} was not authenticated within the start timeout. */
    public static final int START_TIMEOUT = 4008;
    /** Close code for the per-IP cap on unauthenticated sockets, or the tenant's session limit (see the reason). */
    public static final int LIMIT_REACHED = 4029;
    static final String START_TIMEOUT_REASON = "start_timeout";
    static final String FRAME_TOO_LARGE_REASON = "frame_too_large";
    static final String CONNECTION_LIMIT_REASON = "connection_limit_reached";
    static final String SESSION_LIMIT_REASON = "session_limit_reached";
    static final String CLIENT_CLOSED = "client_closed";

    private static final Logger LOG = Logger.getLogger(TwilioMediaEndpoint.class);
    private static final long AUDIO_REFUSAL_LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final UserData.TypedKey<Stream> STREAM = new UserData.TypedKey<>("voicecoach.twilio");

    private final ApiKeys apiKeys;
    private final SessionRegistry registry;
    private final SessionPublisher publisher;
    private final SessionSnapshots snapshots;
    private final AudioPublisher audioOut;
    private final GatewayConfig config;
    private final TurnDetectors detectors;
    private final MeterRegistry meters;
    private final LimitsConfig limits;
    private final Vertx vertx;
    private final Revocations revocations;
    /** Per client address ({@link ClientAddressCheck}), its sockets whose {@code start} is not authenticated yet. */
    private final ConnectionCounts unauthenticated = new ConnectionCounts();

    public TwilioMediaEndpoint(ApiKeys apiKeys, SessionRegistry registry, SessionPublisher publisher,
                               SessionSnapshots snapshots, AudioPublisher audioOut, GatewayConfig config,
                               TurnDetectors detectors, MeterRegistry meters, LimitsConfig limits, Vertx vertx,
                               Revocations revocations) {
        this.revocations = revocations;
        this.limits = limits;
        this.vertx = vertx;
        this.apiKeys = apiKeys;
        this.registry = registry;
        this.publisher = publisher;
        this.snapshots = snapshots;
        this.audioOut = audioOut;
        this.config = config;
        this.detectors = detectors;
        this.meters = meters;
    }

    /** One Twilio stream: its session once {@code start} was authenticated, frames that arrived meanwhile. */
    private static final class Stream {
        /** The client's address: behind a trusted proxy, the one it forwarded. */
        final String remoteIp;
        /** True while the socket counts against its IP's unauthenticated sockets. */
        boolean unauthenticated;
        long startTimer = -1;
        RealtimeSession session;
        SessionAudio audio;
        TwilioChannel channel;
        boolean authenticating;
        boolean ended;
        /** When media beyond the audio rate was last logged (nanoTime), 0: never. */
        long audioRefusalLoggedAt;
        final List<TwilioFrame> pending = new ArrayList<>();

        Stream(String remoteIp) {
            this.remoteIp = remoteIp;
        }
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        var stream = new Stream(ClientAddressCheck.of(connection));
        connection.userData().put(STREAM, stream);
        LOG.debugf("Twilio socket %s from %s", connection.id(), stream.remoteIp);
        if (!unauthenticated.tryEnter(stream.remoteIp, limits.unauthenticatedSocketsPerIp())) {
            refused("connection limit");
            return connection.close(new CloseReason(LIMIT_REACHED, CONNECTION_LIMIT_REASON));
        }
        stream.unauthenticated = true;
        // set on the connection's context, so the timer never runs beside one of its frames
        stream.startTimer = vertx.setTimer(limits.twilioStartTimeout().toMillis(), id -> {
            stream.startTimer = -1;
            if (stream.session == null && connection.isOpen()) {
                refused("start timeout");
                connection.close(new CloseReason(START_TIMEOUT, START_TIMEOUT_REASON)).subscribe().with(ok -> { },
                        failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.getMessage()));
            }
        });
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public Uni<Void> onText(Buffer frame, WebSocketConnection connection) {
        var stream = connection.userData().get(STREAM);
        if (stream.session == null && frame.length() > limits.twilioPreauthMaxFrameBytes()) {
            refused("frame too large before start");
            stream.pending.clear();
            return connection.close(new CloseReason(MESSAGE_TOO_BIG, FRAME_TOO_LARGE_REASON));
        }
        if (stream.session != null) {
            stream.session.client().touch();
        }
        return handle(stream, TwilioFrames.parse(frame.getBytes()), connection);
    }

    private Uni<Void> handle(Stream stream, TwilioFrame message, WebSocketConnection connection) {
        if (stream.authenticating) {
            if (stream.pending.size() >= limits.twilioMaxPendingFrames()) {
                return ignored(connection, "more frames than are kept while the key is checked");
            }
            stream.pending.add(message);
            return Uni.createFrom().voidItem();
        }
        return switch (message) {
            case TwilioFrame.Start start -> start(stream, start, connection);
            case TwilioFrame.Media media -> media(stream, media, connection);
            case TwilioFrame.Stop stop -> stop(stream);
            case TwilioFrame.Mark mark -> mark(stream, mark, connection);
            case TwilioFrame.Noted noted -> {
                LOG.debugf("twilio %s on %s", noted.event(), connection.id());
                yield Uni.createFrom().voidItem();
            }
            case TwilioFrame.Ignored ignored -> ignored(connection, ignored.reason());
        };
    }

    private Uni<Void> start(Stream stream, TwilioFrame.Start start, WebSocketConnection connection) {
        if (stream.session != null) {
            return ignored(connection, "a second start");
        }
        if (!start.supportedFormat()) {
            refused("unsupported media format");
            return connection.close(new CloseReason(UNSUPPORTED_DATA, "only audio/x-mulaw 8000 Hz mono"));
        }
        String apiKey = start.apiKey();
        stream.authenticating = true;
        return apiKeys.verifyAsync(apiKey)
                .emitOn(onContextOf(Vertx.currentContext()))
                .chain(tenantId -> {
                    stream.authenticating = false;
                    authenticated(stream);
                    if (tenantId.isEmpty()) {
                        stream.pending.clear();
                        refused("invalid api key");
                        return connection.close(new CloseReason(POLICY_VIOLATION, "invalid or missing api_key"));
                    }
                    if (!connection.isOpen()) {
                        // Twilio hung up while the key was checked: no session to open or end
                        return Uni.createFrom().voidItem();
                    }
                    if (open(stream, tenantId.get(), start, connection).isEmpty()) {
                        stream.pending.clear();
                        refused("session limit");
                        return connection.close(new CloseReason(LIMIT_REACHED, SESSION_LIMIT_REASON));
                    }
                    revocations.opened(stream.channel, ApiKeys.hash(apiKey));
                    var replay = List.copyOf(stream.pending);
                    stream.pending.clear();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (var message : replay) {
                        chain = chain.chain(() -> handle(stream, message, connection));
                    }
                    return chain;
                });
    }

    /** The key check is over: the socket no longer counts as unauthenticated, the start deadline is moot. */
    private void authenticated(Stream stream) {
        if (stream.startTimer >= 0) {
            vertx.cancelTimer(stream.startTimer);
            stream.startTimer = -1;
        }
        if (stream.unauthenticated) {
            stream.unauthenticated = false;
            unauthenticated.leave(stream.remoteIp);
        }
    }

    /** Opens the stream's session, empty when the tenant holds its session limit. */
    private Optional<RealtimeSession> open(Stream stream, String tenantId, TwilioFrame.Start start,
                                           WebSocketConnection connection) {
        // a start naming no call (nor call or stream SID) is a call of its own
        String callId = start.callId() != null ? start.callId() : "twilio_" + UUID.randomUUID();
        var metadata = new LinkedHashMap<String, String>();
        metadata.put("source", "twilio");
        putIfPresent(metadata, "twilio_stream_sid", start.streamSid());
        putIfPresent(metadata, "twilio_call_sid", start.callSid());
        putIfPresent(metadata, "twilio_account_sid", start.accountSid());
        var voicecoach = new VoiceCoachSettings(start.agent() ? VoiceCoachSettings.AGENT : VoiceCoachSettings.COACH,
                callId, start.repId(), Map.copyOf(metadata), VoiceCoachSettings.MEDIA);
        var settings = new SessionSettings(voicecoach, start.agent() ? spokenReplies(start.voice()) : null,
                InputAudioFormat.MULAW_8K, TurnDetection.DEFAULT, TranscriptionOptions.NONE, start.tracks());
        var channel = new TwilioChannel(connection);
        var opened = registry.openWithin(tenantId, channel, limits.sessionsPerTenant(), settings);
        if (opened.isEmpty()) {
            return opened;
        }
        var session = opened.get();
        stream.session = session;
        stream.channel = channel;
        // the append and audio budgets are per track: Twilio sends 50 frames, 1 s of audio, a second on each
        int tracks = settings.tracks().size();
        var rate = new AppendRate(limits.appendsPerSecond() * tracks, limits.maxAudioRate() * tracks,
                limits.audioRateBurst().multipliedBy(tracks));
        stream.audio = new SessionAudio(session, publisher, audioOut, config, detectors, meters, false, rate);
        // reps on other instances find the call through the snapshot; a dead holder's stream is ended as an orphan
        snapshots.write(session);
        publisher.ensureStarted(session).subscribe().with(ok -> { },
                failure -> LOG.warnf("session.started of %s not published: %s", session.id(), failure.getMessage()));
        if (start.agent()) {
            // the speech stage speaks the replies at 8 kHz in the voice asked for; the gateway mu-law encodes them
            var output = settings.outputAudio().speech();
            publisher.updated(session, new SessionUpdated(null, null, null, List.of(), null, Map.of(), null, null,
                    output)).subscribe().with(ok -> { }, failure -> LOG.warnf(
                    "session.updated of %s not published: %s", session.id(), failure.getMessage()));
        }
        LOG.debugf("twilio stream %s of tenant %s opened session %s for call %s",
                start.streamSid(), tenantId, session.id(), callId);
        return opened;
    }

    private Uni<Void> media(Stream stream, TwilioFrame.Media media, WebSocketConnection connection) {
        if (stream.session == null || stream.ended) {
            return ignored(connection, "media outside a started stream");
        }
        if (!stream.audio.admitAppend()) {
            return ignored(connection, "media beyond the append rate");
        }
        if (!stream.audio.admitAudio(InputAudioFormat.MULAW_8K.millisOf(media.payload().length))) {
            // Twilio has no error frame: the excess is dropped undecoded (counted), the stream stays open
            logAudioRefused(stream);
            return Uni.createFrom().voidItem();
        }
        stream.audio.append(media.track(), media.payload(), Instant.now());
        return Uni.createFrom().voidItem();
    }

    /** Logs a stream sending audio beyond its rate, at most once a minute per stream. */
    private void logAudioRefused(Stream stream) {
        long now = System.nanoTime();
        if (stream.audioRefusalLoggedAt != 0 && now - stream.audioRefusalLoggedAt < AUDIO_REFUSAL_LOG_INTERVAL_NANOS) {
            return;
        }
        stream.audioRefusalLoggedAt = now;
        LOG.warnf("Twilio session %s of tenant %s sends audio faster than %s x real time per track after a burst of %s:"
                        + " media beyond it is dropped", stream.session.id(), stream.session.tenantId(),
                limits.maxAudioRate(), limits.audioRateBurst());
    }

    /** The Realtime fields of a voice-agent stream: replies spoken as mu-law 8 kHz, in {@code voice} if given. */
    private static ObjectNode spokenReplies(String voice) {
        var realtime = JsonNodeFactory.instance.objectNode();
        realtime.putArray("output_modalities").add("audio");
        var output = realtime.putObject("audio").putObject("output");
        output.putObject("format").put("type", InputAudioFormat.PCMU);
        if (voice != null) {
            output.put("voice", voice);
        }
        return realtime;
    }

    /** Twilio played the agent's audio up to one of the gateway's marks: what the caller heard is known to there. */
    private Uni<Void> mark(Stream stream, TwilioFrame.Mark mark, WebSocketConnection connection) {
        var name = TwilioOut.MarkName.parse(mark.name());
        if (stream.session == null || stream.ended || name == null) {
            return ignored(connection, "a mark outside a started stream or not the gateway's");
        }
        stream.session.spoken().played(name.itemId(), name.audioMs(), System.nanoTime());
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> stop(Stream stream) {
        return end(stream);
    }

    /**
     * A message the transport refused part way (a fragmented message growing past {@code max-frame-bytes}) closes the
     * socket with 1009 {@code frame_too_large}, as on the Realtime endpoint; without this the close code was 1011.
     */
    @OnError
    public Uni<Void> onError(Throwable failure, WebSocketConnection connection) {
        if (RealtimeEndpoint.messageTooBig(failure)) {
            refused("message above the frame limit");
            return connection.close(new CloseReason(MESSAGE_TOO_BIG, FRAME_TOO_LARGE_REASON));
        }
        LOG.debugf("Twilio socket %s failed: %s", connection.id(), failure.toString());
        return connection.isOpen() ? connection.close(new CloseReason(1011, "internal_error"))
                : Uni.createFrom().voidItem();
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        var stream = connection.userData().get(STREAM);
        if (stream == null) {
            return Uni.createFrom().voidItem();
        }
        authenticated(stream);
        revocations.closed(stream.channel);
        return end(stream);
    }

    /** Commits what was said last (a final transcript for it), unregisters and publishes session.ended once. */
    private Uni<Void> end(Stream stream) {
        if (stream.session == null || stream.ended) {
            return Uni.createFrom().voidItem();
        }
        stream.ended = true;
        var session = stream.session;
        stream.audio.commit(null);
        registry.close(session);
        return publisher.ended(session, stream.channel.endReason())
                .onFailure().invoke(failure -> LOG.warnf("session.ended of %s not published: %s", session.id(),
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .invoke(() -> snapshots.ended(session.id()));
    }

    private Uni<Void> ignored(WebSocketConnection connection, String why) {
        LOG.debugf("ignoring a Twilio frame on %s: %s", connection.id(), why);
        Counter.builder("voicecoach.gateway.twilio.frames.ignored").register(meters).increment();
        return Uni.createFrom().voidItem();
    }

    private void refused(String why) {
        Counter.builder("voicecoach.gateway.twilio.refused").tag("reason", why).register(meters).increment();
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static Executor onContextOf(Context context) {
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }
}
