-- Each article analysed once: the per-article analysis (sentences, their embeddings, entity
-- mentions, quotes, figures, dates and the reporting phrases of its sentences) computed when the
-- article is featurised and stored with it, so grouping and every later synthesis of its story read
-- it instead of running spaCy, pysbd and MiniLM again (synthesis/stored.py encodes it; ``version``
-- names the analysing code: an analysis made by other code is recomputed).
CREATE TABLE article_analysis (
    article_id TEXT PRIMARY KEY,
    version    TEXT NOT NULL,
    embedder   TEXT,                           -- the model of the sentence vectors; NULL: none stored
    analysis   BLOB NOT NULL
);
