create table tenants (
    id         text primary key,
    name       text        not null,
    status     text        not null default 'active' check (status in ('active', 'suspended')),
    created_at timestamptz not null default now()
);

create table api_keys (
    id         text primary key,
    tenant_id  text        not null references tenants (id),
    key_hash   char(64)    not null unique,
    key_prefix text        not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);

create index api_keys_tenant_id on api_keys (tenant_id);
