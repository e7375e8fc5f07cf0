-- Moving a site from WordPress: keywords (its tags), the old links, the ids
-- of what came from each source site, and commenters who never had a login.

-- Keywords as written, in order, for showing under the story; the
-- article_keywords rows list articles by a keyword's slug for /tags/{slug}.
ALTER TABLE articles ADD COLUMN keywords jsonb NOT NULL DEFAULT '[]';

CREATE TABLE article_keywords (
	slug       text NOT NULL,
	article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	PRIMARY KEY (slug, article_id)
);
CREATE INDEX article_keywords_article ON article_keywords (article_id);

-- An old URL (path, and the query for /?p=ID) and the Jikji path it now
-- lives at, answered with 301 by every node.
CREATE TABLE redirects (
	path   text PRIMARY KEY,
	target text NOT NULL
);

-- What an import made of each item of a source site (its base URL): kind is
-- post, attachment, author, comment or commenter; checksum tells a changed
-- item from an unchanged one on the next run.
CREATE TABLE import_sources (
	source    text NOT NULL,
	kind      text NOT NULL,
	source_id text NOT NULL,
	target_id bigint NOT NULL,
	checksum  text NOT NULL DEFAULT '',
	PRIMARY KEY (source, kind, source_id)
);

-- Imported commenters have no e-mail and no login; only live accounts that
-- can log in keep their e-mail unique.
DROP INDEX accounts_email;
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email)) WHERE deleted_at IS NULL AND role <> 'imported';
