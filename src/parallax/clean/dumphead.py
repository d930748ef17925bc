"""The head and tail of a text dump read as metadata: headline, byline, date and publication name.

Around the body of a dump stand a masthead with the publication's name, the headline, a byline, a
dateline, a "Support <Publication>" banner and a copyright line naming the publisher. Each line near
the body's ends (HEAD_SPAN lines before it, the first BODY_PEEK body lines, TAIL_SPAN lines after
it) is a candidate; per role a learned scorer (gradient-boosted trees in ``data/dumphead_model.json``,
trained by ``bench/train_dumphead.py`` on pages whose markup names the field) gives each candidate
a probability, and the best candidate at or above the role's threshold is read. A publication
name comes from the whole line (a masthead), a copyright line ("© 2024 Daily Bugle Ltd") or a
"Support X" banner, and is checked against the shipped outlet table (parallax.clean.outlets).

>>> from parallax.clean.textdump import split_units
>>> lines = split_units("\\n".join(["Daily Bugle", "Storm hits the coast", "By Jane Doe",
...     "A storm hit the coast on Monday, cutting power to thousands of homes across the region.",
...     "© 2024 Daily Bugle Ltd. All rights reserved."]))
>>> publication_name("© 2024 Daily Bugle Ltd. All rights reserved.")
'Daily Bugle'
>>> publication_name("Support The Guardian")
'The Guardian'
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np

from .appeals import appeal_kind
from .boilerplate import is_menu, noise_reason, normalize_line
from .metadata import clean_byline, parse_date
from .outlets import canonical, outlet_key

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("data") / "dumphead_model.json"
ROLES = ("outlet", "date", "byline", "title")  # read in this order; a line gives one field
HEAD_SPAN = 40  # lines before the body's first line that may hold metadata
BODY_PEEK = 3  # first body lines that may still be head (a headline the body model kept)
TAIL_SPAN = 30  # lines after the body's last line (copyright, "Support X")
TOP_SPAN = 12  # the dump's first lines are candidates wherever the body starts (a masthead, a headline)
MAX_WORDS = 30  # longer lines are never metadata
TITLE_MAX_WORDS = 24  # nor headlines longer than this
THRESHOLD = 0.5  # default probability a candidate needs (the model file may set one per role)

_TOKEN = re.compile(r"\w+", re.UNICODE)
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b"
    r"|\b(?:januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet"
    r"|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto"
    r"|septiembre|octubre|noviembre|diciembre)\b",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d\b")
_BY = re.compile(r"^(?:by|written\s+by|words\s+by|von|par|por|door|di|av|af)\s+\S", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^(?:by|written\s+by|words\s+by|von|par|por|door|di|av|af)\s+", re.IGNORECASE)
_AUTHOR_WORD = re.compile(
    r"\b(?:author|reporter|correspondent|editor|writer|staff|autor|redakteur|journalist)\b", re.IGNORECASE
)
_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
_SUPPORT = re.compile(r"^(?:please\s+)?support\s+(?:us\b|our\b)?\s*(.{2,60}?)[!.]?$", re.IGNORECASE)
_COPYRIGHT_NAME = re.compile(
    r"^(?:.*?(?:©|\(c\)|copyright)\s*)(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:19|20)?\d\d)?\s*)?,?\s*"
    r"(?:by\s+)?(?P<name>[^.|,©]{2,60}?)"
    r"(?:\s*(?:,?\s*(?:ltd|llc|inc|gmbh|plc|limited|s\.a|corp)\.?))?"
    r"\s*(?:[.|,]|all rights reserved|$)",
    re.IGNORECASE,
)
_NAME_DROP = re.compile(r"\b(?:all rights reserved|rights reserved|ltd|llc|inc|gmbh|plc|limited)\b\.?", re.I)


def publication_name(text: str) -> str | None:
    """The publication a line names: a copyright holder, a "Support X" banner's X, else the line
    itself when it is short enough for a masthead (None for a long line)."""
    text = " ".join(text.split())
    if _COPYRIGHT.search(text):
        match = _COPYRIGHT_NAME.match(text)
        if match:
            name = _NAME_DROP.sub("", match.group("name")).strip(" -–,.:;|")
            name = re.sub(r"^(?:19|20)\d\d\s*", "", name).strip()
            if name and _TOKEN.search(name) and not name[:1].isdigit():
                return name
        return None
    match = _SUPPORT.match(text)
    if match and match.group(1).strip():
        return match.group(1).strip(" !.")
    if len(text.split()) <= 6:
        return text.strip(" |-–")
    return None


@dataclass(frozen=True, slots=True)
class HeadReading:
    """What the dump's head and tail said, and the line indices the values were read from."""

    title: str | None = None
    byline: str | None = None
    published: datetime | None = None
    outlet: str | None = None
    lines: frozenset[int] = frozenset()


def candidates(n: int, keep: np.ndarray, words: Sequence[int], keys: Sequence[str] | None = None) -> list[int]:
    """Indices of the lines that may hold metadata: near the body's ends, the dump's first TOP_SPAN
    lines, and (given the lines' ``keys``) short lines repeated elsewhere in the dump (a headline
    shown again as a breadcrumb or share title, a masthead far from a misplaced body); all short enough.
    """
    body = np.flatnonzero(keep)
    start, end = (int(body[0]), int(body[-1])) if len(body) else (min(n, HEAD_SPAN), min(n, HEAD_SPAN) - 1)
    head = range(max(0, start - HEAD_SPAN), min(n, start + BODY_PEEK))
    tail = range(max(end + 1, start + BODY_PEEK), min(n, end + 1 + TAIL_SPAN))
    chosen = {*head, *tail, *range(min(n, TOP_SPAN))}
    if keys is not None:
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        chosen.update(i for i, key in enumerate(keys) if counts[key] >= 2 and 0 < words[i] <= TITLE_MAX_WORDS)
    return [i for i in sorted(chosen) if 0 < words[i] <= MAX_WORDS]


FEATURES = (
    "words", "chars", "rel_start", "rel_end", "in_body", "before_body", "after_body", "first_line",
    "head_rank", "overlap_body", "overlap_lead", "repeats", "prefix_of_other", "sentence_end",
    "title_case", "upper_share", "digits", "separators", "has_month", "has_year", "has_time",
    "numeric_date", "parses_date", "by_start", "author_word", "name_shape", "copyright", "support",
    "name_in_table", "line_in_table", "name_words", "name_repeats", "longest_head", "comma",
    "prev_words", "prev_sentence_end", "prev_dateish", "prev_by", "next_words", "next_sentence_end",
    "next_dateish", "next_by", "in_window", "person_shape",
)  # fmt: skip
# Per page, these columns also enter as their gap to the page's best candidate (a pointwise model
# then sees how a line compares with the other lines of its dump, as a ranker would).
RELATIVE = ("overlap_body", "overlap_lead", "repeats", "title_case", "words", "name_repeats")
FEATURES = FEATURES + tuple(f"{name}_gap" for name in RELATIVE)
_PERSON = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*\.?)(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|van|von|de|der|da|di|del|la|le|bin|al))" r"{1,3}$")


def _content(text: str) -> set[str]:
    return {t.casefold() for t in _TOKEN.findall(text) if len(t) > 3}


def features(lines: Sequence[str], keep: np.ndarray, index: Sequence[int]) -> np.ndarray:
    """Rows for the candidate lines ``index`` (columns follow FEATURES)."""
    n = len(lines)
    words = [len(t.split()) for t in lines]
    body = np.flatnonzero(keep)
    start, end = (int(body[0]), int(body[-1])) if len(body) else (n, n)
    body_vocab: set[str] = set()
    for i in body[:60]:
        body_vocab |= _content(lines[i])
    lead = next((lines[i] for i in body if words[i] >= 12), "")
    lead_vocab = _content(lead)
    keys = [normalize_line(t) for t in lines]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    joined = " " + " ".join(keys) + " "
    head_words = [words[i] for i in index if i < start + BODY_PEEK]
    longest = max(head_words, default=0)
    body_index = np.flatnonzero(keep)
    lo, hi = (int(body_index[0]), int(body_index[-1])) if len(body_index) else (n, n)
    base = len(FEATURES) - len(RELATIVE)
    rows = np.zeros((len(index), len(FEATURES)))
    index_array = np.asarray(index)
    for r, i in enumerate(index):
        text = lines[i]
        tokens = _TOKEN.findall(text)
        alpha = [t for t in text.split() if t[:1].isalpha()]
        vocab = _content(text)
        name = publication_name(text)
        name_key = normalize_line(name) if name else ""
        date = parse_date(text) if words[i] <= 15 and any(c.isdigit() for c in text) else None
        key = keys[i]
        rows[r] = (
            math.log1p(words[i]),
            math.log1p(len(text)),
            math.copysign(math.log1p(abs(i - start)), i - start),
            math.copysign(math.log1p(abs(i - end)), i - end),
            float(keep[i]),
            float(i < start),
            float(i > end),
            float(i == 0),
            int(np.count_nonzero((index_array > i) & (index_array < start))) if i < start else -1,
            len(vocab & body_vocab) / max(len(vocab), 1),
            len(vocab & lead_vocab) / max(len(vocab), 1),
            math.log(counts[key]),
            float(len(key) >= 10 and joined.count(" " + key) > counts[key]),
            float(text.rstrip()[-1:] in ".!?"),
            sum(1 for t in alpha if t[:1].isupper()) / max(len(alpha), 1),
            sum(map(str.isupper, text)) / max(sum(map(str.isalpha, text)), 1),
            sum(map(str.isdigit, text)) / max(len(text), 1),
            float(bool(re.search(r"\s[|»›•·/]\s", text))),
            float(bool(_MONTH.search(text))),
            float(bool(_YEAR.search(text))),
            float(bool(_TIME.search(text))),
            float(bool(_NUMERIC_DATE.search(text))),
            float(date is not None),
            float(bool(_BY.match(text))),
            float(bool(_AUTHOR_WORD.search(text))),
            float(2 <= len(alpha) <= 5 and all(t[:1].isupper() for t in alpha)),
            float(bool(_COPYRIGHT.search(text))),
            float(bool(_SUPPORT.match(text))),
            float(name is not None and canonical(name) is not None),
            float(canonical(text) is not None),
            len(name.split()) if name else 0,
            math.log1p(joined.count(" " + name_key + " ")) if name_key else 0.0,
            float(words[i] == longest),
            min(text.count(","), 5),
            *_neighbour(lines, i - 1),
            *_neighbour(lines, i + 1),
            float(lo - HEAD_SPAN <= i < lo + BODY_PEEK or hi < i <= hi + TAIL_SPAN),
            float(bool(_PERSON.match(_BY_PREFIX.sub("", text).strip()))),
            *([0.0] * len(RELATIVE)),
        )
        del tokens
    if len(index):
        for k, name in enumerate(RELATIVE):
            col = rows[:, FEATURES.index(name)]
            rows[:, base + k] = col - col.max()
    return rows


def _neighbour(lines: Sequence[str], j: int) -> tuple[float, float, float, float]:
    """Words (log), sentence end, date look and "By" start of line ``j`` (zeros outside the dump)."""
    if not 0 <= j < len(lines):
        return (0.0, 0.0, 0.0, 0.0)
    text = lines[j]
    return (
        math.log1p(len(text.split())),
        float(text.rstrip()[-1:] in ".!?"),
        float(bool(_YEAR.search(text)) and (bool(_MONTH.search(text)) or bool(_NUMERIC_DATE.search(text)))),
        float(bool(_BY.match(text))),
    )


# ------------------------------------------------------------------------------------ outlet names

_CONNECT = {"of", "the", "für", "fur", "and", "&", "de", "des", "du", "la", "le", "el", "der", "die", "das", "for", "on"}
_BEFORE = {"about", "follow", "trust", "from", "©", "copyright", "at", "by", "join", "contact", "support", "to",
           "with", "on", "more", "©copyright"}
_AFTER = {"homepage", "online", "website", "staff", "newsletter", "newsletters", "app", "team", "home", "editors",
          "reporters", "daily", "weekly", "subscribers", "members", "plus", "premium", "archive", "store", "shop"}
MAX_NAMES = 300  # name candidates scored per dump (strong cues first, then the most frequent)
RUN_LINE_WORDS = 12  # capitalised runs are read from lines this short (longer: their names and segments only)
NAME_FEATURES = (
    "lines_with", "whole_lines", "copyright_lines", "support_lines", "after_cue", "before_cue", "in_table",
    "name_words", "name_chars", "caps_share", "first_pos", "last_pos", "in_first_lines", "in_last_lines",
    "domain_shape", "has_digit", "segment_lines", "all_caps", "in_long_lines", "inside_longer",
    "holds_shorter", "lines_gap", "count_rank", "whole_head", "in_prose",
)  # fmt: skip


def _runs(words: list[str]) -> list[tuple[int, int]]:
    """Spans of capitalised words (connectors such as "of" or "für" allowed inside)."""
    spans, i, n = [], 0, len(words)
    while i < n:
        if words[i][:1].isupper() or (words[i][:1].isdigit() and any(c.isalpha() for c in words[i])):
            j = i + 1
            while j < n and (words[j][:1].isupper() or words[j][:1].isdigit() or
                             (words[j].casefold() in _CONNECT and j + 1 < n and words[j + 1][:1].isupper())):
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def outlet_candidates(lines: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Publication-name candidates of a dump and their NAME_FEATURES rows: runs of capitalised words
    (and their parts of up to four words), the names copyright lines and "Support X" banners give,
    short whole lines; counted over the dump with the cue words around them ("About X", "X homepage")."""
    n = max(len(lines), 1)
    stats: dict[str, dict] = {}

    def note(name: str, k: int, **flags: float) -> None:
        name = name.strip(" .,:;!?|-–—»›•·\"'“”‘’()[]")
        key = outlet_key(name)
        if not key or len(key) < 2 or len(name) > 60:
            return
        entry = stats.setdefault(key, {"name": name, "lines": set(), "whole": 0, "copyright": 0, "support": 0,
                                       "after": 0, "before": 0, "segment": 0, "long": 0, "whole_head": 0,
                                       "prose": 0})
        entry["lines"].add(k)
        for flag, value in flags.items():
            entry[flag] += value

    for k, text in enumerate(lines):
        words = text.split()
        if not words:
            continue
        if len(words) > 25:
            continue
        name = publication_name(text)
        if name:
            whole = float(normalize_line(name) == normalize_line(text))
            note(name, k, whole=whole, whole_head=whole * float(k < 30),
                 copyright=float(bool(_COPYRIGHT.search(text))), support=float(bool(_SUPPORT.match(text))))
        if len(re.split(r"\s+[|–—-]\s+|\s*[|•·»]\s*", text)) > 1:
            for part in re.split(r"\s+[|–—-]\s+|\s*[|•·»]\s*", text):
                if 1 <= len(part.split()) <= 4:
                    note(part, k, segment=1.0)
        if len(words) > RUN_LINE_WORDS:
            continue
        for a, b in _runs(words):
            for i in range(a, b):
                for j in range(i + 1, min(b, i + 4) + 1):
                    if words[j - 1].casefold() in _CONNECT or words[i].casefold() in _CONNECT:
                        continue
                    before = words[i - 1].casefold().strip(":,") if i > 0 else ""
                    after = words[j].casefold().strip(":,.!") if j < len(words) else ""
                    note(" ".join(words[i:j]), k, after=float(after in _AFTER), before=float(before in _BEFORE),
                         long=float(len(words) > 12))
    for text in lines:  # names named in long lines of prose ("..., the Daily Bugle reported")
        if len(text.split()) > 25:
            tokens = [t.casefold() for t in _TOKEN.findall(text)]
            grams = {"".join(tokens[i:i + m]) for m in (1, 2, 3, 4) for i in range(len(tokens) - m + 1)}
            for key in grams.intersection(stats):
                stats[key]["prose"] += 1
    ranked = []
    # names a copyright line, a "Support" banner or a whole line gives first, then the most frequent;
    # no furniture
    for e in sorted(stats.values(), key=lambda e: (-(e["copyright"] + e["support"] + e["whole"] > 0), -len(e["lines"]))):
        if appeal_kind(e["name"]) is None and noise_reason(e["name"]) is None:
            ranked.append(e)
            if len(ranked) == MAX_NAMES:
                break
    inside, holds = _nesting([tuple(normalize_line(e["name"]).split()) for e in ranked], [len(e["lines"]) for e in ranked])
    rows = np.zeros((len(ranked), len(NAME_FEATURES)))
    for r, e in enumerate(ranked):
        name, seen = e["name"], sorted(e["lines"])
        alpha = [t for t in name.split() if t[:1].isalpha()]
        rows[r] = (
            math.log1p(len(seen)), e["whole"], e["copyright"], e["support"], e["after"], e["before"],
            float(canonical(name) is not None), len(name.split()), math.log1p(len(name)),
            sum(1 for t in alpha if t[:1].isupper()) / max(len(alpha), 1), seen[0] / n, seen[-1] / n,
            float(seen[0] < 30), float(seen[-1] >= n - 30), float(bool(re.search(r"\.\w{2,3}$", name))),
            float(any(c.isdigit() for c in name)), e["segment"], float(name.isupper() and len(name) > 3), e["long"],
            min(inside[r] / max(len(e["lines"]), 1), 2.0), min(holds[r] / max(len(e["lines"]), 1), 5.0),
            0.0, 0.0, e["whole_head"], e["prose"],
        )  # fmt: skip
    if len(ranked):
        counts = rows[:, 0]
        rows[:, NAME_FEATURES.index("lines_gap")] = counts - counts.max()
        rows[:, NAME_FEATURES.index("count_rank")] = np.argsort(np.argsort(-counts, kind="stable"), kind="stable")
    return [e["name"] for e in ranked], rows


def _nesting(tokens: list[tuple[str, ...]], counts: list[int]) -> tuple[list[int], list[int]]:
    """Per name: the largest count of a longer name holding it, and of a shorter name it holds
    (token sequences; "Sky" is inside "Sky News").

    >>> _nesting([("sky",), ("sky", "news"), ("news",)], [5, 3, 4])
    ([3, 0, 3], [0, 5, 0])
    """
    where = {t: i for i, t in enumerate(tokens)}
    inside, holds = [0] * len(tokens), [0] * len(tokens)
    for r, t in enumerate(tokens):
        for a in range(len(t)):
            for b in range(a + 1, len(t) + 1):
                o = where.get(t[a:b])
                if o is None or o == r or b - a == len(t):
                    continue
                inside[o] = max(inside[o], counts[r])
                holds[r] = max(holds[r], counts[o])
    return inside, holds


def plausible_names(rows: np.ndarray) -> np.ndarray:
    """1 for a candidate that can be a publication name, 0 else: known to the outlet table, seen on
    two lines or more, given by a copyright line or "Support" banner, or of at most three words (a
    single five-word line is a headline, not a masthead).

    >>> plausible_names(np.array([[math.log1p(1), 0, 0, 0, 0, 0, 0, 5] + [0] * 11])).tolist()
    [0.0]
    """
    col = {name: k for k, name in enumerate(NAME_FEATURES)}
    ok = (
        (rows[:, col["in_table"]] > 0)
        | (rows[:, col["lines_with"]] > math.log1p(1) + 1e-9)
        | (rows[:, col["copyright_lines"]] > 0)
        | (rows[:, col["support_lines"]] > 0)
        | (rows[:, col["name_words"]] <= 3)
    )
    return ok.astype(float)


# ------------------------------------------------------------------------------------------ model


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> dict | None:
    """Per role: its tree ensemble and threshold (None when the data file is missing)."""
    from .textdump import TreeEnsemble

    if not path.exists():
        log.warning("dump head model %s missing: head metadata from rules only", path)
        return None
    spec = json.loads(path.read_text(encoding="utf-8"))
    return {
        role: (TreeEnsemble(spec[role]["trees"]), float(spec[role].get("threshold", THRESHOLD)))
        for role in ROLES
        if role in spec
    }


def read_head(lines: Sequence[str], keep: np.ndarray, model: dict | None = None) -> HeadReading:
    """The metadata the dump's head and tail hold (``keep``: the body mask of the lines)."""
    model = model if model is not None else load_model()
    if not model or not lines:
        return HeadReading()
    words = [len(t.split()) for t in lines]
    index = candidates(len(lines), keep, words, [normalize_line(t) for t in lines])
    if not index:
        return HeadReading()
    x = features(lines, keep, index)
    found: dict[str, object] = {}
    used: set[int] = set()
    for role in ROLES:
        if role not in model:
            continue
        trees, threshold = model[role]
        if role == "outlet":
            names, rows = outlet_candidates(lines)
            if names:
                p = trees.predict_proba(rows) * plausible_names(rows)
                k = int(np.argmax(p))
                if p[k] >= threshold and p[k] > 0:
                    found["outlet"] = canonical(names[k]) or names[k]
                    used.update(i for i in index if _whole_name(lines[i], names[k]))
            continue
        p, ok = trees.predict_proba(x), role_mask(role, x)
        order = np.argsort(-p, kind="stable")
        for k in [k for k in order if ok[k] and index[k] not in used and allowed(role, lines[index[k]])][:3]:
            if p[k] < threshold:
                break
            value = _value(role, lines[index[k]])
            if value is not None:
                found[role] = value
                used.add(index[k])
                break
    return HeadReading(
        title=found.get("title"),  # type: ignore[arg-type]
        byline=found.get("byline"),  # type: ignore[arg-type]
        published=found.get("date"),  # type: ignore[arg-type]
        outlet=found.get("outlet"),  # type: ignore[arg-type]
        lines=frozenset(used),
    )


_IN_WINDOW = FEATURES.index("in_window")


def role_mask(role: str, x: np.ndarray) -> np.ndarray:
    """Which candidate rows may give ``role``: for every field only a line near the body's ends. The
    dump's first lines and lines repeated elsewhere are candidates too, for the rows' gap columns;
    allowed to give a headline they cost 8 right headlines of 227 on the dev split (net), and they gave
    more wrong bylines than right ones."""
    if not len(x):
        return np.ones(len(x), dtype=bool)
    return x[:, _IN_WINDOW] > 0


def allowed(role: str, text: str) -> bool:
    """Whether a line may give ``role``: a byline is no page furniture (a call to action, a caption
    credit, an appeal, a menu crumb); any line may give the other fields (for headlines the same
    filter lost more than it gained on the dev split: 0.6344 -> 0.6256; bylines 0.4828 -> 0.5086).

    >>> allowed("byline", "View Comments"), allowed("byline", "Jane Doe"), allowed("date", "Updated 12 May 2020")
    (False, True, True)
    """
    if role != "byline":
        return True
    reason = noise_reason(text)
    if reason is not None and reason != "date line":
        return False
    return appeal_kind(text) is None and not is_menu(text)


def _whole_name(text: str, name: str) -> bool:
    """The line is the name alone (a masthead), or its copyright line or "Support" banner."""
    return normalize_line(text) == normalize_line(name) or (
        publication_name(text) == name and bool(_COPYRIGHT.search(text) or _SUPPORT.match(text))
    )


def _value(role: str, text: str) -> object | None:
    """The field's value read from a line (None when the line does not give one)."""
    if role == "title":  # a headline is no prose: not long, not a sentence ending in a full stop
        words = len(text.split())
        if words > TITLE_MAX_WORDS or (words >= 8 and text.rstrip().endswith(".")):
            return None
        return text.strip()
    if role == "byline":
        value = re.sub(r"^(?:written\s+by|words\s+by)\s+", "", text, flags=re.IGNORECASE)
        value = re.split(r"\s+(?:on|am|le|el)\s+\d|\s+\d{1,2}[./]\d", value, maxsplit=1)[0]
        return clean_byline(value)
    if role == "date":
        return parse_date(text)
    name = publication_name(text)
    if not name:
        return None
    return canonical(name) or name


def label(role: str, text: str, gold: object, norm) -> bool:
    """Training label: does this line give the gold value of ``role``? (``norm``: the evaluation's
    normaliser; used by bench/train_dumphead.py)."""
    if role == "title":
        return norm(text) in gold  # type: ignore[operator]
    if role == "byline":
        key = norm(gold)  # type: ignore[arg-type]
        return bool(key) and len(text.split()) <= 15 and f" {key} " in f" {norm(text)} "
    if role == "date":
        got = parse_date(text) if len(text.split()) <= 15 and any(c.isdigit() for c in text) else None
        return got is not None and abs((got.date() - gold.date()).days) <= 1  # type: ignore[union-attr]
    name = publication_name(text)
    return bool(name) and outlet_key(name) == outlet_key(gold)  # type: ignore[arg-type]
