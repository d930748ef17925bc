-- Each article analysed once (the SQLite migration 005): the per-article analysis stored with it.
CREATE TABLE article_analysis (
    article_id TEXT PRIMARY KEY,
    version    TEXT NOT NULL,
    embedder   TEXT,
    analysis   BYTEA NOT NULL
);
