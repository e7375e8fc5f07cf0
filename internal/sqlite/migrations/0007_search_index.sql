-- Search that does not grow with the archive.
--
-- The index holds only the articles readers may find (published, not taken
-- down), keyed by a document id that orders them by publishing time: an
-- article's publishing time in microseconds times 16, plus a free slot.
-- Newest-first search then walks the index backwards and stops after a
-- page, a date range is a rowid range, and nothing is read from articles to
-- filter. Each Hangul run is indexed as its bigrams followed by its last
-- character, so words are matched as phrases of bigrams (see the search
-- package); the one-character prefix index answers one-syllable searches.
-- The filter column holds the section as the token s<id>. The tokens are
-- made in Go, lower-cased and separated by single spaces, so FTS5's ascii
-- tokenizer (spaces split, every other byte of a non-ASCII letter is part
-- of the token) takes them as they are, at less cost than unicode61.
--
-- Servers rebuild the index in the background after this migration
-- (serve --reindex-missing, the default), or jikji reindex does it at once.
DROP TABLE article_search;

CREATE VIRTUAL TABLE article_search USING fts5(
	headline, body, filter,
	content = '', contentless_delete = 1,
	tokenize = 'ascii',
	prefix = '1'
);

CREATE TABLE search_docs (
	article_id INTEGER PRIMARY KEY,
	docid      INTEGER NOT NULL UNIQUE
);
