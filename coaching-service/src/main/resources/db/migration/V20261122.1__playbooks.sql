-- Per-tenant playbooks, versioned. Version numbers count up per tenant from 1; 0 means the bundled default.
CREATE TABLE tenant_playbooks (
    tenant_id      text PRIMARY KEY,
    active_version integer NOT NULL,
    latest_version integer NOT NULL
);

CREATE TABLE playbook_versions (
    id         bigserial PRIMARY KEY,
    tenant_id  text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    document   text        NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (tenant_id, version)
);
