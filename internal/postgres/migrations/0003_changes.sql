-- What each write touched, so that every node (and a server while a
-- command-line tool writes) can drop stale cached pages.
CREATE TABLE change_log (
	seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	article_id bigint NOT NULL DEFAULT 0,
	lists      boolean NOT NULL DEFAULT false,
	everything boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);
