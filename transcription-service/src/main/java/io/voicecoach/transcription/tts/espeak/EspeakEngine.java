package io.voicecoach.transcription.tts.espeak;

import io.voicecoach.transcription.tts.SpeechEngine;
import io.voicecoach.transcription.tts.SpeechException;
import io.voicecoach.transcription.tts.TtsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bundled offline engine: one {@code espeak-ng --stdout} process per piece of text (Debian package
 * {@code espeak-ng}), the text on its standard input (never parsed as options), killed after the configured timeout.
 * It answers WAV at 22050 Hz, PCM16 mono.
 */
@ApplicationScoped
public class EspeakEngine implements SpeechEngine {

    public static final String NAME = "espeak-ng";

    private final String binary;
    private static final int MIN_WPM = 80;
    private static final int MAX_WPM = 450;

    private final int wordsPerMinute;
    private final Duration timeout;
    private final EspeakVoices voices;

    public EspeakEngine(TtsConfig config) {
        this.binary = config.espeak().binary();
        this.wordsPerMinute = config.espeak().speed();
        this.timeout = config.timeout();
        this.voices = new EspeakVoices(config.espeak().voices());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Speech synthesize(String text, String voice, double speed) {
        Process process;
        try {
            process = new ProcessBuilder(List.of(binary, "--stdout", "-b", "1", "-v", voices.of(voice),
                    "-s", Integer.toString(wordsPerMinute(speed)))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new SpeechException(SpeechException.UNAVAILABLE, binary + " cannot be started (Debian package "
                    + "espeak-ng): " + e.getMessage(), e);
        }
        var output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                task -> Thread.ofVirtual().name("espeak-ng-output").start(task));
        try (var stdin = process.getOutputStream()) {
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new SpeechException(SpeechException.ERROR, binary + " refused its input: " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new SpeechException(SpeechException.TIMEOUT, binary + " did not finish within " + timeout);
            }
            byte[] wav = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (process.exitValue() != 0) {
                throw new SpeechException(SpeechException.ERROR, binary + " exited with " + process.exitValue());
            }
            return pcmOf(wav);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SpeechException(SpeechException.ERROR, "interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new SpeechException(SpeechException.ERROR, binary + " output unreadable: " + e.getMessage(), e);
        }
    }

    /** The configured words per minute times {@code speed}, within what espeak-ng speaks (80 to 450). */
    int wordsPerMinute(double speed) {
        return (int) Math.max(MIN_WPM, Math.min(MAX_WPM, Math.round(wordsPerMinute * speed)));
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SpeechException(SpeechException.ERROR, "cannot read espeak-ng output: " + e.getMessage(), e);
        }
    }

    /** The samples of a RIFF/WAVE PCM16 mono stream (espeak-ng writes a streaming header: sizes are not exact). */
    static Speech pcmOf(byte[] wav) {
        var buffer = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || buffer.getInt(0) != 0x46464952 || buffer.getInt(8) != 0x45564157) {
            throw new SpeechException(SpeechException.ERROR, "espeak-ng did not answer WAV");
        }
        int sampleRate = 0;
        int at = 12;
        while (at + 8 <= wav.length) {
            int id = buffer.getInt(at);
            int size = buffer.getInt(at + 4);
            if (id == 0x20746d66) { // "fmt "
                if (buffer.getShort(at + 8) != 1 || buffer.getShort(at + 10) != 1 || buffer.getShort(at + 22) != 16) {
                    throw new SpeechException(SpeechException.ERROR, "espeak-ng answered WAV that is not PCM16 mono");
                }
                sampleRate = buffer.getInt(at + 12);
            } else if (id == 0x61746164) { // "data"
                if (sampleRate == 0) {
                    break;
                }
                int from = at + 8;
                int length = (wav.length - from) & ~1;
                var pcm = new byte[length];
                System.arraycopy(wav, from, pcm, 0, length);
                return new Speech(pcm, sampleRate);
            }
            at += 8 + size + (size & 1);
        }
        throw new SpeechException(SpeechException.ERROR, "espeak-ng answered WAV without fmt and data");
    }
}
