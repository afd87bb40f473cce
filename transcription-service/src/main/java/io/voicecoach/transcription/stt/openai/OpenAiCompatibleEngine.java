package io.voicecoach.transcription.stt.openai;

import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttEngine;
import io.voicecoach.transcription.stt.SttException;
import io.voicecoach.transcription.stt.Wav;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Any server speaking OpenAI's {@code POST /v1/audio/transcriptions} (OpenAI, Groq, self-hosted Whisper servers).
 * Batch only: the utterance is buffered and sent as one WAV on its commit, so it gives no partials.
 */
@ApplicationScoped
public class OpenAiCompatibleEngine implements SttEngine {

    public static final String NAME = "openai-compatible";
    /** 10 minutes of 16 kHz PCM16; the OpenAI API refuses files above 25 MB. */
    static final int MAX_UTTERANCE_BYTES = 10 * 60 * 32_000;

    private final TranscriptionsClient client;

    public OpenAiCompatibleEngine(SttConfig config) {
        this.client = new TranscriptionsClient(config.openai());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean external() {
        return true;
    }

    @Override
    public Recognizer open(RecognitionRequest request) {
        return new Recognizer() {
            private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
            private volatile Thread finishing;

            @Override
            public void accept(byte[] pcm) {
                if (audio.size() + pcm.length > MAX_UTTERANCE_BYTES) {
                    throw new SttException("utterance_too_long", "utterance longer than 10 minutes");
                }
                audio.writeBytes(pcm);
            }

            @Override
            public RecognitionResult finish() throws InterruptedException {
                finishing = Thread.currentThread();
                String text = client.transcribe(Wav.of(audio.toByteArray()), language(request.language()), request.phrases());
                return new RecognitionResult(text, 1.0, List.of());
            }

            @Override
            public void close() {
                var thread = finishing;
                if (thread != null && thread != Thread.currentThread()) {
                    thread.interrupt(); // the caller's timeout gave up on the HTTP call
                }
            }
        };
    }

    /** The API takes ISO-639-1 ({@code en}), sessions declare BCP-47 ({@code en-US}). */
    static String language(String bcp47) {
        if (bcp47 == null || bcp47.isBlank()) {
            return null;
        }
        int dash = bcp47.indexOf('-');
        return (dash > 0 ? bcp47.substring(0, dash) : bcp47).toLowerCase(java.util.Locale.ROOT);
    }
}
