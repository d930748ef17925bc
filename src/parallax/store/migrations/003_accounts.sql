-- Readers: accounts (multi-user mode; single-user mode uses the implicit user "local"), sessions,
-- follows and mutes (entity, topic or outlet), picks (pinned stories).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT,                          -- argon2id; NULL for the implicit local user
    role          TEXT NOT NULL DEFAULT 'reader' CHECK (role IN ('admin', 'reader')),
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,                 -- sha256 of the cookie's session token
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE follows (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('entity', 'topic', 'outlet')),
    value      TEXT NOT NULL COLLATE NOCASE,
    muted      INTEGER NOT NULL DEFAULT 0,       -- 1: a mute (hide matching stories), 0: a follow
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, value)
);

CREATE TABLE picks (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, story_id)
);

-- The front page reads every live story's listing columns to rank them: this covering index lets it
-- do so without touching the (large) synthesis column of the table rows.
CREATE INDEX stories_listing ON stories(merged_into, updated_at, id, title, keywords, outlets, article_count,
                                        first_published, last_published);

-- Read paths of the outlet and entity pages: outlet listings from an index alone, case-insensitive
-- outlet lookups, and "is this story live?" answered without reading a story's synthesis.
CREATE INDEX articles_outlet_listing ON articles(outlet, story_id, published);
CREATE INDEX articles_outlet_nocase ON articles(outlet COLLATE NOCASE, story_id, published);
CREATE INDEX stories_live ON stories(id, merged_into, last_published, updated_at);
