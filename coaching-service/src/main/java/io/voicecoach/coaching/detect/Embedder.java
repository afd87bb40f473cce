package io.voicecoach.coaching.detect;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.voicecoach.coaching.BoundedLru;

import java.util.ArrayList;
import java.util.List;

/**
 * Unit-length sentence embeddings from the in-process model. Playbook examples are remembered by text (bounded), so
 * rebuilding a tenant's detector after a playbook change only embeds the sentences that are new; utterances are
 * embedded afresh every time.
 */
public final class Embedder {

    private final EmbeddingModel model;
    private final BoundedLru<String, float[]> examples;

    public Embedder(EmbeddingModel model, int cachedExamples) {
        this.model = model;
        this.examples = new BoundedLru<>(cachedExamples);
    }

    public Embedder(EmbeddingModel model) {
        this(model, 20_000);
    }

    /** One utterance or query, not cached. */
    public float[] embed(String text) {
        return unit(model.embed(text).content().vector());
    }

    /** Playbook or knowledge-base texts, in order; texts seen before come from the cache. */
    public List<float[]> embedAll(List<String> texts) {
        var result = new ArrayList<float[]>(texts.size());
        var missing = new ArrayList<String>();
        for (String text : texts) {
            float[] cached = examples.get(text);
            result.add(cached);
            if (cached == null) {
                missing.add(text);
            }
        }
        if (!missing.isEmpty()) {
            var vectors = model.embedAll(missing.stream().map(TextSegment::from).toList()).content();
            int next = 0;
            for (int i = 0; i < result.size(); i++) {
                if (result.get(i) == null) {
                    float[] vector = unit(vectors.get(next++).vector());
                    examples.putIfAbsent(texts.get(i), vector);
                    result.set(i, vector);
                }
            }
        }
        return result;
    }

    /** Embeds without remembering (documents too many to cache). */
    public List<float[]> embedUncached(List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(e -> unit(e.vector())).toList();
    }

    public static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    public static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
