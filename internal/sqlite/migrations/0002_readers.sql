-- Readers and what they do. Times are Unix microseconds (UTC); 0 means unset.

-- A deleted account keeps its row (its comments still point at it) with the
-- personal data erased, so only live accounts hold their e-mail.
CREATE TABLE accounts (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL,
	display_name  TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role          TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	deleted_at    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email)) WHERE deleted_at = 0;

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

-- parent_id is 0 for a top-level comment. likes, dislikes and reply_count are
-- kept exact by the statements that change votes and states.
CREATE TABLE comments (
	id          INTEGER PRIMARY KEY,
	article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	parent_id   INTEGER NOT NULL DEFAULT 0,
	author_id   INTEGER NOT NULL REFERENCES accounts (id),
	body        TEXT NOT NULL,
	state       TEXT NOT NULL,
	likes       INTEGER NOT NULL DEFAULT 0,
	dislikes    INTEGER NOT NULL DEFAULT 0,
	reply_count INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL
);
CREATE INDEX comments_by_time ON comments (article_id, parent_id, created_at, id);
CREATE INDEX comments_by_likes ON comments (article_id, parent_id, likes, id);
CREATE INDEX comments_author ON comments (author_id, created_at, id);

CREATE TABLE comment_votes (
	comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	kind       TEXT NOT NULL CHECK (kind IN ('like', 'dislike')),
	PRIMARY KEY (comment_id, account_id, kind)
);

-- One reaction per reader and article; reaction_counts is its exact tally.
CREATE TABLE reactions (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	kind       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (article_id, account_id)
);

CREATE TABLE reaction_counts (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	count      INTEGER NOT NULL,
	PRIMARY KEY (article_id, kind)
);

CREATE TABLE bookmarks (
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, article_id)
);
CREATE INDEX bookmarks_saved ON bookmarks (account_id, created_at, article_id);

-- target_id is a reporter or a section id, as kind says.
CREATE TABLE subscriptions (
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL CHECK (kind IN ('reporter', 'section')),
	target_id  INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, kind, target_id)
);
CREATE INDEX subscriptions_target ON subscriptions (kind, target_id);
