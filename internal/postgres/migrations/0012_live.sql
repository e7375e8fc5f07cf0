-- Events for open pages (new comments, counts, live updates, 속보), in the
-- order they were committed (writers take an advisory lock): a reconnecting
-- browser resumes after the id it saw last, on any node.
CREATE TABLE live_events (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	article_id bigint NOT NULL,
	kind       text NOT NULL,
	data       text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX live_events_article ON live_events (article_id, id);
CREATE INDEX live_events_created ON live_events (created_at);

-- 라이브: a story an editor marked live, and when its coverage ended.
CREATE TABLE live_coverage (
	article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	live       boolean NOT NULL,
	started_at timestamptz NOT NULL,
	ended_at   timestamptz
);

-- The short timestamped updates of a live story.
CREATE TABLE live_updates (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	article_id    bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	author_id     bigint NOT NULL,
	author_name   text NOT NULL,
	body          text NOT NULL,
	quote         text NOT NULL DEFAULT '',
	quote_source  text NOT NULL DEFAULT '',
	photo_id      bigint NOT NULL DEFAULT 0,
	pinned        boolean NOT NULL DEFAULT false,
	previous_body text NOT NULL DEFAULT '',
	created_at    timestamptz NOT NULL,
	corrected_at  timestamptz
);
CREATE INDEX live_updates_article ON live_updates (article_id, id);

-- Reads per article, minute and source (search, social, direct, internal,
-- other), and the same per hour: no address, no account, only counts.
CREATE TABLE audience_minutes (
	article_id bigint NOT NULL,
	minute     timestamptz NOT NULL,
	source     text NOT NULL,
	views      bigint NOT NULL,
	PRIMARY KEY (article_id, minute, source)
);
CREATE INDEX audience_minutes_minute ON audience_minutes (minute);
CREATE TABLE audience_hours (
	article_id bigint NOT NULL,
	hour       timestamptz NOT NULL,
	source     text NOT NULL,
	views      bigint NOT NULL,
	PRIMARY KEY (article_id, hour, source)
);
CREATE INDEX audience_hours_hour ON audience_hours (hour);

-- Open streams per node, reported every few seconds.
CREATE TABLE live_nodes (
	node    text PRIMARY KEY,
	streams bigint NOT NULL,
	seen_at timestamptz NOT NULL
);
