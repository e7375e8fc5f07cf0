-- The reader whose own state a write changed (a reaction, a saved article, a
-- subscription), so that every node drops its cached copy of that reader's
-- state; 0 for writes that change no reader's own state.
ALTER TABLE change_log ADD COLUMN account_id bigint NOT NULL DEFAULT 0;
