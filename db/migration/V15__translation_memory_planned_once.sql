-- The translation memory's look-up, planned once per connection and searching no wider than the
-- answer needs (docs/translations.md, docs/BENCHMARKS.md "The memory planned once (V15)").
--
-- Plans: plpgsql plans each statement on its first run in a session, and with parameters plans it
-- anew for each of the first five runs before settling on the generic plan (the one the look-up
-- keeps using: the index walked in <-> order within the window). The function now asks for the
-- generic plan from the first run, so a session plans it once, and prepare_session() (run by the
-- pool on every new connection, store/Database.java) makes that first run before any request does.
--
-- Windows: once the k best so far are found, the k-th of them (s) says how wide the next window
-- must be: a text outside the counts [s a, a / s] is less than s alike, so it can neither displace
-- nor tie them. The next window is the narrower of that one and the next bound's, so the search
-- never walks more than V14's did, and when the window of s is the narrower, it is the last.
CREATE OR REPLACE FUNCTION translation_memory(lang text, query text, own_manifesto text, own_unit integer,
                                              half integer, k integer, bounds float8[])
    RETURNS SETOF translation_memory_match LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    trigrams text[] := show_trgm(query);
    n integer := array_length(trigrams, 1);
    -- The query's distinct words: the same trigrams as the query (checked below), fewer words for
    -- pg_trgm to fold and split each time it compares, which it does for every row it returns.
    words text := array_to_string(ARRAY(SELECT DISTINCT w FROM regexp_split_to_table(lower(query), '[^[:alnum:]]+') w
                                        WHERE w <> ''), ' ');
    least_similar float8 := bounds[cardinality(bounds)];
    j integer := 1;
    bound float8 := bounds[1];  -- the window searched in this stage is that of this bound
    previous float8;
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
    LOOP
        lo := ceil(bound * n - 1e-9);
        hi := floor(n / bound + 1e-9);
        IF previous IS NOT NULL THEN
            -- those more alike than the previous window's bound stay ahead of anything found now
            wanted := k - (SELECT count(*) FROM unnest(best) b WHERE b.similarity > previous + 1e-6);
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
        EXIT WHEN cardinality(best) = k AND best[k].similarity > bound + 1e-6;
        j := j + 1;
        EXIT WHEN j > cardinality(bounds);
        searched_lo := lo;
        searched_hi := hi;
        previous := bound;
        bound := bounds[j];
        IF cardinality(best) = k THEN
            -- 2e-6 below the k-th: pg_trgm's float4 similarity may lie a little off the ratio
            bound := greatest(bound, best[k].similarity - 2e-6);
        END IF;
    END LOOP;
    RETURN QUERY SELECT * FROM unnest(best);
END
$$;

-- Run by the pool on each new connection before it serves anything (store/Database.java): the
-- memory's function compiled and its statements planned here, not in the first look-up a
-- connection serves. Asks for a language no manifesto has (''), so every stage runs, on no rows.
CREATE FUNCTION prepare_session() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM count(*) FROM translation_memory('', 'prepare', '', 0, 0, 1, ARRAY[0.9, 0.8, 0.7, 0.5, 0.3]);
END
$$;
