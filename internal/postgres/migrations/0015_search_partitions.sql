-- The search index, one partition per quarter of publishing time.
--
-- A text index answers a word by reading every entry the word has: in one
-- index over the whole archive, the commonest words cost more with every
-- year the archive grows. Split by quarter, a search reads only the
-- quarters it needs: the count stops at the cap after the first partitions
-- it reads, and the newest page comes from the newest quarters. A quarter
-- of even a large daily holds tens of thousands of stories.
--
-- Partitions are made as stories need them (article_search_partition),
-- ahead of time for the coming year when a node starts. The index is
-- rebuilt after this migration as after 0007 (serve --reindex-missing, the
-- default, or jikji reindex).
DROP TABLE article_search;

CREATE TABLE article_search (
	article_id   bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	section_id   bigint NOT NULL,
	published_at timestamptz NOT NULL,
	head         tsvector NOT NULL,
	doc          tsvector NOT NULL,
	PRIMARY KEY (article_id, published_at)
) PARTITION BY RANGE (published_at);

-- article_search_partition makes the partition that holds the given time,
-- if there is none: article_search_2026q4 for 2026-10-01 to 2027-01-01 UTC.
-- Two callers at once are fine: the second finds the first's partition.
CREATE FUNCTION article_search_partition(at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	start timestamptz := date_trunc('quarter', at, 'UTC');
	part text := 'article_search_' || to_char(start AT TIME ZONE 'UTC', 'YYYY"q"Q');
BEGIN
	IF to_regclass(quote_ident(part)) IS NOT NULL THEN
		RETURN;
	END IF;
	EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF article_search FOR VALUES FROM (%L) TO (%L)',
		part, start, start + interval '3 months');
EXCEPTION
	WHEN duplicate_table OR unique_violation THEN
		NULL;
END
$$;

CREATE INDEX article_search_head ON article_search USING gin (head);
-- RUM where the server has it, GIN elsewhere, as in 0007.
DO $$
DECLARE
	ext_schema text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
		CREATE INDEX article_search_doc ON article_search USING gin (doc);
		RETURN;
	END IF;
	BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
			IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
				CREATE EXTENSION rum SCHEMA public;
			ELSE
				CREATE EXTENSION rum;
			END IF;
		END IF;
	EXCEPTION
		WHEN insufficient_privilege THEN
			CREATE INDEX article_search_doc ON article_search USING gin (doc);
			RETURN;
		WHEN unique_violation OR duplicate_object THEN
			NULL;
	END;
	SELECT extnamespace::regnamespace::text INTO ext_schema FROM pg_extension WHERE extname = 'rum';
	EXECUTE format('CREATE INDEX article_search_doc ON article_search USING rum (doc %s.rum_tsvector_ops)', ext_schema);
END
$$;
CREATE INDEX article_search_time ON article_search (published_at DESC, article_id DESC);
CREATE INDEX article_search_section_time ON article_search (section_id, published_at DESC, article_id DESC);
