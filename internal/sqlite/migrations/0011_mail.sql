-- The outbox: a message is queued in the transaction of what caused it and
-- sent later by the one node holding the mail lease. One body may serve
-- many messages (a newsletter edition).
CREATE TABLE mail_bodies (
	id         INTEGER PRIMARY KEY,
	subject    TEXT NOT NULL,
	html       TEXT NOT NULL,
	text       TEXT NOT NULL
);

CREATE TABLE mail_outbox (
	id         INTEGER PRIMARY KEY,
	body_id    INTEGER NOT NULL REFERENCES mail_bodies (id),
	kind       TEXT NOT NULL,
	dedupe     TEXT NOT NULL UNIQUE, -- one message per cause
	account_id INTEGER NOT NULL DEFAULT 0,
	to_addr    TEXT NOT NULL,
	list       TEXT NOT NULL DEFAULT '',
	state      TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'paused')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	sent_at    INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at, id) WHERE state IN ('queued', 'sending');
CREATE INDEX mail_outbox_state ON mail_outbox (state, id);
CREATE INDEX mail_outbox_to ON mail_outbox (to_addr) WHERE state IN ('queued', 'sending');

-- Single-use links (password reset, address confirmation): only the hash
-- of the token is kept.
CREATE TABLE mail_tokens (
	token_hash TEXT PRIMARY KEY,
	purpose    TEXT NOT NULL,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	email      TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mail_tokens_account ON mail_tokens (account_id, purpose, created_at);

-- A reader's notification switches, address confirmation and the key of
-- one-click unsubscribe links.
CREATE TABLE mail_prefs (
	account_id      INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	confirmed_at    INTEGER NOT NULL DEFAULT 0,
	replies         INTEGER NOT NULL DEFAULT 0,
	follows         TEXT NOT NULL DEFAULT 'off' CHECK (follows IN ('off', 'instant', 'digest')),
	digest_min      INTEGER NOT NULL DEFAULT 420,
	newsletter      INTEGER NOT NULL DEFAULT 0,
	unsubscribe_key TEXT NOT NULL UNIQUE
);
CREATE INDEX mail_prefs_newsletter ON mail_prefs (account_id) WHERE newsletter = 1;
CREATE INDEX mail_prefs_follows ON mail_prefs (follows) WHERE follows <> 'off';
-- Readers who were here before mail count as confirmed.
INSERT INTO mail_prefs (account_id, confirmed_at, unsubscribe_key)
	SELECT id, created_at, lower(hex(randomblob(16))) FROM accounts WHERE deleted_at = 0;

-- Addresses that failed permanently; paused at the limit.
CREATE TABLE mail_addresses (
	addr      TEXT PRIMARY KEY, -- lower-case
	failures  INTEGER NOT NULL DEFAULT 0,
	paused_at INTEGER NOT NULL DEFAULT 0
);

-- Cursors of the mail jobs and the site's mail settings.
CREATE TABLE mail_state (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Which node sends: one row, held until it expires.
CREATE TABLE mail_lease (
	name     TEXT PRIMARY KEY,
	holder   TEXT NOT NULL,
	until_at INTEGER NOT NULL
);
