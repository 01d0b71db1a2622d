-- Translations (docs/translations.md): the source's paragraph units, the target languages (each a live
-- document "{manifesto}:{language}"), each translated unit with the source text it was translated
-- from and its review, and published translations (append-only).

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Where the cut of the source into units stands: the source revision it was computed from.
CREATE TABLE translation_sources (
    manifesto_id text    PRIMARY KEY REFERENCES manifestos (id),
    revision     integer NOT NULL,
    next_unit    integer NOT NULL CHECK (next_unit > 0)
);

-- A unit of the source. ordinal is its place in the current cut, NULL once it is no longer there
-- (its id is never given to another paragraph, and comes back if the paragraph does). previous_text
-- is its text before it last changed, changed_at the time of the source operation the cut that saw
-- the change was computed at (docs/translations.md: which source text a translation follows).
CREATE TABLE source_units (
    manifesto_id  text        NOT NULL REFERENCES manifestos (id),
    unit_id       integer     NOT NULL CHECK (unit_id > 0),
    ordinal       integer,
    text          text        NOT NULL,
    previous_text text,
    changed_at    timestamptz NOT NULL,
    PRIMARY KEY (manifesto_id, unit_id)
);
CREATE INDEX source_units_order ON source_units (manifesto_id, ordinal) WHERE ordinal IS NOT NULL;

-- A target language. The document keeps its history when the language is removed (removed_at set)
-- and resumes it when the language is added again.
CREATE TABLE translation_languages (
    manifesto_id text        NOT NULL REFERENCES manifestos (id),
    language     text        NOT NULL,
    doc          text        NOT NULL REFERENCES documents (id),
    revision     integer     NOT NULL,
    text         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    removed_at   timestamptz,
    PRIMARY KEY (manifesto_id, language)
);

-- A unit's translation as last read from the document, the source text it was translated from (or
-- confirmed against), who last edited it, and its review: reviewed while reviewed_text is its text.
CREATE TABLE translation_units (
    manifesto_id  text        NOT NULL,
    language      text        NOT NULL,
    unit_id       integer     NOT NULL,
    text          text        NOT NULL,
    source_text   text,
    translated_by text,
    translated_at timestamptz,
    confirmed_by  text,
    reviewed_by   text,
    reviewed_text text,
    reviewed_at   timestamptz,
    PRIMARY KEY (manifesto_id, language, unit_id),
    FOREIGN KEY (manifesto_id, language) REFERENCES translation_languages (manifesto_id, language)
);
-- The translation memory: the nearest source texts by trigram distance, per language. A GiST index
-- answers "the k nearest" by walking the tree; GIN with % compares the query with every row sharing a
-- trigram (nearly all of them, for paragraphs), 100 times slower on 10,000 units (docs/BENCHMARKS.md).
CREATE INDEX translation_units_memory ON translation_units
    USING gist (language, source_text gist_trgm_ops (siglen = 256));

-- A published translation: the source version (number and SHA-256) and the translated text with its
-- SHA-256. Rows are never changed or deleted.
CREATE TABLE translation_publications (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    manifesto_id   text        NOT NULL,
    language       text        NOT NULL,
    number         integer     NOT NULL,
    source_sha256  text        NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
    text           text        NOT NULL,
    sha256         text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    published_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_by   text        NOT NULL,
    FOREIGN KEY (manifesto_id, number) REFERENCES versions (manifesto_id, number)
);
CREATE INDEX translation_publications_latest ON translation_publications (manifesto_id, number, language, id DESC);

CREATE FUNCTION translation_publications_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'translation_publications rows are never changed or deleted (%)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER translation_publications_immutable BEFORE UPDATE OR DELETE ON translation_publications
    FOR EACH ROW EXECUTE FUNCTION translation_publications_refuse_change();
CREATE TRIGGER translation_publications_no_truncate BEFORE TRUNCATE ON translation_publications
    FOR EACH STATEMENT EXECUTE FUNCTION translation_publications_refuse_change();
