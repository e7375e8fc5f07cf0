CREATE TABLE site (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	data TEXT NOT NULL
);

CREATE TABLE markers (
	name       TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL
);

CREATE TABLE sections (
	id       INTEGER PRIMARY KEY,
	slug     TEXT NOT NULL UNIQUE,
	name     TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE labels (
	code     TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE reporters (
	id    INTEGER PRIMARY KEY,
	name  TEXT NOT NULL,
	role  TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	bio   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE photos (
	id           INTEGER PRIMARY KEY,
	caption      TEXT NOT NULL,
	credit       TEXT NOT NULL,
	alt          TEXT NOT NULL,
	width        INTEGER NOT NULL,
	height       INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	created_at   INTEGER NOT NULL
);

CREATE TABLE photo_variants (
	photo_id     INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
	width        INTEGER NOT NULL,
	height       INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	data         BLOB NOT NULL,
	PRIMARY KEY (photo_id, width)
);

-- Times are Unix microseconds (UTC); 0 means unset.
CREATE TABLE articles (
	id               INTEGER PRIMARY KEY,
	section_id       INTEGER NOT NULL REFERENCES sections (id),
	labels           TEXT NOT NULL DEFAULT '[]',
	headline         TEXT NOT NULL,
	deck             TEXT NOT NULL DEFAULT '[]',
	body             TEXT NOT NULL DEFAULT '',
	blocks           TEXT NOT NULL DEFAULT '[]',
	state            TEXT NOT NULL,
	published_at     INTEGER NOT NULL DEFAULT 0,
	updated_at       INTEGER NOT NULL DEFAULT 0,
	print_date       TEXT NOT NULL DEFAULT '',
	print_page       INTEGER NOT NULL DEFAULT 0,
	source_slogan    TEXT NOT NULL DEFAULT '',
	source_copyright TEXT NOT NULL DEFAULT '',
	correction_note  TEXT NOT NULL DEFAULT '',
	comments_open    INTEGER NOT NULL DEFAULT 1,
	comment_count    INTEGER NOT NULL DEFAULT 0,
	created_at       INTEGER NOT NULL,
	version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_published ON articles (published_at DESC, id DESC) WHERE state = 'published';
CREATE INDEX articles_section ON articles (section_id, published_at DESC, id DESC) WHERE state = 'published';

CREATE TABLE bylines (
	article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	reporter_id INTEGER NOT NULL REFERENCES reporters (id),
	role        TEXT NOT NULL DEFAULT '',
	dateline    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (article_id, position)
);
CREATE INDEX bylines_reporter ON bylines (reporter_id, article_id);
