-- Signing the published manifesto: settings, signatures, the mail outbox, invalidations (docs/signing.md).

-- One row per manifesto that an organiser configured; a manifesto without a row has the defaults
-- (email required, open, no goal, no deadline, per-IP limits 20 a minute and 200 an hour, no kiosk).
CREATE TABLE signing_settings (
    manifesto_id     text        PRIMARY KEY REFERENCES manifestos (id),
    require_email    boolean     NOT NULL DEFAULT true,
    goal             integer     NOT NULL DEFAULT 0 CHECK (goal >= 0),
    deadline         timestamptz,
    open             boolean     NOT NULL DEFAULT true,
    per_ip_burst     integer     NOT NULL DEFAULT 20 CHECK (per_ip_burst >= 0),
    per_ip_per_hour  integer     NOT NULL DEFAULT 200 CHECK (per_ip_per_hour >= 0),
    kiosk            boolean     NOT NULL DEFAULT false,
    kiosk_per_minute integer     NOT NULL DEFAULT 30 CHECK (kiosk_per_minute >= 0),
    -- The kiosk page's key, shown to admins; only lets a device sign without email, within its limit.
    kiosk_key        text,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- An invalidation by filter (IP or prefix, email domain, time range). Undoing it sets undone_at and
-- frees its signatures; the row stays as the log of what was done.
CREATE TABLE signature_invalidations (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    manifesto_id text        NOT NULL REFERENCES manifestos (id),
    filter       jsonb       NOT NULL,
    reason       text        NOT NULL DEFAULT '',
    matched      integer     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    undone_at    timestamptz
);

-- A signature. It counts when state = 'confirmed' and invalidation_id IS NULL. Erasing one on request
-- leaves a tombstone: personal columns NULL, times cut to the day, display hidden, still counted.
-- Link tokens are stored as SHA-256 only.
CREATE TABLE signatures (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    manifesto_id    text        NOT NULL REFERENCES manifestos (id),
    email_key       text,       -- normalised (trimmed, lower-cased, gmail dots and +tags removed)
    email           text,       -- as given, trimmed: where the mail goes
    name            text,
    city            text,
    comment         text,
    country         text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    display         text        NOT NULL CHECK (display IN ('full', 'initials', 'hidden')),
    language        text        NOT NULL,
    updates         boolean     NOT NULL DEFAULT false,
    version         integer     NOT NULL,
    version_sha256  text        NOT NULL CHECK (version_sha256 ~ '^[0-9a-f]{64}$'),
    state           text        NOT NULL CHECK (state IN ('pending', 'confirmed', 'withdrawn')),
    kiosk           boolean     NOT NULL DEFAULT false,
    ip              inet,
    created_at      timestamptz NOT NULL DEFAULT now(),
    confirmed_at    timestamptz,
    withdrawn_at    timestamptz,
    confirm_hash    bytea       UNIQUE,
    confirm_expires timestamptz,
    withdraw_hash   bytea       UNIQUE,
    mailed_at       timestamptz,
    erased_at       timestamptz,
    invalidation_id bigint      REFERENCES signature_invalidations (id),
    FOREIGN KEY (manifesto_id, version) REFERENCES versions (manifesto_id, number),
    CHECK ((state = 'confirmed') = (confirmed_at IS NOT NULL) OR state = 'withdrawn')
);
-- One signature per normalised email per manifesto.
CREATE UNIQUE INDEX signatures_one_per_email ON signatures (manifesto_id, email_key) WHERE email_key IS NOT NULL;
-- The count by country, index-only.
CREATE INDEX signatures_counted ON signatures (manifesto_id, country)
    WHERE state = 'confirmed' AND invalidation_id IS NULL;
-- The public list, newest first.
CREATE INDEX signatures_listed ON signatures (manifesto_id, confirmed_at DESC, id DESC)
    WHERE state = 'confirmed' AND invalidation_id IS NULL AND display <> 'hidden';
-- Abuse report and invalidation by time; the retention purge of IPs.
CREATE INDEX signatures_by_time ON signatures (manifesto_id, created_at);
CREATE INDEX signatures_with_ip ON signatures (created_at) WHERE ip IS NOT NULL;

-- Mail to send, written in the same transaction as the signature it belongs to; a sender delivers
-- it and deletes the row (the body holds link tokens in clear until then). Message-ID is fixed at
-- insertion, so a resend after a crash between send and delete is recognisably the same message.
CREATE TABLE mail_outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      text        NOT NULL UNIQUE,
    manifesto_id    text        NOT NULL REFERENCES manifestos (id),
    recipient       text        NOT NULL,
    subject         text        NOT NULL,
    text_body       text        NOT NULL,
    html_body       text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    failed_at       timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE failed_at IS NULL;
CREATE INDEX mail_outbox_recipient ON mail_outbox (manifesto_id, recipient);
