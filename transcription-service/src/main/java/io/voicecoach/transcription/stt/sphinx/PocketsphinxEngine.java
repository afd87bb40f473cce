package io.voicecoach.transcription.stt.sphinx;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttEngine;
import io.voicecoach.transcription.stt.SttException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The bundled offline engine: CMU PocketSphinx (Debian {@code pocketsphinx} + {@code pocketsphinx-en-us}) with a
 * small domain language model built from sales-call sentences and the tenant's and session's phrase lists, which
 * is how phrases are boosted. Missing binaries or model make every utterance fail with {@code engine_unavailable}
 * (logged at start) rather than stopping the service, since other engines may serve the other tenants.
 */
@ApplicationScoped
public class PocketsphinxEngine implements SttEngine {

    public static final String NAME = "pocketsphinx";
    private static final Logger LOG = Logger.getLogger(PocketsphinxEngine.class);

    private final SttConfig.Pocketsphinx config;
    private final Semaphore decoders;
    private final Optional<String> unavailable;
    private volatile LanguageModels models;

    public PocketsphinxEngine(SttConfig config, MeterRegistry meters) {
        this.config = config.pocketsphinx();
        this.decoders = new Semaphore(this.config.maxDecoders(), true);
        this.unavailable = checkInstalled(this.config);
        unavailable.ifPresent(reason -> LOG.warnf("engine %s is unavailable: %s", NAME, reason));
        // what the transcription autoscaler measures (deploy/: KEDA on voicecoach_stt_decoders_busy)
        Gauge.builder("voicecoach.stt.decoders.busy", this, PocketsphinxEngine::busyDecoders)
                .description("PocketSphinx decoder processes running (final and partial decodes)").register(meters);
        Gauge.builder("voicecoach.stt.decoders.max", this, PocketsphinxEngine::maxDecoders)
                .description("PocketSphinx decoder processes allowed at once (0: the engine is unavailable)")
                .register(meters);
    }

    int busyDecoders() {
        return config.maxDecoders() - decoders.availablePermits();
    }

    int maxDecoders() {
        return unavailable.isPresent() ? 0 : config.maxDecoders();
    }

    @Override
    public String name() {
        return NAME;
    }

    public Optional<String> unavailableReason() {
        return unavailable;
    }

    @Override
    public Recognizer open(RecognitionRequest request) {
        if (unavailable.isPresent()) {
            throw new SttException("engine_unavailable", unavailable.get());
        }
        var files = models().forPhrases(request.phrases());
        try {
            decoders.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SttException("engine_error", "interrupted while waiting for a decoder");
        }
        var command = List.of(config.binary(), "-infile", "/dev/stdin",
                "-hmm", Path.of(config.modelDir(), "en-us").toString(),
                "-lm", files.languageModel().toString(), "-dict", files.dictionary().toString(),
                "-time", "yes", "-logfn", "/dev/null");
        try {
            var process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new PocketsphinxRecognizer(process, decoders::release, new SnapshotDecoder(command, decoders),
                    bytes(config.partialInterval()), bytes(config.partialMaxAudio()));
        } catch (IOException | RuntimeException e) {
            decoders.release();
            throw new SttException("engine_unavailable", "cannot start " + config.binary() + ": " + e.getMessage(), e);
        }
    }

    /** PCM16 mono 16 kHz: 32 bytes per millisecond. */
    private static int bytes(java.time.Duration audio) {
        return (int) Math.min(Integer.MAX_VALUE, audio.toMillis() * 32);
    }

    private LanguageModels models() {
        var current = models;
        if (current == null) {
            synchronized (this) {
                if (models == null) {
                    try {
                        models = new LanguageModels(Path.of(config.modelDir(), "cmudict-en-us.dict"), config);
                    } catch (IOException e) {
                        throw new SttException("engine_unavailable", "cannot read the pronunciation dictionary", e);
                    }
                }
                current = models;
            }
        }
        return current;
    }

    @PreDestroy
    void deleteModels() {
        var current = models;
        if (current != null) {
            current.deleteAll();
        }
    }

    private static Optional<String> checkInstalled(SttConfig.Pocketsphinx config) {
        if (!onPath(config.binary())) {
            return Optional.of(config.binary() + " not found (apt-get install pocketsphinx pocketsphinx-en-us)");
        }
        if (!Files.isDirectory(Path.of(config.modelDir(), "en-us"))
                || !Files.isRegularFile(Path.of(config.modelDir(), "cmudict-en-us.dict"))) {
            return Optional.of("no acoustic model or dictionary in " + config.modelDir()
                    + " (apt-get install pocketsphinx-en-us)");
        }
        return Optional.empty();
    }

    private static boolean onPath(String binary) {
        if (binary.contains(File.separator)) {
            return Files.isExecutable(Path.of(binary));
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }
}
