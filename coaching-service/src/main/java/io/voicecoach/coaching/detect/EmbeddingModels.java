package io.voicecoach.coaching.detect;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.nio.file.Path;

/**
 * The in-process sentence embedding model (all-MiniLM-L6-v2, quantised, ONNX inside its jar: no network).
 * Its tokenizer's native library is unpacked by DJL into {@code DJL_CACHE_DIR}; unless that is already set (system
 * property or environment), it is pointed at {@code cacheDir} so nothing lands in the home folder.
 */
public final class EmbeddingModels {

    public static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";

    public static EmbeddingModel miniLm(Path cacheDir) {
        if (System.getProperty(DJL_CACHE_DIR) == null && System.getenv(DJL_CACHE_DIR) == null) {
            System.setProperty(DJL_CACHE_DIR, cacheDir.toAbsolutePath().toString());
        }
        return new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    private EmbeddingModels() {
    }
}
