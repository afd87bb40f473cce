-- Issue 15 item 7: the voice agent's speech per session, kept by ingestion from agent.speech (one
-- agent.speech.audio_done per spoken reply item, one agent.speech.failed per item the engine gave up on).
-- agent_speech_ms: audio synthesized for the caller (sum of the items' durationMs; a cut item counts whole);
-- tts_chars: characters of the text spoken; tts_cost_usd: tts_chars x the tenant's price for the item's engine at
-- ingestion (voicecoach.tts.*); tts_items / tts_failures: items spoken / items that failed.
ALTER TABLE sessions
    ADD COLUMN agent_speech_ms bigint NOT NULL DEFAULT 0,
    ADD COLUMN tts_chars bigint NOT NULL DEFAULT 0,
    ADD COLUMN tts_cost_usd double precision NOT NULL DEFAULT 0,
    ADD COLUMN tts_items integer NOT NULL DEFAULT 0,
    ADD COLUMN tts_failures integer NOT NULL DEFAULT 0;
