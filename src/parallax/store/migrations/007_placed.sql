-- An undated article's placement time: its feed's or file's time (models.Article.placed). It orders
-- and places the article in lists, charts and timelines; the article is still shown as undated.
ALTER TABLE articles ADD COLUMN placed TEXT;
