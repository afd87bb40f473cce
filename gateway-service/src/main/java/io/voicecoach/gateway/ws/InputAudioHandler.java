package io.voicecoach.gateway.ws;

import io.smallrye.mutiny.Uni;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.realtime.InputAudioEvent;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.TrackOption;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Base64;

/** {@code input_audio_buffer.append|commit|clear}: audio into the session's tracks (see {@link SessionAudio}). */
@ApplicationScoped
class InputAudioHandler implements ClientEventHandler<InputAudioEvent> {

    private final int maxAudioBytes;
    private final double maxAudioRate;
    private final Duration audioRateBurst;
    private final RateLimitFrames rateLimits;

    InputAudioHandler(LimitsConfig limits, RateLimitFrames rateLimits) {
        this.maxAudioBytes = limits.maxAudioBytesPerAppend();
        this.maxAudioRate = limits.maxAudioRate();
        this.audioRateBurst = limits.audioRateBurst();
        this.rateLimits = rateLimits;
    }

    @Override
    public Uni<Void> handle(ClientContext context, InputAudioEvent event) {
        return switch (event) {
            case InputAudioEvent.Append append -> append(context, append);
            case InputAudioEvent.Commit commit -> commit(context, commit);
            case InputAudioEvent.Clear clear -> clear(context, clear);
        };
    }

    private Uni<Void> append(ClientContext context, InputAudioEvent.Append append) {
        var audio = context.audio();
        String track = TrackOption.carried(append.voicecoach(), context.session().settings().tracks());
        if (!audio.admitAppend()) {
            if (audio.startRefusing()) {
                context.session().client().send(rateLimits.frame(context.session(), audio))
                        .subscribe().with(ok -> { }, failure -> { });
            }
            throw RealtimeError.invalid(RealtimeError.RATE_LIMIT_EXCEEDED, "more than " + audio.appendsPerSecond()
                    + " input_audio_buffer.append per second: this one was dropped", null);
        }
        String base64 = append.audio();
        long encodedBytes = base64.length() / 4 * 3;
        if (encodedBytes > maxAudioBytes + 2) {
            throw audioTooLarge();
        }
        if (!audio.admitAudio(context.session().settings().inputFormat().millisOf(encodedBytes))) {
            throw RealtimeError.invalid(RealtimeError.AUDIO_RATE_EXCEEDED, "audio faster than "
                    + maxAudioRate + " x real time after a burst of " + audioRateBurst.toSeconds()
                    + " s: this append was dropped", "audio");
        }
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw RealtimeError.invalid(RealtimeError.INVALID_AUDIO, "audio must be base64: " + e.getMessage(),
                    "audio");
        }
        if (encoded.length > maxAudioBytes) {
            throw audioTooLarge();
        }
        try {
            audio.append(track, encoded, context.receivedAt());
        } catch (IllegalArgumentException e) {
            throw RealtimeError.invalid(RealtimeError.INVALID_AUDIO, e.getMessage(), "audio");
        }
        return Uni.createFrom().voidItem();
    }

    /** Commits one track's open utterance, or every track's; none open: {@code input_audio_buffer_commit_empty}. */
    private Uni<Void> commit(ClientContext context, InputAudioEvent.Commit commit) {
        if (context.audio().commit(TrackOption.trackOr(commit.voicecoach(), null)).isEmpty()) {
            throw RealtimeError.invalid(RealtimeError.COMMIT_EMPTY, "the input audio buffer holds no audio to commit",
                    null);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> clear(ClientContext context, InputAudioEvent.Clear clear) {
        String track = TrackOption.trackOr(clear.voicecoach(), null);
        context.audio().clear(track);
        return context.session().client().send(RealtimeJson.frame(
                new ServerEvent.AudioCleared(TrackOption.of(track))));
    }

    private RealtimeError audioTooLarge() {
        return RealtimeError.invalid(RealtimeError.AUDIO_CHUNK_TOO_LARGE,
                "one append may carry at most " + maxAudioBytes + " bytes of decoded audio", "audio");
    }
}
