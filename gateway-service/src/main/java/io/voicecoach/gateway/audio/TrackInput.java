package io.voicecoach.gateway.audio;

import io.voicecoach.events.AudioHeaders;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * The input audio buffer of one speaker track: decodes and resamples appended audio to 16 kHz PCM16, finds turns
 * with a {@link TurnDetector} (when turn detection is on) and cuts each utterance into chunks of about
 * {@code chunkMs}. With turn detection, only speech (plus its prefix padding and hangover) leaves the track; without
 * it, all appended audio does and the client commits. Not thread-safe: a session's frames are handled one at a time.
 */
public final class TrackInput {

    /** What a track tells its session, synchronously and in order. */
    public interface Listener {
        void speechStarted(String track, String itemId, long audioStartMs);

        void speechStopped(String track, String itemId, long audioEndMs);

        void chunk(AudioChunk chunk);

        void committed(String track, String itemId);
    }

    private static final int SAMPLES_PER_MS = AudioHeaders.SAMPLE_RATE / 1000;

    private final String track;
    private final Listener listener;
    private final Supplier<String> itemIds;
    private final int chunkSamples;
    private final long maxUtteranceSamples;
    private final TurnDetectors detectors;

    private InputAudioFormat format;
    private Resampler resampler;
    private TurnDetector detector;
    private SampleRing ring;

    /** Samples (16 kHz) appended to this track so far: the track's clock. */
    private long position;
    private short[] frame;
    private int frameFill;

    private String itemId;
    private boolean firstChunkSent;
    private long utteranceStart;
    private long publishedUpTo;
    private short[] pending;
    private int pendingCount;
    private long pendingStart;
    private Instant lastReceivedAt = Instant.EPOCH;

    public TrackInput(String track, InputAudioFormat format, TurnDetection turnDetection, int chunkMs,
                      int maxUtteranceMs, TurnDetectors detectors, Supplier<String> itemIds, Listener listener) {
        this(track, format, turnDetection, chunkMs, maxUtteranceMs, detectors, itemIds, listener, 0);
    }

    /** @param startMs the track's clock at its first sample (a session taken over continues its tracks' clocks) */
    public TrackInput(String track, InputAudioFormat format, TurnDetection turnDetection, int chunkMs,
                      int maxUtteranceMs, TurnDetectors detectors, Supplier<String> itemIds, Listener listener,
                      long startMs) {
        this.position = startMs * SAMPLES_PER_MS;
        this.publishedUpTo = position;
        this.track = track;
        this.listener = listener;
        this.itemIds = itemIds;
        this.detectors = detectors;
        this.chunkSamples = chunkMs * SAMPLES_PER_MS;
        this.maxUtteranceSamples = (long) maxUtteranceMs * SAMPLES_PER_MS;
        this.pending = new short[chunkSamples];
        configure(format, turnDetection);
    }

    /** Applies a new format (a fresh resampler) and turn detection; an utterance in progress stays open. */
    public void configure(InputAudioFormat format, TurnDetection turnDetection) {
        if (!format.equals(this.format)) {
            this.format = format;
            this.resampler = new Resampler(format.rate(), AudioHeaders.SAMPLE_RATE);
        }
        if (turnDetection == null) {
            detector = null;
            ring = null;
            frameFill = 0;
        } else if (detector == null) {
            detector = detectors.create(turnDetection);
            frame = new short[detector.frameSamples()];
            frameFill = 0;
            ring = new SampleRing(ringCapacity(turnDetection), position);
        } else {
            detector.reconfigure(turnDetection);
            if (ring.capacity() < ringCapacity(turnDetection)) {
                ring = new SampleRing(ringCapacity(turnDetection), position);
            }
        }
    }

    /** Milliseconds of audio appended to this track. */
    public long positionMs() {
        return position / SAMPLES_PER_MS;
    }

    /** The open utterance's item id, or null. */
    public String itemId() {
        return itemId;
    }

    /** Appends encoded audio in the track's format. */
    public void append(byte[] encoded, Instant receivedAt) {
        appendCanonical(resampler.process(format.decode(encoded)), receivedAt);
    }

    /** Appends audio already at 16 kHz. */
    public void appendCanonical(short[] samples, Instant receivedAt) {
        lastReceivedAt = receivedAt;
        if (detector == null) {
            if (samples.length > 0 && itemId == null) {
                open(position);
            }
            publish(samples, 0, samples.length);
            position += samples.length;
            return;
        }
        int offset = 0;
        while (offset < samples.length) {
            int take = Math.min(frame.length - frameFill, samples.length - offset);
            System.arraycopy(samples, offset, frame, frameFill, take);
            frameFill += take;
            offset += take;
            if (frameFill == frame.length) {
                onFrame();
                frameFill = 0;
            }
        }
    }

    /**
     * Commits the open utterance: its last chunk goes out with the commit flag.
     *
     * @return false when there is nothing to commit
     */
    public boolean commit() {
        if (itemId == null) {
            return false;
        }
        if (detector != null) {
            detector.reset();
        }
        String committed = itemId;
        flush(true);
        listener.committed(track, committed);
        return true;
    }

    /** Drops the open utterance's audio not yet published; it will never be committed. */
    public void clear() {
        itemId = null;
        pendingCount = 0;
        if (detector != null) {
            detector.reset();
        }
    }

    private void onFrame() {
        long frameStart = position;
        ring.write(frame, frame.length);
        position += frame.length;
        var transition = detector.step(frame, frameStart / SAMPLES_PER_MS);
        switch (transition) {
            case STARTED -> {
                if (itemId != null) {
                    // turn detection was switched on while the client's own utterance was open: it continues
                    listener.speechStarted(track, itemId, utteranceStart / SAMPLES_PER_MS);
                    publish(frame, 0, frame.length);
                    return;
                }
                long speechStart = detector.startMs() * SAMPLES_PER_MS;
                long start = Math.max(speechStart - detector.settings().prefixPaddingMs() * SAMPLES_PER_MS,
                        Math.max(publishedUpTo, ring.oldest()));
                open(start);
                listener.speechStarted(track, itemId, start / SAMPLES_PER_MS);
                var audio = ring.read(start, position);
                publish(audio, 0, audio.length);
            }
            case STOPPED -> {
                if (itemId == null) {
                    return;
                }
                publish(frame, 0, frame.length);
                String stopped = itemId;
                listener.speechStopped(track, stopped, detector.endMs());
                flush(true);
                listener.committed(track, stopped);
            }
            case NONE -> {
                if (itemId != null) {
                    publish(frame, 0, frame.length);
                    splitIfTooLong();
                }
            }
        }
    }

    /** A turn longer than the maximum is committed and continues as a new utterance. */
    private void splitIfTooLong() {
        if (maxUtteranceSamples <= 0 || position - utteranceStart < maxUtteranceSamples || !detector.speaking()) {
            return;
        }
        String split = itemId;
        listener.speechStopped(track, split, positionMs());
        flush(true);
        listener.committed(track, split);
        open(position);
        listener.speechStarted(track, itemId, positionMs());
    }

    private void open(long start) {
        itemId = itemIds.get();
        firstChunkSent = false;
        utteranceStart = start;
        pendingStart = start;
        pendingCount = 0;
    }

    private void publish(short[] samples, int offset, int length) {
        int done = 0;
        while (done < length) {
            int take = Math.min(chunkSamples - pendingCount, length - done);
            System.arraycopy(samples, offset + done, pending, pendingCount, take);
            pendingCount += take;
            done += take;
            if (pendingCount == chunkSamples) {
                flush(false);
            }
        }
    }

    /** Sends the pending samples as a chunk; a commit closes the utterance. */
    private void flush(boolean commit) {
        var pcm = new byte[pendingCount * 2];
        for (int i = 0; i < pendingCount; i++) {
            pcm[2 * i] = (byte) pending[i];
            pcm[2 * i + 1] = (byte) (pending[i] >> 8);
        }
        listener.chunk(new AudioChunk(track, itemId, pcm, pendingStart / SAMPLES_PER_MS, !firstChunkSent, commit,
                lastReceivedAt));
        firstChunkSent = true;
        pendingStart += pendingCount;
        publishedUpTo = pendingStart;
        pendingCount = 0;
        if (commit) {
            itemId = null;
        }
    }

    private int ringCapacity(TurnDetection turnDetection) {
        return (turnDetection.prefixPaddingMs() + detector.onsetMs()) * SAMPLES_PER_MS + 2 * detector.frameSamples();
    }

    /** The most recent samples of the track, addressed by track position. */
    static final class SampleRing {
        private final short[] samples;
        private long written;
        private final long start;

        SampleRing(int capacity, long position) {
            this.samples = new short[capacity];
            this.written = position;
            this.start = position;
        }

        int capacity() {
            return samples.length;
        }

        void write(short[] source, int length) {
            int copied = 0;
            while (copied < length) {
                int at = (int) ((written + copied) % samples.length);
                int run = Math.min(length - copied, samples.length - at);
                System.arraycopy(source, copied, samples, at, run);
                copied += run;
            }
            written += length;
        }

        /** Oldest position still held. */
        long oldest() {
            return Math.max(start, written - samples.length);
        }

        short[] read(long from, long to) {
            var out = new short[(int) (to - from)];
            int copied = 0;
            while (copied < out.length) {
                int at = (int) ((from + copied) % samples.length);
                int run = Math.min(out.length - copied, samples.length - at);
                System.arraycopy(samples, at, out, copied, run);
                copied += run;
            }
            return out;
        }
    }
}
