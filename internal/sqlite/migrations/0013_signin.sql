-- Sign-in: authenticator apps and recovery codes, sessions a person can
-- see, and logins at outside providers.
ALTER TABLE accounts ADD COLUMN two_factor INTEGER NOT NULL DEFAULT 0;

-- confirmed_at is 0 while a setup waits for its first code; last_step is
-- the time step of the last code accepted, so no code works twice.
CREATE TABLE two_factor (
	account_id   INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	secret       TEXT NOT NULL,
	confirmed_at INTEGER NOT NULL DEFAULT 0,
	last_step    INTEGER NOT NULL DEFAULT 0
);

-- Only the hash of each recovery code is kept; used_at 0 means unused.
CREATE TABLE recovery_codes (
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	code_hash  TEXT NOT NULL,
	used_at    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (account_id, code_hash)
);

-- No address is kept: the user agent and an approximate time of last use
-- are what a person needs to recognise a session. pending marks a login
-- that waits for its second factor.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;

CREATE TABLE identities (
	provider   TEXT NOT NULL,
	subject    TEXT NOT NULL,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	email      TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (provider, subject)
);
CREATE UNIQUE INDEX identities_account ON identities (account_id, provider);

-- A provider login whose e-mail belongs to an account not linked to it,
-- waiting for the owner's proof.
CREATE TABLE pending_identities (
	token_hash     TEXT PRIMARY KEY,
	provider       TEXT NOT NULL,
	subject        TEXT NOT NULL,
	email          TEXT NOT NULL,
	name           TEXT NOT NULL,
	account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	expires_at     INTEGER NOT NULL
);
