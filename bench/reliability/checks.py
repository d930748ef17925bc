"""What the reliability runs verify in a database after the fact: state, copies, integrity.

- every stored article is known to the de-duplication index, and every canonical article to the
  story grouper (the saved state was not forked or overwritten by a concurrent writer);
- every syndicated copy of an earlier article points to it (``duplicate_of``);
- SQLite's ``integrity_check`` is clean (PostgreSQL: "n/a"), and no article is stored twice (same URL, two ids);
- every live story with articles has a synthesis computed from its current membership.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from parallax.dedup import Deduplicator
from parallax.settings import load
from parallax.stories import StoryGrouper


def _known_to_dedup(dedup: Deduplicator) -> set[str]:
    return set(dedup.known_ids()) if hasattr(dedup, "known_ids") else set(dedup._answers)


def _known_to_grouper(grouper: StoryGrouper) -> set[str]:
    return set(grouper.known_ids()) if hasattr(grouper, "known_ids") else set(grouper._article_story)


def _is_postgres(db: Path | str) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))


@contextmanager
def _connect(db: Path | str) -> Iterator[Any]:
    """A DB-API-like connection to a SQLite file or (through the store) a PostgreSQL database."""
    if _is_postgres(db):
        from parallax.store import open_store

        store = open_store(str(db))
        try:
            yield store.conn
        finally:
            store.close()
        return
    conn = sqlite3.connect(str(db), timeout=60)
    try:
        yield conn
    finally:
        conn.close()


def state_report(db: Path | str) -> dict[str, Any]:
    """Counts of articles missing from the saved dedup and grouper state, and the integrity check."""
    settings = load(db=str(db), embeddings=False)
    with _connect(db) as conn:
        rows = conn.execute("SELECT id, duplicate_of FROM articles").fetchall()
        blobs = {r[0]: r[1] for r in conn.execute("SELECT key, value FROM state").fetchall()}
        integrity = "n/a" if _is_postgres(db) else conn.execute("PRAGMA integrity_check").fetchone()[0]
        same_url = conn.execute(
            "SELECT COUNT(*) FROM (SELECT url FROM articles WHERE url IS NOT NULL GROUP BY url HAVING COUNT(*) > 1) AS d"
        ).fetchone()[0]
        columns = ({"members_version"} if _is_postgres(db)
                   else {r[1] for r in conn.execute("PRAGMA table_info(stories)")})
        stale = None
        if "members_version" in columns:
            stale = conn.execute(
                "SELECT COUNT(*) FROM stories s WHERE s.merged_into IS NULL "
                "AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id) "
                "AND (s.synthesis IS NULL OR s.synthesis_version IS NOT s.members_version)"
            ).fetchone()[0]
        unsynthesised = conn.execute(
            "SELECT COUNT(DISTINCT a.story_id) FROM articles a LEFT JOIN stories s ON s.id = a.story_id "
            "WHERE a.story_id IS NOT NULL AND (s.id IS NULL OR (s.merged_into IS NULL AND s.synthesis IS NULL))"
        ).fetchone()[0]
        no_story = conn.execute("SELECT COUNT(*) FROM articles WHERE story_id IS NULL").fetchone()[0]
    dedup = Deduplicator.from_state(bytes(blobs["dedup"]), settings) if "dedup" in blobs else None
    grouper = StoryGrouper.from_state(bytes(blobs["stories"]), settings) if "stories" in blobs else None
    in_dedup = _known_to_dedup(dedup) if dedup else set()
    in_grouper = _known_to_grouper(grouper) if grouper else set()
    canonical = [i for i, dup in rows if dup is None]
    return {
        "articles": len(rows),
        "canonical": len(canonical),
        "missing_dedup": sum(1 for i, _ in rows if i not in in_dedup),
        "missing_grouper": sum(1 for i in canonical if i not in in_grouper),
        "integrity": integrity,
        "duplicated_urls": same_url,
        "stale_syntheses": stale,
        "stories_without_synthesis": unsynthesised,
        "articles_without_story": no_story,
    }


def lost_report(db: Path | str, records: list[dict[str, Any]]) -> dict[str, int]:
    """Of the records a finished build stored, how many are missing from the database (by URL)."""
    with _connect(db) as conn:
        urls = {r[0] for r in conn.execute("SELECT url FROM articles WHERE url IS NOT NULL").fetchall()}
    wanted = {r["url"] for r in records if r.get("url")}
    return {"articles_expected": len(wanted), "articles_lost": len(wanted - urls)}


def copies_report(db: Path | str, records: list[dict[str, Any]]) -> dict[str, int]:
    """Of the records that are syndicated copies (``copy_of``), how many point to their original."""
    by_key = {r["key"]: r for r in records}
    with _connect(db) as conn:
        ids = {r[0]: r[1] for r in conn.execute("SELECT url, id FROM articles").fetchall()}
        dup = {r[0]: r[1] for r in conn.execute("SELECT id, duplicate_of FROM articles").fetchall()}
    expected = detected = 0
    for record in {r["key"]: r for r in records}.values():
        original = by_key.get(record.get("copy_of") or "")
        if original is None:
            continue
        expected += 1
        copy_id, original_id = ids.get(record["url"]), ids.get(original["url"])
        pointed = dup.get(copy_id) if copy_id else None
        if original_id and pointed is not None and pointed in {original_id, dup.get(original_id)}:
            detected += 1
    return {"copies_expected": expected, "copies_detected": detected}
