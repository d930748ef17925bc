"""Per-article analyses stored with their articles (migration 005; ``synthesis/stored.py`` encodes them).

>>> from parallax.store import open_store
>>> store = open_store(":memory:")
>>> store.save_analyses({"a1": ("v1", None, b"blob")})
1
>>> store.analyses(["a1", "a2"], version="v1")
{'a1': b'blob'}
>>> store.analyses(["a1"], version="v2")  # made by other code: not returned
{}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: Ids per ``IN (...)`` lookup.
CHUNK = 500


class AnalysisQueries:
    """Mixed into both stores; needs ``self.conn`` and ``self.write()`` (portable SQL only)."""

    conn: Any
    write: Any

    def save_analyses(self, items: Mapping[str, tuple[str, str | None, bytes]]) -> int:
        """Store ``article_id -> (version, embedder, blob)`` (replacing an older analysis of the article)."""
        rows = [(article_id, version, embedder, blob) for article_id, (version, embedder, blob) in items.items()]
        if not rows:
            return 0
        with self.write() as conn:
            conn.executemany(
                "INSERT INTO article_analysis (article_id, version, embedder, analysis) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, embedder = excluded.embedder, "
                "analysis = excluded.analysis",
                rows,
            )
        return len(rows)

    def analyses(self, ids: Iterable[str], *, version: str) -> dict[str, bytes]:
        """The stored analyses of these articles made by the analysing code ``version`` (others are absent)."""
        ids = list(dict.fromkeys(ids))
        found: dict[str, bytes] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT article_id, analysis FROM article_analysis WHERE version = ? AND article_id IN ({marks})",
                [version, *chunk],
            ).fetchall()
            found.update((r[0], bytes(r[1])) for r in rows)
        return found
