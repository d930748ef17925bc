"""Appeals and page furniture: donation, membership, newsletter, app and cookie prompts, advertising
labels, "Read more" and "Related" lists, follow prompts, told apart from body lines.

The phrases are data (``data/appeals.tsv``: kind, the longest line a phrase may remove, phrase); a
phrase marked "=" must be the whole line (the buttons of an appeal: "Maybe later", "Monthly"). An
appeal block is the appeal lines and the short lines between them (amounts, buttons), so the
suggested monthly amount of a membership appeal goes with it; body lines around it stay.

>>> appeal_kind("Independent journalism needs you. Become a member today")
'donation'
>>> appeal_kind("Maybe later"), appeal_kind("The council will subscribe to the plan, the mayor said.")
('donation', None)
>>> appeal_lines(["The vote was close.", "Become a member today", "$5", "Maybe later", "Turnout was high."])
[1, 2, 3]
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path

from .datafile import entry_lines

LEXICON_PATH = Path(__file__).with_name("data") / "appeals.tsv"
# A short line between two appeal lines at most this far apart (an amount, a button) is appeal too.
BLOCK_GAP = 2
BLOCK_LINE_WORDS = 4
_AMOUNT = re.compile(r"^[\W\d]*(?:[$€£¥]\s?\d[\d.,]*|\d[\d.,]*\s?(?:[$€£¥]|usd|eur|gbp))(?:\s*(?:/|per|a|an|every)\s*\w+)?\W*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], re.Pattern[str] | None, dict[str, tuple[int, str]]]:
    """Whole-line phrases (normalised line -> kind), one pattern matching every other phrase (longest
    first) and, per phrase, its longest line and kind."""
    exact: dict[str, str] = {}
    limits: dict[str, tuple[int, str]] = {}
    for line in entry_lines(LEXICON_PATH):
        kind, limit, phrase = line.split("\t", 2)
        phrase = phrase.strip().casefold()
        if phrase.startswith("="):
            exact[phrase[1:].strip()] = kind
        else:  # a "^phrase" (at a line's start) or a phrase anywhere: the pattern below tells them apart
            limits.setdefault(phrase, (int(limit), kind))
    if not limits:
        return exact, None, limits
    anywhere = sorted((p for p in limits if not p.startswith("^")), key=len, reverse=True)
    starts = sorted((p[1:] for p in limits if p.startswith("^")), key=len, reverse=True)
    alternation = "|".join([*(rf"^{re.escape(p)}" for p in starts), *(re.escape(p) for p in anywhere)])
    for p in starts:
        limits[p + "\0start"] = limits[f"^{p}"]
    return exact, re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), limits


@lru_cache(maxsize=1 << 16)
def appeal_kind(line: str) -> str | None:
    """The kind of appeal or furniture a line is (None for a line that may be body text)."""
    text = " ".join(line.split()).casefold()
    if not text:
        return None
    exact, pattern, limits = lexicon()
    bare = text.strip(" .!?:|»›>-–")
    if bare in exact:
        return exact[bare]
    if pattern is None:
        return None
    words = len(text.split())
    for match in pattern.finditer(text):
        found = match.group(0)
        limit, kind = limits[found + "\0start"] if match.start() == 0 and found + "\0start" in limits else limits[found]
        if words <= limit:
            return kind
    return None


def appeal_lines(lines: list[str]) -> list[int]:
    """Indices of the appeal lines and of the short lines (amounts, buttons) inside appeal blocks."""
    marked = [appeal_kind(t) is not None for t in lines]
    out = {i for i, m in enumerate(marked) if m}
    anchors = sorted(out)
    for a, b in itertools.pairwise(anchors):
        if 1 < b - a <= BLOCK_GAP + 1 and all(
            len(lines[j].split()) <= BLOCK_LINE_WORDS or _AMOUNT.match(lines[j]) for j in range(a + 1, b)
        ):
            out.update(range(a + 1, b))
    for a in anchors:  # an amount right after an appeal line
        j = a + 1
        while j < len(lines) and _AMOUNT.match(lines[j]):
            out.add(j)
            j += 1
    return sorted(out)


def appeal_blocks(lines: list[str]) -> list[int]:
    """The lines of appeal blocks only: runs of two or more appeal lines (with the amounts and
    buttons between them). HTML post-cleaning removes these; a lone appeal-like paragraph of a page
    is left to the noise rules (on trafilatura-eval a lone "Werbung" paragraph can be body).

    >>> appeal_blocks(["Body text here.", "Become a member today", "Choose an amount", "Body again."])
    [1, 2]
    >>> appeal_blocks(["Body text here.", "Newsletter", "Body again."])
    []
    """
    marked = appeal_lines(lines)
    out: list[int] = []
    run: list[int] = []
    for i in marked:
        if run and i != run[-1] + 1:
            out.extend(run if len(run) >= 2 else [])
            run = []
        run.append(i)
    out.extend(run if len(run) >= 2 else [])
    return out
