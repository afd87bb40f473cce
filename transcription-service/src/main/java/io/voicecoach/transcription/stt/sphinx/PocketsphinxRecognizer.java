package io.voicecoach.transcription.stt.sphinx;

import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.SttException;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One decoder process for one utterance: audio is streamed to its stdin, each speech segment it closes (a pause)
 * becomes a longer partial, and closing stdin ends the utterance. While speech goes on without a pause, a
 * {@link SnapshotDecoder} decodes the audio so far every {@code partialIntervalBytes} of new audio (one at a time,
 * only with a free decoder slot, only for the first {@code maxSnapshotBytes}), so partials keep coming.
 */
final class PocketsphinxRecognizer implements Recognizer {

    private record Snapshot(RecognitionResult result, long audioMs) {
    }

    private final Process process;
    private final OutputStream audio;
    private final Thread reader;
    private final DecoderOutput output = new DecoderOutput();
    private final Runnable release;
    private final SnapshotDecoder snapshots;
    private final int partialIntervalBytes;
    private final int maxSnapshotBytes;
    private final ByteArrayOutputStream heard = new ByteArrayOutputStream();
    private long lastSnapshotBytes;
    private volatile boolean snapshotRunning;
    private volatile boolean ending;
    private volatile Snapshot snapshot;
    private boolean released;

    PocketsphinxRecognizer(Process process, Runnable release, SnapshotDecoder snapshots, int partialIntervalBytes,
                           int maxSnapshotBytes) {
        this.process = process;
        this.audio = process.getOutputStream();
        this.release = release;
        this.snapshots = snapshots;
        this.partialIntervalBytes = partialIntervalBytes;
        this.maxSnapshotBytes = maxSnapshotBytes;
        this.reader = Thread.ofVirtual().name("pocketsphinx-out-" + process.pid()).start(this::read);
    }

    private void read() {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.line(line);
            }
        } catch (IOException e) {
            // the process was killed; finish() reports it
        }
    }

    @Override
    public void accept(byte[] pcm) {
        try {
            audio.write(pcm);
            audio.flush();
        } catch (IOException e) {
            throw new SttException("engine_error", "the decoder process stopped taking audio (exit "
                    + (process.isAlive() ? "-" : process.exitValue()) + ")", e);
        }
        if (partialIntervalBytes > 0 && heard.size() < maxSnapshotBytes) {
            heard.writeBytes(pcm);
            maybeSnapshot();
        }
    }

    private void maybeSnapshot() {
        if (snapshotRunning || ending || heard.size() - lastSnapshotBytes < partialIntervalBytes) {
            return;
        }
        snapshotRunning = true;
        lastSnapshotBytes = heard.size();
        byte[] sofar = heard.toByteArray();
        Thread.ofVirtual().name("pocketsphinx-partial-" + process.pid()).start(() -> {
            try {
                snapshots.decode(sofar).filter(r -> !ending).ifPresent(r -> snapshot = new Snapshot(r, sofar.length / 32));
            } finally {
                snapshotRunning = false;
            }
        });
    }

    /** The later of: the segments the streaming decoder closed, and the last snapshot of the whole audio so far. */
    @Override
    public Optional<RecognitionResult> partial() {
        var segments = output.result();
        var latest = snapshot;
        long segmentsEndMs = segments.words().isEmpty() ? 0 : segments.words().getLast().endMs();
        var best = latest != null && latest.audioMs() > segmentsEndMs ? latest.result() : segments;
        return best.text().isEmpty() ? Optional.empty() : Optional.of(best);
    }

    @Override
    public RecognitionResult finish() throws Exception {
        ending = true;
        snapshots.cancel(); // its answer would come after the final's: free the core for the final
        try {
            audio.close();
        } catch (IOException e) {
            throw new SttException("engine_error", "the decoder process died before the end of the utterance", e);
        }
        int exit = process.waitFor();
        reader.join();
        if (exit != 0) {
            throw new SttException("engine_error", "the decoder process exited with " + exit);
        }
        return output.result();
    }

    /** Also aborts a {@link #finish()} that takes too long (the caller's timeout). */
    @Override
    public synchronized void close() {
        ending = true;
        snapshots.cancel();
        process.destroyForcibly();
        if (!released) {
            released = true;
            release.run();
        }
    }
}
