package io.voicecoach.coaching.kb;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** One chunk of a document and its embedding ({@link Vectors#toBytes}). */
@Entity
@Table(name = "kb_chunks")
public class KbChunkEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "document_id", nullable = false)
    public UUID documentId;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "chunk_index", nullable = false)
    public int chunkIndex;

    @Column(nullable = false)
    public String text;

    @Column(nullable = false)
    public byte[] embedding;
}
