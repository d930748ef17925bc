"""Plain-text dumps that still carry page noise, cleaned line by line.

A text dump is what a scraper kept of a page: navigation, share prompts, captions with credits,
"Sign up to read this article", tags and copyright lines around the article, one block per line.
Each line gets features (length, position, sentence shape, link- and menu-like shape,
call-to-action words, credit patterns, repetition across documents of the
outlet) and a learned classifier (``data/textdump_model.json``, trained by
``bench/train_textdump.py``) decides body or noise in two stages, the second also seeing the
first stage's view of the neighbouring lines and of the regions its likely body lines form (the
largest one is usually the article; region_features); the lines are then decoded as a sequence
(smooth_mask: a switch between body and noise costs SWITCH_PENALTY, so a doubtful line inside the
body stays and a lone likely line among noise goes) and the body is the region where body lines
concentrate. Masthead, byline and date lines become metadata, not body.

>>> dump = "\\n".join([
...     "Home | World | Politics", "Storm hits the coast", "By Jane Doe",
...     "A storm hit the coast on Monday, cutting power to thousands of homes across the region.",
...     "The date of the footage is also unclear.",
...     "Officials said repairs would take several days, and urged people to stay indoors.",
...     "Sign up to our newsletter", "Copyright 2024 Daily Bugle. All rights reserved."])
>>> page = clean_text_dump(dump)
>>> page.paragraphs()[1]
'The date of the footage is also unclear.'
>>> page.title, page.byline
('Storm hits the coast', 'Jane Doe')
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from lxml import etree
from lxml.html import HtmlElement

from .appeals import appeal_lines
from .boilerplate import is_menu, noise_reason, normalize_line
from .chars import char_counts
from .dumphead import read_head
from .metadata import STOPWORDS, clean_byline, guess_language, outlet_from_url, parse_date
from .outlets import domain_name
from .page import Page

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("data") / "textdump_model.json"
# Probability above which a line is body.
BODY_THRESHOLD = 0.5
# A line whose probability reaches this share of the best line's is body too.
RELATIVE_THRESHOLD = 0.5
# No line below this probability is body, whatever the rest of the page looks like.
MIN_PROBABILITY = 0.1
# Body lines separated by at most REGION_GAP other lines form one region; a region with less than
# REGION_MIN_SHARE of the words of the largest one (comments, teasers far from the article) is dropped
# (both chosen on cross-validated AEB predictions, see bench/eval_extraction.py).
REGION_GAP = 16
REGION_MIN_SHARE = 0.3
# Cost of switching between body and noise in the line-sequence decoding (smooth_mask; each line
# votes with its log-odds against the cut, weighted by the square root of its words). Chosen on
# cross-validated AEB predictions (text-dump CV F1, mean of three fold splits: 0.9186 line by line,
# 0.9214 at 2), see bench/eval_extraction.py.
SWITCH_PENALTY = 2.0
LONG_BODY_WORDS = 25  # a line this long that the model calls body stays whatever its neighbours
# Gaps (in lines) of the likely-body regions the second stage is told about (region_features; set
# a priori, not tuned: adding them raised the text-dump CV F1 on all three fold splits, mean
# 0.9142 -> 0.9186, see bench/eval_extraction.py).
REGION_FEATURE_GAPS = (2, REGION_GAP)
#: A kept line of at least this many words is prose: the body has begun (the head is above it).
PROSE_WORDS = 8
# Lines of the dump's head searched for title, byline and date.
HEAD_LINES = 25

_SENTENCE_END = re.compile(r"""[.!?…:;。！？]["'”’»)\]」』）]*$""")
_BYLINE = re.compile(
    r"^(?:by|written\s+by|words\s+by|von|par|por|door)\s+([A-Z][\w'’.-]+(?:[\s,]+(?:and\s+|&\s+)?[A-Z][\w'’.-]+){0,6})"
    r"(?:\s*(?:,|\||-|–|—)\s*.*)?$",
    re.IGNORECASE,
)
_URLISH = re.compile(r"(?:https?://|www\.|\.com\b|\.co\.uk\b|@\w)", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s[|»›•·/]\s|\s[|»›•·]$|^[|»›•·]\s")
_WORD = re.compile(r"\w+", re.UNICODE)
# Function words of the languages guess_language knows, plus a few frequent in news prose.
_STOP = frozenset().union(*STOPWORDS.values()) | frozenset(
    ["a", "an", "or", "but", "with", "as", "were", "been", "has", "had", "its", "these", "those", "they"]
    + ["we", "you", "i", "his", "her", "their", "our", "not", "no", "says", "will", "would", "can", "could"]
)
# Han and kana characters: scripts written without spaces, about two characters a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words of a line; runs of Han and kana count about one word per two characters."""
    cjk = len(_CJK.findall(text))
    return len(text.split()) + cjk // 2 if cjk else len(text.split())


@dataclass(frozen=True, slots=True)
class Line:
    """One unit of a text dump (a line, or a hard-wrapped paragraph joined back)."""

    text: str
    index: int
    blank_before: bool


def split_units(text: str) -> list[Line]:
    """Lines of a dump; hard-wrapped paragraphs (blank-line separated, fixed width) joined back."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    blocks = re.split(r"\n[ \t\u00a0]*\n", text)
    split_blocks = [[p for p in b.split("\n") if p.strip()] for b in blocks]
    multi = [b for b in split_blocks if len(b) >= 2]
    wrapped = False
    if len(split_blocks) >= 2 and len(multi) >= 0.5 * len([b for b in split_blocks if b]):
        inner = [ln.strip() for b in multi for ln in b[:-1]]
        widths = sorted(len(ln) for ln in inner)
        p90 = widths[int(0.9 * (len(widths) - 1))]
        wide = sum(1 for w in widths if w >= 0.6 * p90) / len(widths)
        ends = sum(1 for ln in inner if _SENTENCE_END.search(ln)) / len(inner)
        wrapped = 30 <= p90 <= 100 and wide > 0.8 and ends < 0.5
    units: list[Line] = []
    for block in blocks:
        parts = [" ".join(p.split()) for p in block.split("\n") if p.strip()]
        if not parts:
            continue
        if wrapped:
            parts = [" ".join(parts)]
        for n, part in enumerate(parts):
            units.append(Line(part, len(units), blank_before=(n == 0)))
    return units


# ---------------------------------------------------------------------------------------- features

FEATURE_NAMES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "sentence_end",
    "starts_upper",
    "title_case_share",
    "stopword_share",
    "digit_share",
    "punct_share",
    "commas",
    "separators",
    "urlish",
    "noise_rule",
    "credit_rule",
    "byline_like",
    "repeated",
    "position",
    "position_from_end",
    "blank_before",
    "upper_share",
    "words_ge_10",
    "words_le_3",
    "quote_start",
    "bullet_start",
    "dup_in_doc",
    "words_before_share",
    "short_run",
    "dist_prev_prose",
    "dist_next_prose",
    "words_vs_max",
    "words_rank",
    "stop_vs_doc",
)
CONTEXT_WINDOWS = (1, 2, 4, 8, 16)
_PER_LINE = FEATURE_NAMES.index("words_before_share")  # columns computed line by line


def line_features(lines: Sequence[Line], repeated: frozenset[str] = frozenset()) -> np.ndarray:
    """Per-line base features (rows follow ``lines``; columns follow FEATURE_NAMES)."""
    n = len(lines)
    rows = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float64)
    counts: dict[str, int] = {}
    for line in lines:
        key = normalize_line(line.text)
        counts[key] = counts.get(key, 0) + 1
    for i, line in enumerate(lines):
        text = line.text
        words = text.split()
        tokens = _WORD.findall(text)
        nw = max(word_count(text), 1)
        reason = noise_reason(text)
        alpha = [w for w in words if w[:1].isalpha()]
        chars = char_counts(text)
        digits, alnum, spaces = chars.digit, chars.alnum, chars.space
        rows[i, :_PER_LINE] = (
            math.log1p(nw if words else 0),
            math.log1p(len(text)),
            1.0 if _SENTENCE_END.search(text) else 0.0,
            1.0 if text[:1].isupper() else 0.0,
            sum(1 for w in alpha if w[:1].isupper()) / max(len(alpha), 1),
            sum(map(_STOP.__contains__, map(str.casefold, tokens))) / max(len(tokens), 1),
            digits / max(len(text), 1),
            (len(text) - alnum - spaces) / max(len(text), 1),
            min(text.count(","), 10) / 10,
            min(len(_SEPARATORS.findall(text)), 5) / 5,
            1.0 if _URLISH.search(text) else 0.0,
            1.0 if reason is not None and reason != "caption credit" else 0.0,
            1.0 if reason == "caption credit" else 0.0,
            1.0 if _BYLINE.match(text) and len(words) <= 12 else 0.0,
            1.0 if normalize_line(text) in repeated else 0.0,
            i / max(n - 1, 1),
            (n - 1 - i) / max(n - 1, 1),
            1.0 if line.blank_before else 0.0,
            chars.upper / max(chars.alpha, 1),
            1.0 if nw >= 10 else 0.0,
            1.0 if nw <= 3 else 0.0,
            1.0 if text[:1] in "\"“‘'«„" else 0.0,
            1.0 if text[:1] in "-•*–·►▶" else 0.0,
            1.0 if counts[normalize_line(text)] > 1 else 0.0,
        )
    _add_layout(rows)
    return rows


def _add_layout(rows: np.ndarray) -> None:
    """Fill the layout columns: share of words before, run of short lines, distance to prose lines."""
    n = rows.shape[0]
    if not n:
        return
    col = {name: FEATURE_NAMES.index(name) for name in FEATURE_NAMES}
    words = np.expm1(rows[:, col["log_words"]])
    total = max(words.sum(), 1.0)
    rows[:, col["words_before_share"]] = (np.cumsum(words) - words) / total
    log_words = rows[:, col["log_words"]]
    rows[:, col["words_vs_max"]] = log_words - log_words.max()
    rows[:, col["words_rank"]] = np.argsort(np.argsort(words, kind="stable"), kind="stable") / max(n - 1, 1)
    stop = rows[:, col["stopword_share"]]
    rows[:, col["stop_vs_doc"]] = stop - np.average(stop, weights=words + 1)
    short = words < 8
    run = np.zeros(n)
    i = 0
    while i < n:
        j = i
        while j < n and short[j] == short[i]:
            j += 1
        run[i:j] = (j - i) if short[i] else 0
        i = j
    rows[:, col["short_run"]] = np.log1p(run)
    prose = (words >= 12) & (rows[:, col["sentence_end"]] > 0) & (rows[:, col["noise_rule"]] == 0)
    last = -1_000
    for i in range(n):
        rows[i, col["dist_prev_prose"]] = np.log1p(min(i - last, 1000))
        if prose[i]:
            last = i
    nxt = 1_000_000
    for i in range(n - 1, -1, -1):
        rows[i, col["dist_next_prose"]] = np.log1p(min(nxt - i, 1000))
        if prose[i]:
            nxt = i


def context_features(base: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Means of the chosen columns over windows before and after each line (the line excluded)."""
    n = base.shape[0]
    if n == 0:
        return np.zeros((0, 2 * len(CONTEXT_WINDOWS) * len(columns)))
    values = base[:, columns]
    cumulative = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    out = []
    index = np.arange(n)
    for w in CONTEXT_WINDOWS:
        lo = np.maximum(index - w, 0)
        before = (cumulative[index] - cumulative[lo]) / np.maximum(index - lo, 1)[:, None]
        hi = np.minimum(index + 1 + w, n)
        after = (cumulative[hi] - cumulative[index + 1]) / np.maximum(hi - index - 1, 1)[:, None]
        out.extend([before, after])
    return np.hstack(out)


_CONTEXT_COLUMNS = tuple(
    FEATURE_NAMES.index(name)
    for name in (
        "log_words",
        "sentence_end",
        "stopword_share",
        "noise_rule",
        "title_case_share",
        "separators",
    )
)


def feature_matrix(lines: Sequence[Line], repeated: frozenset[str] = frozenset()) -> np.ndarray:
    """The classifier's first-stage input: base features plus their context over neighbouring lines."""
    base = line_features(lines, repeated)
    if not len(lines):
        return np.zeros((0, base.shape[1] + 2 * len(CONTEXT_WINDOWS) * len(_CONTEXT_COLUMNS)))
    return np.hstack([base, context_features(base, _CONTEXT_COLUMNS)])


def stacked_features(x: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Second-stage input: the first-stage features, the first stage's probability of each line and
    its mean over neighbouring lines, and the share of likely-body words before the line."""
    column = first[:, None]
    words = np.expm1(x[:, FEATURE_NAMES.index("log_words")])
    mass = words * first
    total = max(float(mass.sum()), 1.0)
    cumulative = np.concatenate([[0.0], np.cumsum(mass)])
    before = cumulative[:-1] / total
    n = len(first)
    index = np.arange(n)
    nearby = [
        (cumulative[np.minimum(index + 1 + w, n)] - cumulative[np.maximum(index - w, 0)]) / total for w in (4, 16)
    ]
    regions = [region_features(first, words, gap) for gap in REGION_FEATURE_GAPS]
    return np.hstack(
        [x, column, context_features(column, (0,)), before[:, None], np.column_stack(nearby), *regions]
    )


def region_features(first: np.ndarray, words: np.ndarray, gap: int) -> np.ndarray:
    """Where a line stands among the regions of likely body lines (gaps of at most ``gap`` lines).

    Columns: inside a region's span, that region's likely-body words as a share of the largest
    region's, and the signed distance in lines to the largest region (log, 0 inside it).

    >>> region_features(np.array([0.9, 0.1, 0.8, 0.1, 0.1, 0.1, 0.9]), np.array([20.0] * 7), 1).round(2).tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.69], [0.0, 0.0, 1.1], [0.0, 0.0, 1.39], [1.0, 0.5, 1.61]]
    """
    n = len(first)
    out = np.zeros((n, 3))
    likely = np.flatnonzero(first >= BODY_THRESHOLD)
    if not len(likely):
        return out
    mass = words * first
    spans: list[tuple[int, int]] = []  # [start, end] of each region, inclusive
    start = end = int(likely[0])
    for i in likely[1:]:
        if i - end - 1 > gap:
            spans.append((start, end))
            start = int(i)
        end = int(i)
    spans.append((start, end))
    masses = np.array([mass[a : b + 1].sum() for a, b in spans])
    largest = max(float(masses.max()), 1e-9)
    for (a, b), m in zip(spans, masses, strict=True):
        out[a : b + 1, 0] = 1.0
        out[a : b + 1, 1] = m / largest
    a, b = spans[int(np.argmax(masses))]
    index = np.arange(n)
    distance = np.where(index < a, index - a, np.where(index > b, index - b, 0))
    out[:, 2] = np.sign(distance) * np.log1p(np.abs(distance))
    return out


# ------------------------------------------------------------------------------------------ model


class TreeEnsemble:
    """A gradient-boosted tree ensemble evaluated with numpy from its JSON export (no pickle).

    All (row, tree) pairs advance one level per step together, so a page costs a few vectorised
    steps instead of a Python loop per tree. The nodes of all trees are laid out in one flat array
    where an inner node's two children sit side by side: a pair moves to ``right[node] - (x <= t)``
    (the left child is the slot before the right one), one gather fewer per step than picking from
    a left and a right array. A leaf's children are a pair of slots holding the leaf's value that
    lead to themselves, so a pair that reached a leaf stays on its value. From COMPACT_AFTER steps
    on, the pairs at a leaf are set aside, so the deep branches of leaf-wise trees move only the few
    pairs still on them. The leaf values are summed per row as the trees list them, so a row's
    probability does not depend on the other rows scored with it.
    """

    COMPACT_AFTER = 6  # steps before the pairs at a leaf are set aside (3: slower; 6-8 the fastest on AEB dumps)

    def __init__(self, spec: dict) -> None:
        self.init = float(spec["init"])
        self.rate = float(spec["learning_rate"])
        trees = spec["trees"]
        feature: list[int] = []
        threshold: list[float] = []
        right: list[int] = []
        value: list[float] = []
        inner: list[bool] = []

        def slots(count: int) -> int:
            first = len(feature)
            feature.extend([0] * count)
            threshold.extend([math.inf] * count)  # x <= inf: a leaf's slots lead to their left slot
            right.extend([0] * count)
            value.extend([0.0] * count)
            inner.extend([False] * count)
            return first

        roots, self._depth = [], 0  # _depth: steps from the roots to the deepest leaf
        for tree in trees:
            roots.append(slots(1))
            stack = [(0, roots[-1], 0)]
            while stack:
                node, slot, depth = stack.pop()
                if tree["left"][node] < 0:  # a leaf: on to a pair of slots that keep its value
                    pair = slots(2)
                    right[slot] = right[pair] = right[pair + 1] = pair + 1
                    value[slot] = value[pair] = value[pair + 1] = float(tree["value"][node])
                    self._depth = max(self._depth, depth)
                    continue
                pair = slots(2)
                feature[slot], threshold[slot] = int(tree["feature"][node]), float(tree["threshold"][node])
                right[slot], inner[slot] = pair + 1, True
                stack += [(tree["left"][node], pair, depth + 1), (tree["right"][node], pair + 1, depth + 1)]
        self.count = len(trees)
        self._roots = np.asarray(roots, dtype=np.int64)
        self._feature = np.asarray(feature, dtype=np.int64)
        self._threshold = np.asarray(threshold, dtype=np.float64)
        self._right = np.asarray(right, dtype=np.int64)
        self._value = np.asarray(value, dtype=np.float64)
        self._inner = np.asarray(inner, dtype=bool)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row of ``x``."""
        n, count = x.shape[0], self.count
        if n == 0 or count == 0:
            return np.full(n, 1.0 / (1.0 + np.exp(-self.init)))
        feature, threshold, right = self._feature, self._threshold, self._right
        values = np.ascontiguousarray(x, dtype=np.float64).ravel()
        # one entry per (row, tree): its current slot, the row's offset in values
        node = np.tile(self._roots, n)
        offset = np.repeat(np.arange(n) * x.shape[1], count)
        final, where = node, None  # where: the entries still moving (None: all of them)
        for step in range(self._depth):
            node = right.take(node) - (values.take(offset + feature.take(node)) <= threshold.take(node))
            if step + 1 >= self.COMPACT_AFTER:
                if where is None:
                    final, where = node, np.arange(node.size)
                else:
                    final.put(where, node)
                moving = self._inner.take(node)
                where, node, offset = where[moving], node[moving], offset[moving]
                if not node.size:
                    break
        if where is None:
            final = node
        score = self.init + self.rate * self._value.take(final).reshape(n, count).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-score))


@dataclass(frozen=True, slots=True)
class LineModel:
    """The line classifier: gradient-boosted trees over per-line and context features.

    A line is body when its probability reaches ``threshold``, or ``relative`` times the best
    line's probability (a page always has a body, even when the model is unsure of all of it).
    """

    trees: TreeEnsemble
    threshold: float = BODY_THRESHOLD
    relative: float = RELATIVE_THRESHOLD
    second: TreeEnsemble | None = None

    def probabilities(self, lines: Sequence[Line], repeated: frozenset[str] = frozenset()) -> np.ndarray:
        """Probability that each line is body text (the second stage, when present, sees the first's)."""
        if not lines:
            return np.zeros(0)
        x = feature_matrix(lines, repeated)
        first = self.trees.predict_proba(x)
        if self.second is None:
            return first
        return self.second.predict_proba(stacked_features(x, first))

    def cut(self, probabilities: np.ndarray) -> float:
        """The probability a line needs to be body on this page."""
        best = float(probabilities.max(initial=0.0))
        return max(MIN_PROBABILITY, min(self.threshold, self.relative * best))

    def keep(self, probabilities: np.ndarray) -> np.ndarray:
        """Body mask from the probabilities, line by line."""
        if not len(probabilities):
            return np.zeros(0, dtype=bool)
        return probabilities >= self.cut(probabilities)

    @classmethod
    def from_spec(cls, spec: dict) -> LineModel:
        """The model from its JSON export (see bench/train_textdump.py)."""
        return cls(
            TreeEnsemble(spec["trees"]),
            float(spec.get("threshold", BODY_THRESHOLD)),
            float(spec.get("relative", RELATIVE_THRESHOLD)),
            TreeEnsemble(spec["second"]) if spec.get("second") else None,
        )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> LineModel | None:
    """The shipped line classifier, or None (rules only) when the data file is missing."""
    if not path.exists():
        log.warning("text-dump model %s missing: using rules only", path)
        return None
    return LineModel.from_spec(json.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------------------- decoding


def rule_probabilities(lines: Sequence[Line], repeated: frozenset[str] = frozenset()) -> np.ndarray:
    """Body probabilities from hand rules: the region of prose lines, minus noise and menus."""
    n = len(lines)
    strong = np.zeros(n, dtype=bool)
    for i, line in enumerate(lines):
        words = line.text.split()
        tokens = _WORD.findall(line.text)
        stop = sum(1 for t in tokens if t.casefold() in _STOP) / max(len(tokens), 1)
        strong[i] = len(words) >= 10 and stop >= 0.1 and noise_reason(line.text) is None
    probs = np.zeros(n)
    if not strong.any():
        return probs
    # group strong lines separated by at most MAX_GAP other lines; keep the group with most words
    idx = np.flatnonzero(strong)
    groups: list[list[int]] = [[int(idx[0])]]
    for i in idx[1:]:
        if i - groups[-1][-1] <= 6:
            groups[-1].append(int(i))
        else:
            groups.append([int(i)])
    best = max(groups, key=lambda g: sum(len(lines[i].text.split()) for i in g))
    start, end = best[0], best[-1]
    for i in range(start, end + 1):
        text = lines[i].text
        if noise_reason(text) is not None or normalize_line(text) in repeated:
            continue
        if strong[i] or _SENTENCE_END.search(text):
            probs[i] = 0.9
        elif len(text.split()) <= 12 and i + 1 <= end and strong[i + 1] and not (i > 0 and not strong[i - 1]):
            probs[i] = 0.7  # a heading right before body text
    return probs


def classify_lines(
    lines: Sequence[Line], repeated: frozenset[str] = frozenset(), model: LineModel | None = None
) -> np.ndarray:
    """Body (True) or noise (False) for each line (``model`` defaults to the shipped one)."""
    if not lines:
        return np.zeros(0, dtype=bool)
    model = model or load_model()
    if model is None:
        return rule_probabilities(lines, repeated) >= BODY_THRESHOLD
    probabilities = model.probabilities(lines, repeated)
    words = np.array([word_count(line.text) for line in lines], dtype=np.float64)
    keep = body_mask(probabilities, words, model.cut(probabilities))
    return main_regions(lines, _apply_rules(lines, keep, repeated))


def body_mask(probabilities: np.ndarray, words: np.ndarray, cut: float) -> np.ndarray:
    """The smoothed mask (:func:`smooth_mask`), less its drops of long lines the model calls body:
    a line of LONG_BODY_WORDS or more at or above the cut stays whatever its neighbours (the
    smoothing had dropped whole lead paragraphs of news articles standing among captions).

    >>> p, w = np.array([0.1, 0.1, 0.55, 0.1, 0.1]), np.array([3.0, 3.0, 40.0, 3.0, 3.0])
    >>> smooth_mask(p, w, 0.5).astype(int).tolist(), body_mask(p, w, 0.5).astype(int).tolist()
    ([0, 0, 0, 0, 0], [0, 0, 1, 0, 0])
    """
    return smooth_mask(probabilities, words, cut) | ((probabilities >= cut) & (words >= LONG_BODY_WORDS))


def smooth_mask(
    probabilities: np.ndarray, words: np.ndarray, cut: float, penalty: float = SWITCH_PENALTY
) -> np.ndarray:
    """The body mask that best agrees with the lines' probabilities at SWITCH_PENALTY per switch.

    Each line scores its log-odds against ``cut``, weighted by the square root of its words plus
    one; the mask maximises the summed scores of its body lines minus ``penalty`` per change
    between body and noise (a two-state Viterbi pass), so a lone weak line inside the body stays
    and a lone strong short line among noise goes.

    >>> p = np.array([0.9, 0.9, 0.45, 0.9, 0.1, 0.6, 0.1, 0.1])
    >>> smooth_mask(p, np.full(8, 3.0), 0.5).astype(int).tolist()
    [1, 1, 1, 1, 0, 0, 0, 0]
    >>> (smooth_mask(p, np.full(8, 3.0), 0.5, penalty=0.0) == (p >= 0.5)).all()
    np.True_
    """
    n = len(probabilities)
    if not n:
        return np.zeros(0, dtype=bool)
    p = np.clip(probabilities, 1e-4, 1 - 1e-4)
    c = min(max(cut, 1e-4), 1 - 1e-4)
    score = ((np.log(p / (1 - p)) - math.log(c / (1 - c))) * np.sqrt(words + 1.0)).tolist()
    noise, body = 0.0, score[0]  # best total of a mask ending in each state
    from_noise = [False] * n  # per line: did the best body path come from noise, and vice versa
    from_body = [False] * n
    for i in range(1, n):
        switch_in = noise - penalty > body  # into body from noise
        switch_out = body - penalty > noise  # into noise from body
        from_noise[i], from_body[i] = switch_in, switch_out
        best_noise = body - penalty if switch_out else noise
        body = (noise - penalty if switch_in else body) + score[i]
        noise = best_noise
    out = np.zeros(n, dtype=bool)
    state = body > noise
    for i in range(n - 1, -1, -1):
        out[i] = state
        state = (not from_noise[i]) if state else from_body[i]
    return out


def main_regions(lines: Sequence[Line], keep: np.ndarray) -> np.ndarray:
    """The body mask without small regions of body lines far from the largest one."""
    index = np.flatnonzero(keep)
    if not len(index):
        return keep
    regions: list[list[int]] = [[int(index[0])]]
    for i in index[1:]:
        if i - regions[-1][-1] - 1 <= REGION_GAP:
            regions[-1].append(int(i))
        else:
            regions.append([int(i)])
    words = [sum(word_count(lines[i].text) for i in region) for region in regions]
    out = np.zeros_like(keep)
    for region, count in zip(regions, words, strict=True):
        if count >= REGION_MIN_SHARE * max(words):
            out[region] = True
    return out


def _apply_rules(lines: Sequence[Line], keep: np.ndarray, repeated: frozenset[str]) -> np.ndarray:
    """Noise rules, menu crumbs and appeal blocks veto the model; a single clean line between two body
    lines is body."""
    noise = np.array(
        [
            noise_reason(ln.text) is not None or is_menu(ln.text) or normalize_line(ln.text) in repeated
            for ln in lines
        ]
    )
    if len(lines):
        noise[appeal_lines([ln.text for ln in lines])] = True  # appeals and furniture (clean.appeals)
    keep = keep & ~noise
    for i in range(1, len(lines) - 1):
        if not keep[i] and not noise[i] and keep[i - 1] and keep[i + 1] and len(lines[i].text.split()) <= 25:
            keep[i] = True
    return keep


def clean_lines(
    raw_lines: Sequence[str], *, title: str | None = None, repeated: frozenset[str] = frozenset()
) -> list[str]:
    """Body paragraphs among the given lines (one block per line)."""
    lines = [Line(" ".join(t.split()), i, True) for i, t in enumerate(raw_lines) if t.strip()]
    lines = [Line(ln.text, i, ln.blank_before) for i, ln in enumerate(lines)]
    keep = classify_lines(lines, repeated)
    title_key = normalize_line(title) if title else None
    return [ln.text for ln, k in zip(lines, keep, strict=True) if k and normalize_line(ln.text) != title_key]


# --------------------------------------------------------------------------------------- metadata


def _head_metadata(lines: Sequence[Line], keep: np.ndarray) -> dict[str, object]:
    """Title, byline and date from the lines before the body (masthead lines are not body)."""
    found: dict[str, object] = {}
    # The head ends at the first kept line of prose: a headline or "By ..." line the model kept just
    # above the lead is still masthead.
    body_start = next((i for i, (ln, k) in enumerate(zip(lines, keep)) if k and len(ln.text.split()) >= PROSE_WORDS), None)
    if body_start is None:
        body_start = int(np.argmax(keep)) if keep.any() else min(len(lines), HEAD_LINES)
    head = lines[: min(max(body_start, 0), HEAD_LINES)]
    for line in head:
        text = line.text
        if "byline" not in found:
            match = _BYLINE.match(text)
            if match and len(text.split()) <= 12:
                found["byline"] = clean_byline(match.group(1))
                continue
        if "published" not in found and len(text.split()) <= 12:
            date = parse_date(text) if noise_reason(text) == "date line" else None
            if date is not None:
                found["published"] = date
                continue
    candidates = [
        ln.text
        for ln in head
        if 3 <= len(ln.text.split()) <= 25
        and noise_reason(ln.text) is None
        and not _BYLINE.match(ln.text)
        and not _SEPARATORS.search(ln.text)
        and not ln.text.endswith(".")
    ]
    if candidates:
        found["title"] = max(candidates[-3:], key=lambda t: len(t.split()))
    return found


def clean_text_dump(
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    repeated: frozenset[str] = frozenset(),
    model: LineModel | None = None,
    head_model: dict | None = None,
) -> Page:
    """Body and metadata of a plain-text dump; ``repeated`` holds the outlet's learned boilerplate lines.

    Headline, byline, date and publication name come from the learned head reader
    (parallax.clean.dumphead), then the rules of _head_metadata; the lines read become metadata
    and leave the body. The outlet is the known outlet of the URL's domain, else the publication
    the dump names, else a name made from the URL's domain.

    >>> clean_text_dump("Menu\\nSign in\\nThe vote is final, the council said on Monday.").text
    'The vote is final, the council said on Monday.'
    """
    lines = split_units(text)
    keep = classify_lines(lines, repeated, model)
    meta = _head_metadata(lines, keep)
    reading = read_head([ln.text for ln in lines], keep, head_model)
    title = title or reading.title or meta.get("title")  # type: ignore[assignment]
    title_key = normalize_line(title) if isinstance(title, str) else None
    byline = reading.byline or meta.get("byline")
    read_lines = reading.lines | {
        i for i, ln in enumerate(lines) if byline and _BYLINE.match(ln.text) and len(ln.text.split()) <= 12
    }
    paragraphs = [
        ln.text
        for i, (ln, k) in enumerate(zip(lines, keep, strict=True))
        if k and normalize_line(ln.text) != title_key and not (i in read_lines and word_count(ln.text) <= 30)
    ]
    body = "\n\n".join(paragraphs)
    return Page(
        text=body,
        title=title if isinstance(title, str) else None,
        byline=byline if isinstance(byline, str) else None,
        published=reading.published or meta.get("published"),  # type: ignore[arg-type]
        outlet=dump_outlet(url, reading.outlet),
        language=guess_language(body),
    )


def dump_outlet(url: str | None, named: str | None) -> str | None:
    """The outlet of a dump: the table's name for the URL's domain, else the publication the dump
    names, else the name outlet_from_url makes of the domain.

    >>> dump_outlet("https://www.theguardian.com/x", "Guardian Weekly"), dump_outlet("https://example.org/a", "Daily Bugle")
    ('The Guardian', 'Daily Bugle')
    >>> dump_outlet("https://example.org/a", None), dump_outlet(None, None)
    ('example.org', None)
    """
    return domain_name(url) or named or outlet_from_url(url)


# ----------------------------------------------------------------------------------- HTML -> lines

_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "head",
    "select",
    "option",
    "button",
}
_INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "label", "img",
}  # fmt: skip


def html_visible_lines(tree: HtmlElement) -> list[str]:
    """Visible text of a page, one block element per line."""
    parts: list[str] = []
    walker = etree.iterwalk(tree, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event in {"comment", "pi"}:
            if element.tail:
                parts.append(element.tail)
            continue
        if event == "start":
            if not tag or tag in _DROP_TAGS:
                walker.skip_subtree()
                continue
            if tag == "br" or tag not in _INLINE_TAGS:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
        else:
            if tag and tag not in _DROP_TAGS and tag not in _INLINE_TAGS:
                parts.append("\n")
            if element.tail:
                parts.append(element.tail)
    text = "".join(parts)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def iter_paragraphs(text: str) -> Iterator[str]:
    """Paragraphs of a cleaned text."""
    yield from (p for p in text.split("\n\n") if p)
