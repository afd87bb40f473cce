package io.voicecoach.coaching.detect;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The in-process sentence embedding model (all-MiniLM-L6-v2, quantised, ONNX inside its jar: no network).
 * <p>
 * The ONNX session is built here rather than by langchain4j, whose default session spreads one short sentence over
 * every core and lets the idle threads spin: measured at 26 ms of CPU for a 3 ms embedding on 2 cores. With
 * {@code threads} intra-op threads (1 by default) and no spinning it costs about its wall time, and concurrent
 * utterances run side by side on the worker threads instead.
 * <p>
 * The tokenizer's native library is unpacked by DJL into {@code DJL_CACHE_DIR}; unless that is already set (system
 * property or environment), it is pointed at {@code cacheDir} so nothing lands in the home folder.
 */
public final class EmbeddingModels {

    public static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";

    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
    private static final int DIMENSION = 384;

    public static EmbeddingModel miniLm(Path cacheDir) {
        return miniLm(cacheDir, 1);
    }

    public static EmbeddingModel miniLm(Path cacheDir, int threads) {
        if (System.getProperty(DJL_CACHE_DIR) == null && System.getenv(DJL_CACHE_DIR) == null) {
            System.setProperty(DJL_CACHE_DIR, cacheDir.toAbsolutePath().toString());
        }
        try (var model = resource(MODEL); var tokenizer = resource(TOKENIZER);
             var options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            var environment = OrtEnvironment.getEnvironment();
            var session = environment.createSession(model.readAllBytes(), options);
            return new MiniLm(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the embedding model", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        return Objects.requireNonNull(EmbeddingModels.class.getResourceAsStream(name), name);
    }

    private static final class MiniLm extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        MiniLm(OnnxBertBiEncoder encoder) {
            super(null);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSION;
        }
    }

    private EmbeddingModels() {
    }
}
