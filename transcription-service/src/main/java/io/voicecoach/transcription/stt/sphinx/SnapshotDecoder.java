package io.voicecoach.transcription.stt.sphinx;

import io.voicecoach.transcription.stt.RecognitionResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Decodes the audio of an utterance so far in one go, for a partial transcript while speech goes on (the streaming
 * decoder only reports at pauses). Runs only when a decoder slot is free, so partials never delay finals; one
 * snapshot per recognizer at a time.
 */
final class SnapshotDecoder {

    private final List<String> command;
    private final Semaphore decoders;
    private volatile Process running;
    private volatile boolean cancelled;

    SnapshotDecoder(List<String> command, Semaphore decoders) {
        this.command = command;
        this.decoders = decoders;
    }

    /** @return the hypothesis of {@code pcm}, or empty when no decoder slot was free or the snapshot was cancelled */
    Optional<RecognitionResult> decode(byte[] pcm) {
        if (cancelled || !decoders.tryAcquire()) {
            return Optional.empty();
        }
        try {
            var process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            running = process;
            if (cancelled) {
                process.destroyForcibly();
                return Optional.empty();
            }
            var output = new DecoderOutput();
            var reader = Thread.ofVirtual().start(() -> read(process, output));
            try (var in = process.getOutputStream()) {
                in.write(pcm);
            }
            int exit = process.waitFor();
            reader.join();
            return exit == 0 && !cancelled ? Optional.of(output.result()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // cancelled mid-write, or the decoder died: no partial this time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            running = null;
            decoders.release();
        }
    }

    void cancel() {
        cancelled = true;
        var process = running;
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private static void read(Process process, DecoderOutput output) {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.line(line);
            }
        } catch (IOException e) {
            // killed: the snapshot is dropped
        }
    }
}
