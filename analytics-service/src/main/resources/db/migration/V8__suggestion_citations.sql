-- The knowledge-base chunks a suggestion cites (Suggestion.citations: documentId, documentTitle, chunkIndex, excerpt,
-- score), best first, as coaching sent them. They live on the suggestion's row, so they share its tenant and session
-- checks and go with it on erasure. A row a delivery receipt created first has none until its suggestion arrives.
ALTER TABLE suggestions ADD COLUMN citations jsonb NOT NULL DEFAULT '[]'::jsonb;
