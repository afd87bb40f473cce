-- a rotated key keeps working until expires_at (the rotation's grace period); null = no expiry
alter table api_keys add column expires_at timestamptz;

create table client_secrets (
    id          text primary key,
    tenant_id   text        not null references tenants (id),
    api_key_id  text        not null references api_keys (id),
    secret_hash char(64)    not null unique,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null
);

create index client_secrets_expires_at on client_secrets (expires_at);
