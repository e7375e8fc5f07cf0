-- The newsroom: revisions of every save, the editors' front page picks and
-- personal API tokens. Times are Unix microseconds (UTC); 0 means unset.

CREATE TABLE revisions (
	id              INTEGER PRIMARY KEY,
	article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	version         INTEGER NOT NULL,
	action          TEXT NOT NULL,
	state           TEXT NOT NULL,
	public          INTEGER NOT NULL DEFAULT 0,
	headline        TEXT NOT NULL,
	deck            TEXT NOT NULL DEFAULT '[]',
	body            TEXT NOT NULL DEFAULT '',
	correction_note TEXT NOT NULL DEFAULT '',
	note            TEXT NOT NULL DEFAULT '',
	account_id      INTEGER, -- NULL for revisions no one made (baselines)
	created_at      INTEGER NOT NULL
);
CREATE INDEX revisions_article ON revisions (article_id, id);

CREATE TABLE front_picks (
	slot       INTEGER NOT NULL, -- 0: top stories; otherwise a section id
	position   INTEGER NOT NULL,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	PRIMARY KEY (slot, position)
);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	name       TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	revoked_at INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX articles_newsroom ON articles (state, id DESC);
