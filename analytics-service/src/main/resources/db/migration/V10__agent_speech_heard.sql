-- Issue 15: a reply cut by barge-in counts as heard, not as synthesized. One row per reply item of a session:
-- synthesized_ms from its agent.speech.audio_done (agent.speech), heard_ms from its item.truncated (voice.sessions),
-- in whichever order the two topics deliver them. sessions.agent_speech_ms counts least(synthesized_ms, heard_ms) of
-- each item (synthesized_ms for an item never cut; nothing until it is synthesized). Sessions counted before this
-- migration keep their totals, cut items included whole.
CREATE TABLE agent_speech_items (
    session_id     text   NOT NULL REFERENCES sessions (session_id),
    item_id        text   NOT NULL,
    tenant_id      text   NOT NULL,
    synthesized_ms bigint,
    heard_ms       bigint,
    PRIMARY KEY (session_id, item_id)
);
