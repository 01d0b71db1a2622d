-- Named versions in a tamper-evident chain, their publications, and authorship checkpoints.

-- A version is the exact text of a manifesto at one revision, named by an organiser. Rows are never
-- edited or deleted (the trigger below refuses it); only the first publication is recorded on the row.
-- chain = SHA-256(previous chain || SHA-256(text) || metadata), see docs/versions.md: a row changed
-- behind the trigger's back (by a superuser disabling it) no longer verifies.
CREATE TABLE versions (
    manifesto_id text        NOT NULL REFERENCES manifestos (id),
    number       integer     NOT NULL CHECK (number > 0),
    name         text        NOT NULL,
    note         text        NOT NULL DEFAULT '',
    revision     integer     NOT NULL CHECK (revision >= 0),
    text         text        NOT NULL,
    sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    chain        text        NOT NULL CHECK (chain ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL,
    created_by   text        NOT NULL,
    published    boolean     NOT NULL DEFAULT false,
    published_at timestamptz,
    PRIMARY KEY (manifesto_id, number),
    CHECK (published = (published_at IS NOT NULL))
);

-- Every act of publishing, in order: the public page shows the version published last, and every
-- version ever published stays publicly readable.
CREATE TABLE publications (
    manifesto_id text        NOT NULL,
    number       integer     NOT NULL,
    published_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_by text        NOT NULL,
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    FOREIGN KEY (manifesto_id, number) REFERENCES versions (manifesto_id, number)
);
CREATE INDEX publications_latest ON publications (manifesto_id, id DESC);

CREATE FUNCTION versions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The one change allowed: a version's first publication.
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'versions' THEN
        IF (NEW.manifesto_id, NEW.number, NEW.name, NEW.note, NEW.revision, NEW.text, NEW.sha256, NEW.chain,
            NEW.created_at, NEW.created_by)
           IS NOT DISTINCT FROM
           (OLD.manifesto_id, OLD.number, OLD.name, OLD.note, OLD.revision, OLD.text, OLD.sha256, OLD.chain,
            OLD.created_at, OLD.created_by)
           AND (NOT OLD.published OR (NEW.published AND NEW.published_at = OLD.published_at)) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% rows are never changed or deleted (%)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER versions_immutable BEFORE UPDATE OR DELETE ON versions
    FOR EACH ROW EXECUTE FUNCTION versions_refuse_change();
CREATE TRIGGER versions_no_truncate BEFORE TRUNCATE ON versions
    FOR EACH STATEMENT EXECUTE FUNCTION versions_refuse_change();
CREATE TRIGGER publications_immutable BEFORE UPDATE OR DELETE ON publications
    FOR EACH ROW EXECUTE FUNCTION versions_refuse_change();
CREATE TRIGGER publications_no_truncate BEFORE TRUNCATE ON publications
    FOR EACH STATEMENT EXECUTE FUNCTION versions_refuse_change();

-- Who inserted each character, as run-length attribution at every 1,000th revision, written lazily
-- by the versions feature (the ops are the truth; these rows are a cache and may be recomputed).
-- Reading authorship at revision r then replays at most ~1,000 operations, like reading its text.
CREATE TABLE attribution_snapshots (
    doc      text    NOT NULL REFERENCES documents (id),
    revision integer NOT NULL CHECK (revision >= 0),
    runs     bytea   NOT NULL,
    PRIMARY KEY (doc, revision)
);
