-- Sign-in: authenticator apps and recovery codes, sessions a person can
-- see, and logins at outside providers.
ALTER TABLE accounts ADD COLUMN two_factor boolean NOT NULL DEFAULT false;

-- confirmed_at is NULL while a setup waits for its first code; last_step
-- is the time step of the last code accepted, so no code works twice.
CREATE TABLE two_factor (
	account_id   bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	secret       text NOT NULL,
	confirmed_at timestamptz,
	last_step    bigint NOT NULL DEFAULT 0
);

-- Only the hash of each recovery code is kept; used_at NULL means unused.
CREATE TABLE recovery_codes (
	account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	code_hash  text NOT NULL,
	used_at    timestamptz,
	PRIMARY KEY (account_id, code_hash)
);

-- No address is kept: the user agent and an approximate time of last use
-- are what a person needs to recognise a session. pending marks a login
-- that waits for its second factor.
ALTER TABLE sessions ADD COLUMN user_agent text NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz;
ALTER TABLE sessions ADD COLUMN pending boolean NOT NULL DEFAULT false;

CREATE TABLE identities (
	provider   text NOT NULL,
	subject    text NOT NULL,
	account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	email      text NOT NULL,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (provider, subject)
);
CREATE UNIQUE INDEX identities_account ON identities (account_id, provider);

-- A provider login whose e-mail belongs to an account not linked to it,
-- waiting for the owner's proof.
CREATE TABLE pending_identities (
	token_hash text PRIMARY KEY,
	provider   text NOT NULL,
	subject    text NOT NULL,
	email      text NOT NULL,
	name       text NOT NULL,
	account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	expires_at timestamptz NOT NULL
);
