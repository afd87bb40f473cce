package io.voicecoach.bench.load;

import java.io.IOException;
import java.util.List;

/**
 * One turn as append frames of its track, and where the speech starts and ends in them (milliseconds from the turn's
 * first frame): a call knows to the frame when its speaker stops talking.
 */
public record TurnAudio(List<String> frames, int speechStartMs, int speechEndMs) {

    public TurnAudio {
        frames = List.copyOf(frames);
    }

    public static TurnAudio of(byte[] pcm, String track) {
        int[] extent = AppendFrames.speechExtent(AppendFrames.samples(pcm), SpeechCache.RATE);
        int perMs = SpeechCache.RATE / 1000;
        return new TurnAudio(AppendFrames.of(pcm, track), Math.max(0, extent[0]) / perMs,
                Math.max(0, extent[1]) / perMs);
    }

    /** Every turn of {@code script} spoken by its track's voice, from the cache (made on first use). */
    public static List<TurnAudio> synthesize(Script script, SpeechCache cache) throws IOException {
        var audio = new java.util.ArrayList<TurnAudio>();
        for (var turn : script.turns()) {
            audio.add(of(cache.pcm(turn.voice(), Script.WORDS_PER_MINUTE, turn.text()), turn.track()));
        }
        return List.copyOf(audio);
    }

    public int frameCount() {
        return frames.size();
    }
}
