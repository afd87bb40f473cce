package io.voicecoach.transcription.stt.whisper;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.quarkus.runtime.Startup;
import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.RecognitionResult.WordTiming;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttEngine;
import io.voicecoach.transcription.stt.SttException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * whisper.cpp through whisper-jni (native libraries inside the jar, extracted to a temp folder at start). Enabled by
 * {@code voicecoach.stt.whisper.model}; the model is checked and loaded at start, and a missing or corrupt file stops
 * the start with the reason. Batch: the utterance is decoded on its commit, so it gives no partials.
 */
@Startup
@ApplicationScoped
public class WhisperEngine implements SttEngine {

    public static final String NAME = "whisper";
    private static final Logger LOG = Logger.getLogger(WhisperEngine.class);
    /** 5 minutes of audio; whisper decodes 30 s windows, longer utterances just take longer. */
    static final int MAX_UTTERANCE_BYTES = 5 * 60 * 32_000;

    private final SttConfig.Whisper config;
    private final WhisperJNI whisper;
    private final WhisperContext context;
    private final Semaphore decoders;

    @Inject
    public WhisperEngine(SttConfig config) {
        this(config.whisper());
    }

    WhisperEngine(SttConfig.Whisper config) {
        this.config = config;
        this.decoders = new Semaphore(Math.max(1, config.maxConcurrent()), true);
        if (config.model().isEmpty()) {
            this.whisper = null;
            this.context = null;
            return;
        }
        Path model = Path.of(config.model().get());
        try {
            WhisperModelFile.check(model);
            WhisperJNI.loadLibrary(LOG::debug);
            WhisperJNI.setLibraryLogger(LOG::debug);
            this.whisper = new WhisperJNI();
            this.context = whisper.init(model);
        } catch (IllegalArgumentException | IOException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("voicecoach.stt.whisper.model: " + e.getMessage(), e);
        }
        if (context == null) {
            throw new IllegalStateException("voicecoach.stt.whisper.model: whisper.cpp could not load " + model
                    + " (not a whisper.cpp ggml model, or truncated)");
        }
        LOG.infof("whisper model %s loaded (%s)", model, whisper.getSystemInfo());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return context != null;
    }

    @Override
    public Recognizer open(RecognitionRequest request) {
        if (context == null) {
            throw new SttException("engine_unavailable", "no voicecoach.stt.whisper.model configured");
        }
        return new Recognizer() {
            private final ByteArrayOutputStream audio = new ByteArrayOutputStream();

            @Override
            public void accept(byte[] pcm) {
                if (audio.size() + pcm.length > MAX_UTTERANCE_BYTES) {
                    throw new SttException("utterance_too_long", "utterance longer than 5 minutes");
                }
                audio.writeBytes(pcm);
            }

            @Override
            public RecognitionResult finish() throws InterruptedException {
                return transcribe(audio.toByteArray(), request);
            }

            @Override
            public void close() {
                // nothing held between calls; a running decode finishes on its own
            }
        };
    }

    RecognitionResult transcribe(byte[] pcm, RecognitionRequest request) throws InterruptedException {
        float[] samples = samples(pcm);
        var params = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
        params.nThreads = Math.max(1, config.threads());
        params.language = language(request.language());
        params.initialPrompt = request.phrases().isEmpty() ? null : String.join(", ", request.phrases());
        params.printProgress = false;
        params.printRealtime = false;
        params.printSpecial = false;
        params.printTimestamps = false;
        params.suppressNonSpeechTokens = true;
        decoders.acquire();
        try (var state = whisper.initState(context)) {
            int status = whisper.fullWithState(context, state, params, samples, samples.length);
            if (status != 0) {
                throw new SttException("engine_error", "whisper.cpp failed with status " + status);
            }
            var text = new StringBuilder();
            var segments = new ArrayList<WordTiming>();
            int count = whisper.fullNSegmentsFromState(state);
            for (int i = 0; i < count; i++) {
                String segment = whisper.fullGetSegmentTextFromState(state, i).strip();
                text.append(text.isEmpty() ? "" : " ").append(segment);
                // timestamps are in centiseconds; whisper-jni gives no per-token probabilities
                segments.add(new WordTiming(segment, whisper.fullGetSegmentTimestamp0FromState(state, i) * 10,
                        whisper.fullGetSegmentTimestamp1FromState(state, i) * 10, 0));
            }
            return new RecognitionResult(text.toString(), 0 /* whisper-jni exposes no token probabilities: unknown */, List.copyOf(segments));
        } finally {
            decoders.release();
        }
    }

    static float[] samples(byte[] pcm) {
        var shorts = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        float[] samples = new float[shorts.remaining()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = shorts.get(i) / 32768f;
        }
        return samples;
    }

    /** whisper.cpp takes ISO-639-1 ({@code en}); sessions declare BCP-47 ({@code en-US}). */
    static String language(String bcp47) {
        if (bcp47 == null || bcp47.isBlank()) {
            return "en";
        }
        int dash = bcp47.indexOf('-');
        return (dash > 0 ? bcp47.substring(0, dash) : bcp47).toLowerCase(Locale.ROOT);
    }

    @PreDestroy
    void free() {
        if (context != null) {
            context.close();
        }
    }
}
