package io.voicecoach.coaching.kb;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Knowledge-base documents and chunks in PostgreSQL; every query is scoped by tenant. */
@ApplicationScoped
public class KbStore {

    /** A document's metadata. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record DocumentInfo(UUID id, String title, String mediaType, int sizeBytes, int chunks, Instant createdAt) {
    }

    /** What a tenant has stored. */
    public record Usage(long documents, long chunks) {
    }

    /** What a tenant may store. */
    public record Quota(int documents, int chunks) {
    }

    /** A stored chunk with its embedding. */
    public record StoredChunk(ChunkIndex.Entry entry, float[] vector) {
    }

    /**
     * Stores the document unless the tenant's documents or chunks would go beyond {@code quota}; two uploads of one
     * tenant (on any instances) are counted one after the other (a transaction-scoped advisory lock on the tenant).
     *
     * @return empty when it would not fit
     */
    @Transactional
    public Optional<DocumentInfo> save(String tenantId, String title, String mediaType, int sizeBytes,
                                       List<String> chunks, List<float[]> vectors, Quota quota) {
        Panache.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext('kb:' || ?1))")
                .setParameter(1, tenantId).getSingleResult();
        var usage = usage(tenantId);
        if (usage.documents() + 1 > quota.documents() || usage.chunks() + chunks.size() > quota.chunks()) {
            return Optional.empty();
        }
        var document = new KbDocumentEntity();
        document.id = UUID.randomUUID();
        document.tenantId = tenantId;
        document.title = title;
        document.mediaType = mediaType;
        document.sizeBytes = sizeBytes;
        document.chunkCount = chunks.size();
        document.createdAt = Instant.now();
        document.persist();
        for (int i = 0; i < chunks.size(); i++) {
            var chunk = new KbChunkEntity();
            chunk.documentId = document.id;
            chunk.tenantId = tenantId;
            chunk.chunkIndex = i;
            chunk.text = chunks.get(i);
            chunk.embedding = Vectors.toBytes(vectors.get(i));
            chunk.persist();
            if (i % 100 == 99) {
                Panache.getEntityManager().flush();
                Panache.getEntityManager().clear();
            }
        }
        return Optional.of(info(document));
    }

    @Transactional
    public Usage usage(String tenantId) {
        Object[] row = (Object[]) Panache.getEntityManager().createNativeQuery(
                        "select count(*), coalesce(sum(chunk_count), 0) from kb_documents where tenant_id = ?1")
                .setParameter(1, tenantId).getSingleResult();
        return new Usage(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    @Transactional
    public List<DocumentInfo> documents(String tenantId) {
        return KbDocumentEntity.<KbDocumentEntity>list("tenantId = ?1 order by createdAt desc", tenantId).stream()
                .map(KbStore::info).toList();
    }

    @Transactional
    public Optional<DocumentInfo> document(String tenantId, UUID id) {
        return KbDocumentEntity.<KbDocumentEntity>find("id = ?1 and tenantId = ?2", id, tenantId)
                .firstResultOptional().map(KbStore::info);
    }

    /** True when the tenant had the document; its chunks go with it. */
    @Transactional
    public boolean delete(String tenantId, UUID id) {
        KbChunkEntity.delete("documentId = ?1 and tenantId = ?2", id, tenantId);
        return KbDocumentEntity.delete("id = ?1 and tenantId = ?2", id, tenantId) > 0;
    }

    @Transactional
    public List<StoredChunk> chunks(String tenantId) {
        List<Object[]> rows = Panache.getEntityManager().createQuery(
                        "select c.documentId, d.title, c.chunkIndex, c.text, c.embedding from KbChunkEntity c, "
                                + "KbDocumentEntity d where c.documentId = d.id and c.tenantId = ?1 and d.tenantId = ?1 "
                                + "order by d.createdAt, c.chunkIndex", Object[].class)
                .setParameter(1, tenantId).getResultList();
        var chunks = new ArrayList<StoredChunk>(rows.size());
        for (Object[] row : rows) {
            chunks.add(new StoredChunk(new ChunkIndex.Entry((UUID) row[0], (String) row[1], (Integer) row[2],
                    (String) row[3]), Vectors.fromBytes((byte[]) row[4])));
        }
        return chunks;
    }

    private static DocumentInfo info(KbDocumentEntity e) {
        return new DocumentInfo(e.id, e.title, e.mediaType, e.sizeBytes, e.chunkCount, e.createdAt);
    }
}
