-- Search that does not grow with the archive.
--
-- The index holds only the articles readers may find (published, not taken
-- down), with what a search filters on, so that a search reads nothing
-- else: the section, the publishing time, a tsvector of the headline (for
-- the headline-first order) and one of the headline and the rest of the
-- text. Each Hangul run is indexed as its bigrams followed by its last
-- character (see the search package). The index of the text is RUM where
-- the server has the extension (Debian: postgresql-15-rum): it keeps
-- positions, so a quoted phrase is answered in the index; elsewhere GIN,
-- which answers a word's bigrams and a one-syllable prefix without reading
-- rows but must read each candidate's tsvector to check a phrase. The time
-- indexes give the newest stretch of the archive to intersect with either.
--
-- Servers rebuild the index in the background after this migration
-- (serve --reindex-missing, the default), or jikji reindex does it at once.
DROP TABLE article_search;

CREATE TABLE article_search (
	article_id   bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	section_id   bigint NOT NULL,
	published_at timestamptz NOT NULL,
	head         tsvector NOT NULL,
	doc          tsvector NOT NULL
);
CREATE INDEX article_search_head ON article_search USING gin (head);
-- The extension goes into public where there is one, so that no dropped
-- schema takes it (and the indexes built on it) along; its operator class
-- is named with its schema, whatever the search_path.
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
			-- Installed on the server, but this role may not add extensions.
			CREATE INDEX article_search_doc ON article_search USING gin (doc);
			RETURN;
		WHEN unique_violation OR duplicate_object THEN
			NULL; -- another migration added it at the same moment
	END;
	SELECT extnamespace::regnamespace::text INTO ext_schema FROM pg_extension WHERE extname = 'rum';
	EXECUTE format('CREATE INDEX article_search_doc ON article_search USING rum (doc %s.rum_tsvector_ops)', ext_schema);
END
$$;
CREATE INDEX article_search_time ON article_search (published_at DESC, article_id DESC);
CREATE INDEX article_search_section_time ON article_search (section_id, published_at DESC, article_id DESC);
