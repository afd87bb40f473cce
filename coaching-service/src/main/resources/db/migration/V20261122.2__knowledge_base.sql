-- Knowledge base per tenant: documents, their chunks and each chunk's embedding (384 float32, little endian).
CREATE TABLE kb_documents (
    id          uuid PRIMARY KEY,
    tenant_id   text        NOT NULL,
    title       text        NOT NULL,
    media_type  text        NOT NULL,
    size_bytes  integer     NOT NULL,
    chunk_count integer     NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX kb_documents_tenant ON kb_documents (tenant_id, created_at);

CREATE TABLE kb_chunks (
    id          bigserial PRIMARY KEY,
    document_id uuid    NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
    tenant_id   text    NOT NULL,
    chunk_index integer NOT NULL,
    text        text    NOT NULL,
    embedding   bytea   NOT NULL,
    UNIQUE (document_id, chunk_index)
);
CREATE INDEX kb_chunks_tenant ON kb_chunks (tenant_id);
