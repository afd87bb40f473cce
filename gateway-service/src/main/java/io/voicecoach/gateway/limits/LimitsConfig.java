package io.voicecoach.gateway.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** What one client may cost the gateway; every breach is answered with a documented error code or close code. */
@ConfigMapping(prefix = "voicecoach.limits")
public interface LimitsConfig {

    /**
     * Largest client message, in UTF-8 bytes; the transport closes a connection that sends a larger one with 1009
     * ({@code quarkus.websockets-next.server.max-frame-size} and {@code max-message-size} are set to it).
     */
    @WithDefault("1048576")
    int maxFrameBytes();

    /** Largest decoded audio of one {@code input_audio_buffer.append}; larger ones get {@code audio_chunk_too_large}. */
    @WithDefault("524288")
    int maxAudioBytesPerAppend();

    /** Sustained {@code input_audio_buffer.append} events per second and session (also the burst allowed). */
    @WithDefault("100")
    int appendsPerSecond();

    /**
     * Audio a Realtime session may append per second of wall clock, relative to real time (all tracks together), once
     * its {@link #audioRateBurst()} is used; beyond it an append gets {@code audio_rate_exceeded} before its audio is
     * decoded. {@code 0} = not bounded here (transcription-service's {@code voicecoach.stt.max-audio-rate} still is).
     */
    @WithDefault("4")
    double maxAudioRate();

    /** Audio a Realtime session may append at once beyond {@link #maxAudioRate()}. */
    @WithDefault("30s")
    Duration audioRateBurst();

    /** Sessions a tenant may hold on this instance at once (connected or awaiting a resume). */
    @WithDefault("100")
    int sessionsPerTenant();

    /** A Realtime connection that sends no frame for this long is closed with 4001. */
    @WithDefault("60s")
    Duration idleTimeout();

    /** Bytes queued for a client that does not read, beyond which its connection is closed with 4002. */
    @WithDefault("4194304")
    long maxPendingOutboundBytes();

    /** How often idle connections and expired resume windows are looked for. */
    @WithDefault("1s")
    Duration sweepInterval();

    /** A Twilio stream whose {@code start} has not been authenticated this long after the upgrade is closed (4008). */
    @WithDefault("5s")
    Duration twilioStartTimeout();

    /** Largest Twilio frame accepted before {@code start} was authenticated, in bytes; larger: close 1009. */
    @WithDefault("8192")
    int twilioPreauthMaxFrameBytes();

    /** Frames kept while a Twilio stream's key is checked; more are dropped. */
    @WithDefault("10")
    int twilioMaxPendingFrames();

    /** Twilio sockets one remote IP may hold open before their {@code start} was authenticated (more: close 4029). */
    @WithDefault("10")
    int unauthenticatedSocketsPerIp();

    /** {@code conversation.item.create} a session may send a minute (bursts of a sixth of it). */
    @WithDefault("300")
    int itemsPerMinute();

    /** {@code response.create} a session may send a minute (bursts of a sixth of it). */
    @WithDefault("60")
    int responsesPerMinute();

    /**
     * {@code conversation.item.create} all sessions of a tenant on this instance may send a minute: each is a transcript
     * coaching classifies; sized to a busy honest tenant, well below one coaching instance (README "Limits").
     */
    @WithDefault("2400")
    int tenantItemsPerMinute();

    /** {@code response.create} all sessions of a tenant on this instance may send a minute. */
    @WithDefault("600")
    int tenantResponsesPerMinute();

    /** Characters of text (message text, function call output) one {@code conversation.item.create} may carry. */
    @WithDefault("8192")
    int maxItemTextChars();
}
