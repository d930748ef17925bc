-- Feed-reader APIs (Google Reader, Fever): per-user API passwords, stable item numbers, read and
-- starred state. The API password is separate from the login password: ``password_hash`` is its
-- argon2id hash (Google Reader's ClientLogin), ``fever_key`` the SHA-256 of Fever's
-- md5("username:apipassword") key (Fever sends the key alone, so it is looked up, never reversed).
CREATE TABLE api_passwords (
    user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    fever_key     TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL
);

-- A story's number as a feed reader sees it (Google Reader's item id, Fever's item id).
CREATE TABLE reader_items (
    id       INTEGER PRIMARY KEY,
    story_id TEXT NOT NULL UNIQUE
);

CREATE TABLE reader_marks (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL,
    is_read    INTEGER NOT NULL DEFAULT 0,
    is_starred INTEGER NOT NULL DEFAULT 0,
    read_at    TEXT,
    starred_at TEXT,
    PRIMARY KEY (user_id, story_id)
);
