-- Events for open pages (new comments, counts, live updates, 속보), in the
-- order they were written: a reconnecting browser resumes after the id it
-- saw last, on any node.
CREATE TABLE live_events (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	article_id INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	data       TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX live_events_article ON live_events (article_id, id);
CREATE INDEX live_events_created ON live_events (created_at);

-- 라이브: a story an editor marked live, and when its coverage ended.
CREATE TABLE live_coverage (
	article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	live       INTEGER NOT NULL,
	started_at INTEGER NOT NULL,
	ended_at   INTEGER NOT NULL DEFAULT 0
);

-- The short timestamped updates of a live story.
CREATE TABLE live_updates (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	author_id     INTEGER NOT NULL,
	author_name   TEXT NOT NULL,
	body          TEXT NOT NULL,
	quote         TEXT NOT NULL DEFAULT '',
	quote_source  TEXT NOT NULL DEFAULT '',
	photo_id      INTEGER NOT NULL DEFAULT 0,
	pinned        INTEGER NOT NULL DEFAULT 0,
	previous_body TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,
	corrected_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX live_updates_article ON live_updates (article_id, id);

-- Reads per article, minute and source (search, social, direct, internal,
-- other), and the same per hour: no address, no account, only counts.
CREATE TABLE audience_minutes (
	article_id INTEGER NOT NULL,
	minute     INTEGER NOT NULL,
	source     TEXT NOT NULL,
	views      INTEGER NOT NULL,
	PRIMARY KEY (article_id, minute, source)
) WITHOUT ROWID;
CREATE INDEX audience_minutes_minute ON audience_minutes (minute);
CREATE TABLE audience_hours (
	article_id INTEGER NOT NULL,
	hour       INTEGER NOT NULL,
	source     TEXT NOT NULL,
	views      INTEGER NOT NULL,
	PRIMARY KEY (article_id, hour, source)
) WITHOUT ROWID;
CREATE INDEX audience_hours_hour ON audience_hours (hour);

-- Open streams per node, reported every few seconds.
CREATE TABLE live_nodes (
	node    TEXT PRIMARY KEY,
	streams INTEGER NOT NULL,
	seen_at INTEGER NOT NULL
);
