-- Concurrent writers: a generation counter on saved state (a writer re-reads the dedup index and
-- the story grouper only when another writer changed them), and per-story versions so a synthesis
-- computed from an older membership never overwrites a newer one. ``synth_claim`` names the process
-- that owes a story its synthesis (host:pid:start); a dead claimant's stories are taken over.
ALTER TABLE state ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN members_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN synthesis_version INTEGER;
ALTER TABLE stories ADD COLUMN group_title TEXT;
ALTER TABLE stories ADD COLUMN group_keywords TEXT;
ALTER TABLE stories ADD COLUMN synth_claim TEXT;
ALTER TABLE stories ADD COLUMN synth_claimed_at TEXT;
UPDATE stories SET synthesis_version = members_version WHERE synthesis IS NOT NULL OR merged_into IS NOT NULL;
CREATE INDEX stories_pending ON stories(id) WHERE synthesis_version IS NOT members_version;
