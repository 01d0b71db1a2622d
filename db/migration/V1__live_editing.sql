-- Live editing: manifestos, capability tokens, the operation log, snapshots and editing clients.

CREATE TABLE manifestos (
    id          text        PRIMARY KEY,
    title       text        NOT NULL,
    language    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 of each token is stored: a leaked database does not hand out edit rights.
CREATE TABLE capability_tokens (
    token_hash   bytea PRIMARY KEY,
    manifesto_id text  NOT NULL REFERENCES manifestos (id),
    role         text  NOT NULL CHECK (role IN ('admin', 'editor', 'viewer'))
);

-- A live-editable text. The manifesto's own text is the document whose id equals the manifesto id.
CREATE TABLE documents (
    id           text        PRIMARY KEY,
    manifesto_id text        NOT NULL REFERENCES manifestos (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- The one true history. (doc, revision) as primary key means a second writer of the same document
-- cannot fork it: its insert of an already taken revision fails. (doc, client_id, seq) unique is the
-- exactly-once guarantee that survives restarts.
CREATE TABLE ops (
    doc        text        NOT NULL REFERENCES documents (id),
    revision   integer     NOT NULL CHECK (revision > 0),
    client_id  text        NOT NULL,
    seq        integer     NOT NULL CHECK (seq > 0),
    op         text        NOT NULL,
    author     text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (doc, revision),
    UNIQUE (doc, client_id, seq)
);

-- Full text every so many revisions, so opening a document (or reading revision r) replays a bounded
-- number of operations whatever the length of its history. Revision 0 holds the initial text.
CREATE TABLE snapshots (
    doc      text    NOT NULL REFERENCES documents (id),
    revision integer NOT NULL CHECK (revision >= 0),
    text     text    NOT NULL,
    PRIMARY KEY (doc, revision)
);

-- An editing client: its id survives reconnects and restarts through the resume secret (stored hashed).
CREATE TABLE clients (
    client_id   text        PRIMARY KEY,
    doc         text        NOT NULL REFERENCES documents (id),
    resume_hash bytea       NOT NULL UNIQUE,
    name        text        NOT NULL,
    color       text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
