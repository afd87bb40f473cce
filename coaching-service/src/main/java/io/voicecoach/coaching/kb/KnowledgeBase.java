package io.voicecoach.coaching.kb;

import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.detect.Embedder;
import io.voicecoach.coaching.detect.EngineFactory;
import io.quarkus.virtual.threads.VirtualThreads;
import io.voicecoach.events.Citation;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.ExecutorService;

import java.util.ArrayList;
import java.util.List;

/**
 * Each tenant's knowledge base: documents are chunked ({@link Chunker}), embedded with the same in-process model as
 * the detector, stored in PostgreSQL ({@link KbStore}) and searched in memory ({@link ChunkIndex}, loaded lazily per
 * tenant, LRU-bounded, reloaded after {@code kb.refresh} or at once after a change through this instance). The API
 * methods block; {@link #cite} (the stream threads) never touches the database: it searches the index in hand and
 * has it loaded or refreshed on a background thread.
 */
@ApplicationScoped
public class KnowledgeBase {

    private static final Logger LOG = Logger.getLogger(KnowledgeBase.class);
    private static final int EMBED_BATCH = 32;

    /** Embeddings are disabled, so there is nothing to search with. */
    public static class UnavailableException extends RuntimeException {
        UnavailableException() {
            super("the knowledge base needs voicecoach.coaching.embeddings.enabled=true");
        }
    }

    private record Cached(ChunkIndex index, long loadedAtNanos) {
    }

    private final KbStore store;
    private final Embedder embedder;
    private final CoachingConfig.Kb config;
    private final Chunker chunker;
    private final BoundedLru<String, Cached> indexes;
    private final java.util.Set<String> loading = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Background loads on Quarkus' virtual-thread executor, one at a time. */
    private final ExecutorService loader;
    private final java.util.concurrent.locks.ReentrantLock oneAtATime = new java.util.concurrent.locks.ReentrantLock();

    public KnowledgeBase(KbStore store, EngineFactory engines, CoachingConfig config,
                         @VirtualThreads ExecutorService loader) {
        this.loader = loader;
        this.store = store;
        this.embedder = engines.embedder().orElse(null);
        this.config = config.kb();
        this.chunker = new Chunker(this.config.chunkChars(), this.config.overlapChars());
        this.indexes = new BoundedLru<>(this.config.cacheCapacity());
    }

    /** @throws TextExtractor.UnreadableDocumentException when the document cannot be read or has no text */
    public KbStore.DocumentInfo add(String tenantId, String title, String mediaType, byte[] body) {
        var embed = requireEmbedder();
        String text = TextExtractor.extract(mediaType, body);
        var chunks = chunker.chunks(text);
        if (chunks.isEmpty()) {
            throw new TextExtractor.UnreadableDocumentException("the document has no text", null);
        }
        var vectors = new ArrayList<float[]>(chunks.size());
        for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
            vectors.addAll(embed.embedUncached(chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH))));
        }
        var info = store.save(tenantId, title, mediaType, body.length, chunks, vectors);
        load(tenantId);
        LOG.infof("tenant %s: document %s (%s, %d bytes) stored as %d chunks", tenantId, info.id(), mediaType,
                body.length, chunks.size());
        return info;
    }

    public boolean delete(String tenantId, java.util.UUID id) {
        boolean deleted = store.delete(tenantId, id);
        load(tenantId);
        return deleted;
    }

    /** The {@code k} chunks nearest to the query, best first. */
    public List<Citation> search(String tenantId, String query, int k) {
        var embed = requireEmbedder();
        var index = index(tenantId);
        if (index.size() == 0) {
            return List.of();
        }
        return index.search(embed.embed(query), k, config.excerptChars());
    }

    /**
     * Chunks a suggestion about {@code utterance} can cite: up to {@code kb.citations}, each scoring at least
     * {@code kb.cite-threshold}; empty when the tenant has no documents (no embedding is computed then), while its
     * index is first being loaded, or on error. Never blocks on the database.
     */
    public List<Citation> cite(String tenantId, String utterance) {
        if (embedder == null || utterance == null || utterance.isBlank()) {
            return List.of();
        }
        try {
            var cached = indexes.get(tenantId);
            if (cached == null || System.nanoTime() - cached.loadedAtNanos() >= config.refresh().toNanos()) {
                prefetch(tenantId);
            }
            var index = cached == null ? ChunkIndex.EMPTY : cached.index();
            if (index.size() == 0) {
                return List.of();
            }
            return index.search(embedder.embed(utterance), config.citations(), config.excerptChars()).stream()
                    .filter(c -> c.score() >= config.citeThreshold()).toList();
        } catch (RuntimeException e) {
            LOG.warnf("no citations for tenant %s: %s", tenantId, e.getMessage());
            return List.of();
        }
    }

    /** Loads or refreshes the tenant's index on a background thread (a session of the tenant started). */
    public void prefetch(String tenantId) {
        if (embedder != null && loading.add(tenantId)) {
            loader.execute(() -> {
                oneAtATime.lock();
                try {
                    load(tenantId);
                } catch (RuntimeException e) {
                    LOG.warnf("cannot load the knowledge base of tenant %s, keeping the index in hand: %s", tenantId,
                            e.getMessage());
                } finally {
                    oneAtATime.unlock();
                    loading.remove(tenantId);
                }
            });
        }
    }

    private ChunkIndex index(String tenantId) {
        var cached = indexes.get(tenantId);
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAtNanos() < config.refresh().toNanos()) {
            return cached.index();
        }
        return load(tenantId);
    }

    private ChunkIndex load(String tenantId) {
        long now = System.nanoTime();
        var chunks = store.chunks(tenantId);
        var index = ChunkIndex.of(chunks.stream().map(KbStore.StoredChunk::entry).toList(),
                chunks.stream().map(KbStore.StoredChunk::vector).toList());
        indexes.put(tenantId, new Cached(index, now));
        return index;
    }

    private Embedder requireEmbedder() {
        if (embedder == null) {
            throw new UnavailableException();
        }
        return embedder;
    }
}
