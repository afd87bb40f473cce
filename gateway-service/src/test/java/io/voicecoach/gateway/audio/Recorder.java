package io.voicecoach.gateway.audio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs audio through a {@link TrackInput} and records what it reports, in order. */
final class Recorder implements TrackInput.Listener {

    record Event(String kind, String itemId, long ms) {
    }

    final List<Event> events = new ArrayList<>();
    final List<AudioChunk> chunks = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    static Recorder run(short[] audio16k, TurnDetection turnDetection) {
        return run(audio16k, turnDetection, TurnDetectors.energy(TurnDetector.VadTuning.DEFAULT));
    }

    static Recorder run(short[] audio16k, TurnDetection turnDetection, TurnDetectors detectors) {
        var recorder = new Recorder();
        var input = recorder.track(InputAudioFormat.DEFAULT, turnDetection, 30000, detectors);
        // 24 kHz clients send ~20-100 ms frames; feed 16 kHz audio in 30 ms pieces
        for (int at = 0; at < audio16k.length; at += 480) {
            input.appendCanonical(Signals.slice(audio16k, at, Math.min(audio16k.length, at + 480)), Instant.now());
        }
        return recorder;
    }

    TrackInput track(InputAudioFormat format, TurnDetection turnDetection) {
        return track(format, turnDetection, 30000);
    }

    TrackInput track(InputAudioFormat format, TurnDetection turnDetection, int maxUtteranceMs) {
        return track(format, turnDetection, maxUtteranceMs, TurnDetectors.energy(TurnDetector.VadTuning.DEFAULT));
    }

    TrackInput track(InputAudioFormat format, TurnDetection turnDetection, int maxUtteranceMs,
                     TurnDetectors detectors) {
        return new TrackInput("customer", format, turnDetection, 200, maxUtteranceMs, detectors,
                () -> "item_" + ids.incrementAndGet(), this);
    }

    List<Event> ofKind(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** Samples published for one item, in order. */
    int samplesOf(String itemId) {
        return chunks.stream().filter(c -> c.utteranceId().equals(itemId)).mapToInt(AudioChunk::samples).sum();
    }

    @Override
    public void speechStarted(String track, String itemId, long audioStartMs) {
        events.add(new Event("started", itemId, audioStartMs));
    }

    @Override
    public void speechStopped(String track, String itemId, long audioEndMs) {
        events.add(new Event("stopped", itemId, audioEndMs));
    }

    @Override
    public void chunk(AudioChunk chunk) {
        chunks.add(chunk);
    }

    @Override
    public void committed(String track, String itemId) {
        events.add(new Event("committed", itemId, -1));
    }
}
