-- Articles, rejections, stories and their syntheses, saved stage state, full-text search.
CREATE TABLE state (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE articles (
    id           TEXT PRIMARY KEY,            -- content hash of origin + text
    source       TEXT NOT NULL,
    url          TEXT,
    outlet       TEXT,
    title        TEXT,
    byline       TEXT,
    published    TEXT,                        -- ISO 8601
    language     TEXT,
    text         TEXT NOT NULL,
    duplicate_of TEXT REFERENCES articles(id),
    story_id     TEXT,
    added_at     TEXT NOT NULL
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE rejections (
    id     INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    stage  TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);

CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    keywords        TEXT NOT NULL DEFAULT '[]',   -- JSON list
    outlets         TEXT NOT NULL DEFAULT '[]',   -- JSON list (copies' outlets included)
    article_count   INTEGER NOT NULL DEFAULT 0,   -- canonical articles and copies
    outlet_count    INTEGER NOT NULL DEFAULT 0,
    first_published TEXT,
    last_published  TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    synthesis       TEXT,                         -- JSON story object of docs/json.md
    merged_into     TEXT                          -- set when merged: the id redirects there
);
CREATE INDEX stories_updated ON stories(updated_at);
CREATE INDEX stories_merged ON stories(merged_into);

CREATE TABLE story_entities (
    story_id TEXT NOT NULL,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (story_id, name)
);
CREATE INDEX story_entities_name ON story_entities(name COLLATE NOCASE);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
