"""Story versions and synthesis claims: how several writers keep syntheses current without a long lock.

A batch's write transaction bumps ``members_version`` of every story whose membership it changed and
claims the story for its process (``synth_claim``). The synthesis is computed afterwards, outside any
transaction, from one read snapshot of the story's members and version, and saved only if the
version is still the one it was computed from (:meth:`StoryVersions.save_synthesis`); otherwise a
newer writer changed the story, claimed it and owes it a synthesis. A story whose claimant died
(kill -9, crash) is pending: the next batch of any writer takes it over.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..models import Article, Story, Synthesis
from .queries import row_to_article

#: A claim from another host is taken over after this long (a claim on this host: when its process is gone).
CLAIM_TTL = timedelta(minutes=30)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (``/proc``), or "" where there is none."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def my_claim() -> str:
    """This process's claim token: host, pid and start time (a reused pid does not match)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid)}"


def claim_is_live(claim: str | None, claimed_at: str | None, *, now: datetime | None = None) -> bool:
    """Whether another live process holds this claim (this process's own claims do not count)."""
    if not claim or claim == my_claim():
        return False
    host, _, rest = claim.partition(":")
    pid_text, _, start = rest.partition(":")
    if host == socket.gethostname() and pid_text.isdigit():
        pid = int(pid_text)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return not start or _start_time(pid) in ("", start)
    try:
        when = datetime.fromisoformat(claimed_at or "")
    except ValueError:
        return False
    return (now or datetime.now(UTC)) - when < CLAIM_TTL


@dataclass(frozen=True, slots=True)
class SynthesisInput:
    """One consistent snapshot of a story for synthesis: its version and current members."""

    story: Story
    version: int
    members: list[Article]
    current: bool = False  # a synthesis of this very version is already stored

    @property
    def canonical(self) -> list[Article]:
        return [a for a in self.members if a.duplicate_of is None]

    @property
    def copies(self) -> list[Article]:
        return [a for a in self.members if a.duplicate_of is not None]


class StoryVersions:
    """Mixed into the store; needs ``self.conn``, ``self.write()`` and ``self.read()``."""

    conn: sqlite3.Connection
    write: Any
    read: Any

    def touch_stories(self, stories: Iterable[Story], claim: str) -> None:
        """Record that these stories' membership changed (inside the batch's write transaction)."""
        stamp = _now()
        with self.write() as conn:
            for story in stories:
                keywords = json.dumps(list(story.keywords))
                conn.execute(
                    """INSERT INTO stories (id, title, keywords, created_at, updated_at, members_version,
                                            group_title, group_keywords, synth_claim, synth_claimed_at)
                       VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                       ON CONFLICT(id) DO UPDATE SET
                         members_version = stories.members_version + 1,
                         group_title = excluded.group_title, group_keywords = excluded.group_keywords,
                         synth_claim = excluded.synth_claim, synth_claimed_at = excluded.synth_claimed_at""",
                    (story.id, story.title or "", keywords, stamp, stamp, story.title, keywords, claim, stamp),
                )

    def claim_pending(self, claim: str, *, limit: int = 1000) -> list[str]:
        """Claim live stories whose synthesis is missing or stale and whose claimant is gone."""
        with self.write() as conn:
            rows = conn.execute(
                "SELECT id, synth_claim, synth_claimed_at FROM stories INDEXED BY stories_pending "
                "WHERE synthesis_version IS NOT members_version AND merged_into IS NULL LIMIT ?",
                (limit * 4,),
            ).fetchall()
            taken = [r["id"] for r in rows if not claim_is_live(r["synth_claim"], r["synth_claimed_at"])][:limit]
            stamp = _now()
            conn.executemany("UPDATE stories SET synth_claim = ?, synth_claimed_at = ? WHERE id = ?",
                             [(claim, stamp, sid) for sid in taken])
        return taken

    def synthesis_input(self, story_id: str) -> SynthesisInput | None:
        """The story's version and members, read in one snapshot; None when merged away or unknown."""
        with self.read() as conn:
            row = conn.execute(
                "SELECT title, keywords, group_title, group_keywords, members_version, synthesis_version, merged_into "
                "FROM stories WHERE id = ?", (story_id,),
            ).fetchone()
            if row is None or row["merged_into"] is not None:
                return None
            rows = conn.execute(
                "SELECT * FROM articles WHERE story_id = ? ORDER BY COALESCE(published, placed, added_at), id", (story_id,)
            ).fetchall()
        members = [row_to_article(r) for r in rows]
        keywords = json.loads(row["group_keywords"] or row["keywords"] or "[]")
        story = Story(id=story_id, title=row["group_title"] or row["title"], keywords=tuple(keywords),
                      article_ids=tuple(a.id for a in members if a.duplicate_of is None))
        version = int(row["members_version"])
        return SynthesisInput(story, version, members, current=row["synthesis_version"] == version)

    def save_synthesis(self, story: Story, synthesis: Synthesis | None, members: Sequence[Article],
                       version: int) -> bool:
        """Store a synthesis computed from ``version`` of the story; False (nothing written) when stale.

        ``synthesis`` None records that the story has nothing to synthesise at that version.
        """
        with self.write() as conn:
            row = conn.execute("SELECT members_version, merged_into FROM stories WHERE id = ?", (story.id,)).fetchone()
            if row is None or row["merged_into"] is not None or int(row["members_version"]) != version:
                return False
            if synthesis is not None:
                self._write_story(conn, story, synthesis, members)
            conn.execute(
                "UPDATE stories SET synthesis_version = ?, synth_claim = NULL, synth_claimed_at = NULL WHERE id = ?",
                (version, story.id),
            )
        return True

    def pending_syntheses(self) -> int:
        """Live stories whose synthesis is missing or older than their membership."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM stories INDEXED BY stories_pending "
            "WHERE synthesis_version IS NOT members_version AND merged_into IS NULL"
        ).fetchone()[0]

    def _write_story(self, conn: sqlite3.Connection, story: Story, synthesis: Synthesis,
                     articles: Sequence[Article]) -> None:
        raise NotImplementedError  # the store class provides it
