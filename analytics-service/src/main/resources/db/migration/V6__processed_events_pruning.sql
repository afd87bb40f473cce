-- ProcessedEventsPruner deletes ids older than voicecoach.ingest.processed-events.retention, oldest first.
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
