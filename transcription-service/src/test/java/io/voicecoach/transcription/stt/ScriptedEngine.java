package io.voicecoach.transcription.stt;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Test engine with behaviour chosen by the utterance id: {@code stuck-*} never finishes (until closed),
 * {@code hang-*} blocks on its first chunk (until closed), {@code boom-*} fails, anything else hears "chunk N" per chunk.
 */
@Singleton
public class ScriptedEngine implements SttEngine {

    public static final String NAME = "scripted";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Recognizer open(RecognitionRequest request) {
        return new Recognizer() {
            private final CountDownLatch closed = new CountDownLatch(1);
            private int chunks;

            @Override
            public void accept(byte[] pcm) {
                if (request.utteranceId().startsWith("hang-")) {
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                chunks++;
            }

            @Override
            public Optional<RecognitionResult> partial() {
                return Optional.of(new RecognitionResult(text(), 0.5, List.of()));
            }

            @Override
            public RecognitionResult finish() throws InterruptedException {
                if (request.utteranceId().startsWith("stuck-")) {
                    closed.await();
                }
                if (request.utteranceId().startsWith("boom-")) {
                    throw new SttException("engine_error", "scripted failure");
                }
                return new RecognitionResult(text() + " done" + (request.phrases().isEmpty() ? "" : " " + request.phrases()),
                        0.75, List.of());
            }

            private String text() {
                return "heard " + chunks + " chunks";
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
    }
}
