-- Live sources: feeds (and single article pages) with their polling status, and the entries seen.
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    title         TEXT,                        -- the outlet name given by the user or the OPML
    site_url      TEXT,
    kind          TEXT NOT NULL DEFAULT 'feed', -- 'feed' (polled) or 'page' (one article, read once)
    added_at      TEXT NOT NULL,
    last_fetch    TEXT,                        -- ISO 8601, UTC
    next_fetch    TEXT,                        -- ISO 8601, UTC; NULL = not polled again
    last_status   INTEGER,                     -- HTTP status of the last fetch (NULL: no answer)
    last_error    TEXT,
    entries       INTEGER NOT NULL DEFAULT 0,  -- entries taken from this feed so far
    failures      INTEGER NOT NULL DEFAULT 0,  -- consecutive failed polls (back-off)
    etag          TEXT,
    last_modified TEXT,
    interval      REAL,                        -- current adaptive polling interval, seconds
    last_new      TEXT                         -- when the feed last had a new entry
);
CREATE INDEX feeds_next_fetch ON feeds(next_fetch);

CREATE TABLE feed_entries (
    feed_id INTEGER NOT NULL,
    key     TEXT NOT NULL,                     -- the entry's guid / id / link
    url     TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, key)
);
