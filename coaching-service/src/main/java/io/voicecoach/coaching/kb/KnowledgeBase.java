package io.voicecoach.coaching.kb;

import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.detect.Embedder;
import io.voicecoach.coaching.detect.EngineFactory;
import io.quarkus.virtual.threads.VirtualThreads;
import io.voicecoach.events.Citation;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import jakarta.annotation.PreDestroy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
    /** A search query is embedded on the caller's thread: a question, not a document. */
    public static final int MAX_QUERY_CHARS = 1000;

    /** The tenant's stored documents or chunks would go beyond its quota. */
    public static class QuotaExceededException extends RuntimeException {
        QuotaExceededException(String message) {
            super(message);
        }
    }

    /** The upload cannot be indexed now: the tenant has one in progress, or every indexing slot is taken. */
    public static class BusyException extends RuntimeException {
        private final boolean tenant;

        BusyException(String message, boolean tenant) {
            super(message);
            this.tenant = tenant;
        }

        /** True when it is this tenant's own upload in progress (429), false when the service is busy (503). */
        public boolean tenant() {
            return tenant;
        }
    }

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
    /** Extraction and embedding of uploads: a few threads of their own, a bounded queue, one upload per tenant. */
    private final ThreadPoolExecutor indexer;
    private final java.util.Set<String> indexing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final TextExtractor.Limits extraction;

    public KnowledgeBase(KbStore store, EngineFactory engines, CoachingConfig config,
                         @VirtualThreads ExecutorService loader) {
        this.loader = loader;
        this.store = store;
        this.embedder = engines.embedder().orElse(null);
        this.config = config.kb();
        this.chunker = new Chunker(this.config.chunkChars(), this.config.overlapChars());
        this.indexes = new BoundedLru<>(this.config.cacheCapacity());
        this.extraction = new TextExtractor.Limits(this.config.maxTextChars(), this.config.maxDecodedBytes(),
                this.config.maxPdfPages());
        var threads = new java.util.concurrent.atomic.AtomicInteger();
        this.indexer = new ThreadPoolExecutor(this.config.indexingThreads(), this.config.indexingThreads(), 0,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(this.config.indexingQueue()), task -> {
                    var thread = new Thread(task, "kb-indexer-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @PreDestroy
    void stop() {
        indexer.shutdownNow();
    }

    /**
     * Extracts, chunks, embeds and stores the document on an indexing thread, never the request's; completes with the
     * stored document, or fails with {@link TextExtractor.UnreadableDocumentException} (no text),
     * {@link TextExtractor.TooLargeException} (beyond an extraction limit) or {@link QuotaExceededException}.
     *
     * @throws BusyException at once when the tenant already has an upload being indexed or the queue is full
     */
    public CompletableFuture<KbStore.DocumentInfo> add(String tenantId, String title, String mediaType, byte[] body) {
        var embed = requireEmbedder();
        requireRoom(tenantId, 0);
        if (!indexing.add(tenantId)) {
            throw new BusyException("another document of this tenant is being indexed; send this one when it is done",
                    true);
        }
        var result = new CompletableFuture<KbStore.DocumentInfo>();
        try {
            indexer.execute(() -> {
                try {
                    result.complete(index(embed, tenantId, title, mediaType, body));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                } finally {
                    indexing.remove(tenantId);
                }
            });
        } catch (RejectedExecutionException e) {
            indexing.remove(tenantId);
            throw new BusyException("every indexing slot is taken; try again shortly", false);
        }
        return result;
    }

    private KbStore.DocumentInfo index(Embedder embed, String tenantId, String title, String mediaType, byte[] body) {
        String text = TextExtractor.extract(mediaType, body, extraction);
        var chunks = chunker.chunks(text);
        if (chunks.isEmpty()) {
            throw new TextExtractor.UnreadableDocumentException("the document has no text", null);
        }
        requireRoom(tenantId, chunks.size());
        var vectors = new ArrayList<float[]>(chunks.size());
        for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
            vectors.addAll(embed.embedUncached(chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH))));
        }
        var info = store.save(tenantId, title, mediaType, body.length, chunks, vectors,
                new KbStore.Quota(config.maxTenantDocuments(), config.maxTenantChunks()))
                .orElseThrow(() -> quotaExceeded(tenantId, chunks.size()));
        load(tenantId);
        LOG.infof("tenant %s: document %s (%s, %d bytes) stored as %d chunks", tenantId, info.id(), mediaType,
                body.length, chunks.size());
        return info;
    }

    /** Refuses early (without extracting anything) when the tenant is at its quota already. */
    private void requireRoom(String tenantId, int chunks) {
        var usage = store.usage(tenantId);
        if (usage.documents() + 1 > config.maxTenantDocuments()
                || usage.chunks() + chunks > config.maxTenantChunks()) {
            throw quotaExceeded(tenantId, chunks);
        }
    }

    private QuotaExceededException quotaExceeded(String tenantId, int chunks) {
        var usage = store.usage(tenantId);
        return new QuotaExceededException("the knowledge base holds " + usage.documents() + " documents and "
                + usage.chunks() + " chunks; with this one" + (chunks > 0 ? " (" + chunks + " chunks)" : "")
                + " it would exceed the quota of " + config.maxTenantDocuments() + " documents or "
                + config.maxTenantChunks() + " chunks: delete documents first");
    }

    public boolean delete(String tenantId, java.util.UUID id) {
        boolean deleted = store.delete(tenantId, id);
        load(tenantId);
        return deleted;
    }

    /** The {@code k} chunks nearest to the query (its first {@value #MAX_QUERY_CHARS} characters), best first. */
    public List<Citation> search(String tenantId, String query, int k) {
        var embed = requireEmbedder();
        var index = index(tenantId);
        if (index.size() == 0) {
            return List.of();
        }
        String bounded = query.length() > MAX_QUERY_CHARS ? query.substring(0, MAX_QUERY_CHARS) : query;
        return index.search(embed.embed(bounded), k, config.excerptChars());
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
