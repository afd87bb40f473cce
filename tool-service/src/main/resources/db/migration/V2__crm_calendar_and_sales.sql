-- Tools a tenant switched off (or on again); a tool without a row is enabled.
CREATE TABLE tenant_tools (
    tenant_id  text        NOT NULL,
    tool       text        NOT NULL,
    enabled    boolean     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenant_tools_pkey PRIMARY KEY (tenant_id, tool)
);

-- A tenant's customers, found by phone (E.164).
CREATE TABLE customers (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  text        NOT NULL,
    phone      text        NOT NULL,
    name       text        NOT NULL,
    email      text,
    -- [{"vin", "year", "make", "model"}]
    vehicles   jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_phone_e164 CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    CONSTRAINT customers_tenant_phone_key UNIQUE (tenant_id, phone),
    CONSTRAINT customers_tenant_id_key UNIQUE (tenant_id, id)
);

-- Scheduling: one calendar per tenant (time zone, slot length), opening hours per ISO weekday, bays, service types.
CREATE TABLE calendars (
    tenant_id    text PRIMARY KEY,
    timezone     text NOT NULL,
    slot_minutes int  NOT NULL,
    CONSTRAINT calendars_slot_minutes_check CHECK (slot_minutes BETWEEN 5 AND 240 AND 1440 % slot_minutes = 0)
);

CREATE TABLE business_hours (
    tenant_id text     NOT NULL REFERENCES calendars (tenant_id),
    weekday   smallint NOT NULL,
    opens     time     NOT NULL,
    closes    time     NOT NULL,
    CONSTRAINT business_hours_pkey PRIMARY KEY (tenant_id, weekday),
    CONSTRAINT business_hours_weekday_check CHECK (weekday BETWEEN 1 AND 7),
    CONSTRAINT business_hours_order_check CHECK (opens < closes)
);

CREATE TABLE bays (
    tenant_id text NOT NULL REFERENCES calendars (tenant_id),
    id        text NOT NULL,
    name      text NOT NULL,
    CONSTRAINT bays_pkey PRIMARY KEY (tenant_id, id)
);

CREATE TABLE service_types (
    tenant_id        text NOT NULL REFERENCES calendars (tenant_id),
    code             text NOT NULL,
    name             text NOT NULL,
    duration_minutes int  NOT NULL,
    CONSTRAINT service_types_pkey PRIMARY KEY (tenant_id, code),
    CONSTRAINT service_types_duration_check CHECK (duration_minutes > 0)
);

CREATE TABLE appointments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    text        NOT NULL,
    customer_id  uuid        NOT NULL,
    service_type text        NOT NULL,
    -- null only inside the transaction that is booking it
    bay_id       text,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    status       text        NOT NULL,
    vin          text,
    notes        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT appointments_status_check CHECK (status IN ('booked', 'cancelled')),
    CONSTRAINT appointments_order_check CHECK (starts_at < ends_at),
    -- composite keys keep every reference inside the tenant
    CONSTRAINT appointments_customer_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    CONSTRAINT appointments_service_fkey FOREIGN KEY (tenant_id, service_type) REFERENCES service_types (tenant_id, code),
    CONSTRAINT appointments_bay_fkey FOREIGN KEY (tenant_id, bay_id) REFERENCES bays (tenant_id, id)
);
CREATE INDEX appointments_tenant_customer_idx ON appointments (tenant_id, customer_id, starts_at);

-- Booking integrity: a booked appointment holds one row per bay slot it covers. The primary key makes a bay slot
-- belong to at most one appointment, so of two concurrent bookings of the same slot only one can commit its rows.
CREATE TABLE bay_slots (
    tenant_id      text        NOT NULL,
    bay_id         text        NOT NULL,
    slot_start     timestamptz NOT NULL,
    appointment_id uuid        NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    CONSTRAINT bay_slots_pkey PRIMARY KEY (tenant_id, bay_id, slot_start),
    CONSTRAINT bay_slots_bay_fkey FOREIGN KEY (tenant_id, bay_id) REFERENCES bays (tenant_id, id)
);
CREATE INDEX bay_slots_appointment_idx ON bay_slots (appointment_id);

-- Sales: leads an agent logged, meetings it scheduled.
CREATE TABLE leads (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  text        NOT NULL,
    name       text        NOT NULL,
    company    text,
    email      text,
    phone      text,
    interest   text,
    budget     text,
    timeline   text,
    notes      text,
    session_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leads_contact_check CHECK (email IS NOT NULL OR phone IS NOT NULL),
    CONSTRAINT leads_email_lowercase CHECK (email = lower(email))
);
CREATE UNIQUE INDEX leads_tenant_email_key ON leads (tenant_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX leads_tenant_phone_key ON leads (tenant_id, phone) WHERE email IS NULL;

CREATE TABLE meetings (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        text        NOT NULL,
    title            text        NOT NULL,
    starts_at        timestamptz NOT NULL,
    duration_minutes int         NOT NULL,
    attendee_name    text,
    attendee_email   text,
    url              text        NOT NULL UNIQUE,
    session_id       text,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meetings_tenant_starts_idx ON meetings (tenant_id, starts_at);
