-- The translation memory's look-up by trigram count first (docs/translations.md, docs/BENCHMARKS.md).
--
-- pg_trgm's similarity of two texts with a and b distinct trigrams, c of them shared, is
-- c / (a + b - c), never more than min(a, b) / max(a, b): a text at least t alike a text of a
-- trigrams has a count within [t a, a / t]. The GiST index on the trigrams alone prunes nothing on
-- paragraphs (every page's signature holds nearly every trigram of a query), so the look-up walked
-- every stored unit of the language. The count is now kept beside the text and leads the index
-- after the language, so a window of counts skips every subtree outside it. unit_id % 2 splits the
-- memory in two halves that two connections search at once.
ALTER TABLE translation_units
    ADD COLUMN source_trigrams integer GENERATED ALWAYS AS (array_length(show_trgm(source_text), 1)) STORED;

DROP INDEX translation_units_memory;
CREATE INDEX translation_units_memory ON translation_units
    USING gist (language, (unit_id % 2), source_trigrams, source_text gist_trgm_ops (siglen = 256));

CREATE TYPE translation_memory_match AS (manifesto_id text, source text, translation text, similarity float8);

-- The k translated units of one half of the memory (unit_id % 2 = half) whose source texts are most
-- alike the query, best first (equals by translation), with words, not the unit asking, at least
-- the last bound alike: the same as comparing with every row, found in stages. Stage j takes the
-- nearest by <-> among the counts within the window of bounds[j] that earlier stages did not
-- search (just below and just above them); the search stops once the k-th best is more alike than
-- bounds[j], since nothing outside that window can displace it (the margin covers pg_trgm's float4).
-- Each part is ordered by <-> alone, so that the plan keeps the index's order (with a second key
-- the planner may sort the whole window instead, computing <-> from every row's text: 50 times
-- slower); rows tied at the cut all come (WITH TIES), and equals are then ordered by translation.
CREATE FUNCTION translation_memory(lang text, query text, own_manifesto text, own_unit integer, half integer,
                                   k integer, bounds float8[])
    RETURNS SETOF translation_memory_match LANGUAGE plpgsql STABLE AS $$
DECLARE
    trigrams text[] := show_trgm(query);
    n integer := array_length(trigrams, 1);
    -- The query's distinct words: the same trigrams as the query (checked below), fewer words for
    -- pg_trgm to fold and split each time it compares, which it does for every row it returns.
    words text := array_to_string(ARRAY(SELECT DISTINCT w FROM regexp_split_to_table(lower(query), '[^[:alnum:]]+') w
                                        WHERE w <> ''), ' ');
    least_similar float8 := bounds[cardinality(bounds)];
    lo integer;
    hi integer;
    searched_lo integer;  -- the counts searched so far, [searched_lo, searched_hi]; none at first
    searched_hi integer;
    wanted integer := k;
    best translation_memory_match[] := '{}';
BEGIN
    IF n IS NULL OR k < 1 THEN
        RETURN;
    END IF;
    IF show_trgm(words) = trigrams THEN
        query := words;
    END IF;
    FOR j IN 1 .. cardinality(bounds) LOOP
        lo := ceil(bounds[j] * n - 1e-9);
        hi := floor(n / bounds[j] + 1e-9);
        IF j > 1 THEN
            -- those more alike than the previous bound stay ahead of anything found now
            wanted := k - (SELECT count(*) FROM unnest(best) b WHERE b.similarity > bounds[j - 1] + 1e-6);
        END IF;
        best := ARRAY(
            SELECT ROW(m.manifesto_id, m.source, m.translation, m.similarity)::translation_memory_match FROM (
                SELECT b.manifesto_id, b.source, b.translation, b.similarity FROM unnest(best) b
                UNION ALL
                SELECT near.manifesto_id, near.source_text, near.text, (1 - near.distance)::float8 FROM (
                    SELECT u.manifesto_id, u.source_text, u.text, u.source_text <-> query AS distance
                    FROM translation_units u
                    WHERE u.language = lang AND u.unit_id % 2 = half AND u.source_trigrams BETWEEN lo AND coalesce(searched_lo - 1, hi)
                          AND btrim(u.text) <> '' AND NOT (u.manifesto_id = own_manifesto AND u.unit_id = own_unit)
                    ORDER BY u.source_text <-> query FETCH FIRST wanted ROWS WITH TIES) near
                WHERE near.distance <= 1 - least_similar
                UNION ALL
                SELECT near.manifesto_id, near.source_text, near.text, (1 - near.distance)::float8 FROM (
                    SELECT u.manifesto_id, u.source_text, u.text, u.source_text <-> query AS distance
                    FROM translation_units u
                    WHERE u.language = lang AND u.unit_id % 2 = half AND u.source_trigrams BETWEEN coalesce(searched_hi + 1, hi + 1) AND hi
                          AND btrim(u.text) <> '' AND NOT (u.manifesto_id = own_manifesto AND u.unit_id = own_unit)
                    ORDER BY u.source_text <-> query FETCH FIRST wanted ROWS WITH TIES) near
                WHERE near.distance <= 1 - least_similar) m
            ORDER BY m.similarity DESC, m.translation
            LIMIT k);
        EXIT WHEN cardinality(best) = k AND best[k].similarity > bounds[j] + 1e-6;
        searched_lo := lo;
        searched_hi := hi;
    END LOOP;
    RETURN QUERY SELECT * FROM unnest(best);
END
$$;
