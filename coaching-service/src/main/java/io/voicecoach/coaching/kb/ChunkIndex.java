package io.voicecoach.coaching.kb;

import io.voicecoach.events.Citation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * One tenant's chunks in memory for exact top-k search: unit vectors in one flat float array (cache friendly),
 * scored by dot product (= cosine), the best k kept in a small heap. Immutable; rebuilt when documents change.
 */
public final class ChunkIndex {

    /** What a hit refers to. */
    public record Entry(UUID documentId, String documentTitle, int chunkIndex, String text) {
    }

    public static final ChunkIndex EMPTY = new ChunkIndex(List.of(), new float[0], 0);

    private final List<Entry> entries;
    private final float[] vectors;
    private final int dimensions;

    private ChunkIndex(List<Entry> entries, float[] vectors, int dimensions) {
        this.entries = entries;
        this.vectors = vectors;
        this.dimensions = dimensions;
    }

    /** @param vectors unit vectors, one per entry, all of the same length */
    public static ChunkIndex of(List<Entry> entries, List<float[]> vectors) {
        if (entries.isEmpty()) {
            return EMPTY;
        }
        int dimensions = vectors.getFirst().length;
        float[] flat = new float[entries.size() * dimensions];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, flat, i * dimensions, dimensions);
        }
        return new ChunkIndex(List.copyOf(entries), flat, dimensions);
    }

    public int size() {
        return entries.size();
    }

    /** The {@code k} entries most similar to {@code query} (a unit vector), best first, as citations. */
    public List<Citation> search(float[] query, int k, int excerptChars) {
        if (entries.isEmpty() || k <= 0) {
            return List.of();
        }
        var best = new PriorityQueue<Hit>(k + 1, Comparator.comparingDouble(Hit::score));
        for (int i = 0; i < entries.size(); i++) {
            double score = dot(query, i * dimensions);
            if (best.size() < k) {
                best.add(new Hit(i, score));
            } else if (score > best.peek().score()) {
                best.poll();
                best.add(new Hit(i, score));
            }
        }
        var hits = new ArrayList<>(best);
        hits.sort(Comparator.comparingDouble(Hit::score).reversed());
        return hits.stream().map(h -> citation(entries.get(h.index()), h.score(), excerptChars)).toList();
    }

    private double dot(float[] query, int offset) {
        float sum = 0;
        for (int d = 0; d < dimensions; d++) {
            sum += query[d] * vectors[offset + d];
        }
        return sum;
    }

    private static Citation citation(Entry entry, double score, int excerptChars) {
        String text = entry.text();
        String excerpt = text.length() <= excerptChars ? text : text.substring(0, excerptChars).strip() + "…";
        return new Citation(entry.documentId().toString(), entry.documentTitle(), entry.chunkIndex(), excerpt,
                Math.round(score * 1000) / 1000.0);
    }

    private record Hit(int index, double score) {
    }
}
