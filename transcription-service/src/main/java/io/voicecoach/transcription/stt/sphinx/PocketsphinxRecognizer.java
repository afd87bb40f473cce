package io.voicecoach.transcription.stt.sphinx;

import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.SttException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One decoder process for one utterance: audio is streamed to its stdin, each speech segment it closes (a pause)
 * becomes a longer partial, and closing stdin ends the utterance.
 */
final class PocketsphinxRecognizer implements Recognizer {

    private final Process process;
    private final OutputStream audio;
    private final Thread reader;
    private final DecoderOutput output = new DecoderOutput();
    private final Runnable release;
    private boolean released;

    PocketsphinxRecognizer(Process process, Runnable release) {
        this.process = process;
        this.audio = process.getOutputStream();
        this.release = release;
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
    }

    @Override
    public Optional<String> partial() {
        var text = output.text();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    @Override
    public RecognitionResult finish() throws Exception {
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
        process.destroyForcibly();
        if (!released) {
            released = true;
            release.run();
        }
    }
}
