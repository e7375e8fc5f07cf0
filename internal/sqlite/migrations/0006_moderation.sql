-- Moderation: reports, sanctions, banned words, per-article comment modes,
-- takedowns (임시조치) and the audit log of moderators' actions. Times are
-- Unix microseconds (UTC); 0 means unset.

CREATE TABLE comment_reports (
	id          INTEGER PRIMARY KEY,
	comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
	account_id  INTEGER NOT NULL REFERENCES accounts (id),
	reason      TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	resolved_at INTEGER NOT NULL DEFAULT 0,
	UNIQUE (comment_id, account_id)
);
CREATE INDEX comment_reports_open ON comment_reports (comment_id) WHERE resolved_at = 0;
CREATE INDEX comments_pending ON comments (created_at) WHERE state = 'pending';

-- One row per account: its latest sanction.
CREATE TABLE sanctions (
	account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
	ban        INTEGER NOT NULL DEFAULT 0,
	until      INTEGER NOT NULL DEFAULT 0,
	reason     TEXT NOT NULL,
	by_id      INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE banned_words (
	position INTEGER PRIMARY KEY,
	word     TEXT NOT NULL
);

CREATE TABLE comment_modes (
	article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	mode       TEXT NOT NULL CHECK (mode IN ('open', 'premoderated', 'closed'))
);

CREATE TABLE takedowns (
	id          INTEGER PRIMARY KEY,
	target_kind TEXT NOT NULL CHECK (target_kind IN ('article', 'comment')),
	target_id   INTEGER NOT NULL,
	claimant    TEXT NOT NULL,
	claim       TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('active', 'restored', 'removed')),
	decision    TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	until       INTEGER NOT NULL,
	decided_at  INTEGER NOT NULL DEFAULT 0,
	by_id       INTEGER NOT NULL
);
CREATE INDEX takedowns_target ON takedowns (target_kind, target_id);

CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY,
	actor_id    INTEGER NOT NULL,
	action      TEXT NOT NULL,
	target_kind TEXT NOT NULL,
	target_id   INTEGER NOT NULL,
	reason      TEXT NOT NULL,
	created_at  INTEGER NOT NULL
);
