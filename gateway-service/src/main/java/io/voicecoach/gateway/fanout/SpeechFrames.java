package io.voicecoach.gateway.fanout;

import io.voicecoach.events.AgentAudioDelta;
import io.voicecoach.events.AgentAudioDone;
import io.voicecoach.events.AgentSpeechFailed;
import io.voicecoach.gateway.audio.G711;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.Resampler;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.session.OutputAudio;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.twilio.TwilioOut;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Realtime audio-out frames of {@code agent.speech} records for one session, in its output format: 24 kHz PCM as
 * it comes, mu-law or A-law after a resampler to 8 kHz that runs across the item's chunks (no seams between them).
 * The item's {@code output_index} is the one the client was shown for it, 0 when its reply has already ended.
 * A Twilio stream gets Twilio's own frames instead ({@link TwilioSpeech}).
 */
final class SpeechFrames {

    private static final int CONTENT_INDEX = 0;

    /** Per session and item: the 24 -> 8 kHz resampler of a G.711 output, dropped with the item's done. */
    private final Map<String, Resampler> downsamplers = new ConcurrentHashMap<>();
    private final TwilioSpeech twilio = new TwilioSpeech();

    List<String> delta(RealtimeSession session, AgentAudioDelta delta) {
        var output = session.settings().outputAudio();
        if (!output.audio()) {
            return List.of();
        }
        int index = outputIndex(session, delta.responseId(), delta.itemId());
        var spoken = session.spoken();
        boolean starts = spoken.unheardOf(delta.itemId());
        if (!spoken.sent(delta.responseId(), delta.itemId(), delta.startMs(), delta.durationMs(), delta.transcript(),
                System.nanoTime())) {
            return List.of(); // the item was cut (barge-in, clear, truncate): the rest of its audio is not sent
        }
        String streamSid = TwilioOut.streamSidOf(session);
        if (streamSid != null) {
            return twilio.delta(key(session, delta.itemId()), streamSid, delta.itemId(),
                    delta.startMs() + delta.durationMs(), encode(session, output, delta));
        }
        var frames = new ArrayList<String>(3);
        if (starts) {
            frames.add(RealtimeJson.frame(new ServerEvent.OutputAudioBufferStarted(delta.responseId())));
        }
        if (delta.transcript() != null && !delta.transcript().isEmpty()) {
            frames.add(RealtimeJson.frame(new ServerEvent.OutputAudioTranscriptDelta(delta.responseId(),
                    delta.itemId(), index, CONTENT_INDEX, delta.transcript())));
        }
        byte[] audio = encode(session, output, delta);
        frames.add(RealtimeJson.frame(new ServerEvent.OutputAudioDelta(delta.responseId(), delta.itemId(), index,
                CONTENT_INDEX, Base64.getEncoder().encodeToString(audio))));
        return frames;
    }

    List<String> done(RealtimeSession session, AgentAudioDone done) {
        downsamplers.remove(key(session, done.itemId()));
        if (!session.settings().outputAudio().audio()) {
            return List.of();
        }
        boolean whole = session.spoken().finished(done.itemId());
        String streamSid = TwilioOut.streamSidOf(session);
        if (streamSid != null) {
            return twilio.done(key(session, done.itemId()), streamSid, done.itemId(), whole);
        }
        int index = outputIndex(session, done.responseId(), done.itemId());
        var frames = new ArrayList<String>(3);
        frames.add(RealtimeJson.frame(new ServerEvent.OutputAudioTranscriptDone(done.responseId(), done.itemId(), index,
                CONTENT_INDEX, done.transcript())));
        frames.add(RealtimeJson.frame(new ServerEvent.OutputAudioDone(done.responseId(), done.itemId(), index,
                CONTENT_INDEX)));
        if (whole) { // a cut item had its output_audio_buffer.cleared instead
            frames.add(RealtimeJson.frame(new ServerEvent.OutputAudioBufferStopped(done.responseId())));
        }
        return frames;
    }

    List<String> failed(RealtimeSession session, AgentSpeechFailed failed) {
        downsamplers.remove(key(session, failed.itemId()));
        twilio.drop(key(session, failed.itemId()));
        if (!session.settings().outputAudio().audio() || TwilioOut.streamSidOf(session) != null) {
            return List.of();
        }
        return List.of(RealtimeJson.frame(new ServerEvent.ErrorEvent(new ServerEvent.ErrorBody(
                RealtimeError.SERVER_ERROR, failed.code(), "the reply's speech failed from chunk " + failed.chunk()
                + " on (" + failed.engine() + ": " + failed.message() + "); its text was sent", null, null))));
    }

    private byte[] encode(RealtimeSession session, OutputAudio output, AgentAudioDelta delta) {
        byte[] pcm = Base64.getDecoder().decode(delta.audio());
        if (InputAudioFormat.PCM.equals(output.format()) && delta.sampleRate() == OutputAudio.PCM_RATE) {
            return pcm;
        }
        var samples = new short[pcm.length / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
        }
        var resampler = downsamplers.computeIfAbsent(key(session, delta.itemId()),
                key -> new Resampler(delta.sampleRate(), output.rate()));
        short[] resampled = resampler.process(samples);
        var encoded = new byte[InputAudioFormat.PCM.equals(output.format()) ? resampled.length * 2 : resampled.length];
        for (int i = 0; i < resampled.length; i++) {
            switch (output.format()) {
                case InputAudioFormat.PCMU -> encoded[i] = G711.linearToUlaw(resampled[i]);
                case InputAudioFormat.PCMA -> encoded[i] = G711.linearToAlaw(resampled[i]);
                default -> {
                    encoded[2 * i] = (byte) resampled[i];
                    encoded[2 * i + 1] = (byte) (resampled[i] >> 8);
                }
            }
        }
        return encoded;
    }

    private static int outputIndex(RealtimeSession session, String responseId, String itemId) {
        return Math.max(0, session.client().replies().find(responseId, itemId));
    }

    private static String key(RealtimeSession session, String itemId) {
        return session.id() + "/" + itemId;
    }
}
