package io.voicecoach.bench.coaching;

import io.voicecoach.coaching.detect.Embedder;
import io.voicecoach.coaching.kb.ChunkIndex;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Knowledge-base retrieval cost: top-k over coaching-service's in-memory {@link ChunkIndex} (exhaustive dot products
 * over 384-dimension unit vectors) with {@code bench.chunks} chunks (default 10,000). The vectors are random unit
 * vectors: the search cost does not depend on what they mean. The query's own embedding (a few ms, see
 * DetectionEval) is not included. Prints wall and thread-CPU time per search, p50/p95/max over {@code bench.queries}
 * (2,000) searches after as many warm-up searches, for k = 2 (the service's citations) and k = 10.
 */
public final class KbSearchBench {

    private static final int DIMENSIONS = 384;

    public static void main(String[] args) {
        int chunks = Integer.getInteger("bench.chunks", 10_000);
        int queries = Integer.getInteger("bench.queries", 2_000);
        var random = new Random(42);
        var entries = new ArrayList<ChunkIndex.Entry>(chunks);
        var vectors = new ArrayList<float[]>(chunks);
        var document = UUID.randomUUID();
        for (int i = 0; i < chunks; i++) {
            entries.add(new ChunkIndex.Entry(document, "document " + (i / 50), i % 50,
                    "chunk " + i + " of the synthetic knowledge base, about eight hundred characters in the service"));
            vectors.add(randomUnit(random));
        }
        var index = ChunkIndex.of(entries, vectors);
        var threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "index: %d chunks x %d dimensions (%.1f MiB of vectors)%n", index.size(),
                DIMENSIONS, index.size() * DIMENSIONS * 4 / 1048576.0);
        for (int k : new int[]{2, 10}) {
            double[] wall = new double[queries];
            double[] cpu = new double[queries];
            for (int round = 0; round < 2; round++) {
                for (int q = 0; q < queries; q++) {
                    float[] query = randomUnit(random);
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    var hits = index.search(query, k, 240);
                    wall[q] = (System.nanoTime() - start) / 1_000.0;
                    cpu[q] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000.0;
                    if (hits.size() != k) {
                        throw new IllegalStateException("expected " + k + " hits, got " + hits.size());
                    }
                }
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT, "top-%d: wall p50 %.2f ms, p95 %.2f ms, max %.2f ms; CPU p50 %.2f ms,"
                            + " p95 %.2f ms%n", k, pct(wall, 50) / 1000, pct(wall, 95) / 1000, wall[queries - 1] / 1000,
                    pct(cpu, 50) / 1000, pct(cpu, 95) / 1000);
        }
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static float[] randomUnit(Random random) {
        float[] v = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return Embedder.unit(v);
    }

    private KbSearchBench() {
    }
}
