-- a client secret may be bound to one leg of a call (call_id and role: it opens and resumes only that leg) and/or to
-- one session (session_id: it only resumes that session); all null = unbound (opens a session of its own call)
alter table client_secrets
    add column call_id    text,
    add column role       text,
    add column session_id text;
