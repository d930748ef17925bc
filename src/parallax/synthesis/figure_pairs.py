"""Whether two figures of a story count one quantity: features of a pair of merged figures and a scorer learned
from labelled pairs (``data/figure_pair_scorer.json``, trained by ``bench/train_figure_pairs.py`` on the pairs
of ``bench/gold/figure_disagreements.jsonl`` parts ``dev`` and ``train``).

The features read what each figure counts (its unit, the noun after a currency, "of" after a share), the words
around both (shared content words, time words, words of a sub-part: "of them", "including"), the states of
``data/figure_states.json``, how far apart the values are and who gives them."""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .analysis import StoryText

_LEXICON = json.loads(resources.files(__package__).joinpath("data/figure_pair_words.json").read_text(encoding="utf-8"))


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.IGNORECASE)


TIME = _words_pattern(_LEXICON["time"])
CHANGE = _words_pattern(_LEXICON["change"])
SUBPART = _words_pattern(_LEXICON["subpart"])
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_CLAUSE_END = re.compile(r"[.;:!?\n]")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z][\w'’-]+")  # a capitalised word not opening the text
_STOP_NAMES = frozenset({"the", "but", "and", "in", "on", "at", "for", "by", "mr", "mrs", "ms", "dr", "according", "it",
                         "he", "she", "they", "we", "this", "that", "its", "their", "his", "her", "a", "an", "as"})
_TOKEN = re.compile(r"[A-Za-z][\w'’-]*")
WINDOW = 60  # characters read before and after each place of a figure, within its clause

FEATURES = (
    "same_group",
    "same_thing_words",
    "sim",
    "shared_around",
    "around_jaccard",
    "log_ratio",
    "states_apart",
    "one_sided",
    "time_either",
    "time_differ",
    "change_either",
    "subpart_either",
    "both_named",
    "none_named",
    "hedged",
    "converted",
    "small",
    "log_articles",
    "names_conflict",
    "years_conflict",
    "cover",
)


@cache
def model() -> dict | None:
    path = resources.files(__package__).joinpath("data/figure_pair_scorer.json")
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _windows(story: StoryText, entry: dict) -> list[str]:
    """The text within :data:`WINDOW` characters of each place of a merged figure, cut at its clause's ends."""
    if "windows" in entry:
        return entry["windows"]
    from .attributed import _places

    out = []
    for k, start, f in _places(story, entry):
        text = story.articles[k].text
        before = _CLAUSE_END.split(text[max(0, start - WINDOW) : start])[-1]
        after = _CLAUSE_END.split(text[f.end : f.end + WINDOW])[0]
        out.append(f"{before} {f.text} {after}")
    entry["windows"] = out
    return out


def _marks(story: StoryText, entry: dict) -> dict:
    """Time words (and years), change words and sub-part words read around a merged figure; read once."""
    if "pair_marks" in entry:
        return entry["pair_marks"]
    windows = _windows(story, entry)
    times: set[str] = set()
    for w in windows:
        times |= {m.group(0).lower() for m in TIME.finditer(w)} | set(_YEAR.findall(w))
    names: set[str] = set()
    words: set[str] = set()
    for w in windows:
        for m in _NAME.finditer(w):
            if m.group(0).lower() not in _STOP_NAMES:
                names.add(m.group(0).lower())
        words |= _content(w)
    marks = {
        "names": names,
        "words": words,
        "years": set().union(*(set(_YEAR.findall(w)) for w in windows)) if windows else set(),
        "time": times,
        "change": any(CHANGE.search(w) for w in windows),
        "subpart": any(SUBPART.search(w) for w in windows),
    }
    entry["pair_marks"] = marks
    return marks


def _content(text: str) -> set[str]:
    """Content words of a text, lower case, cut to six letters."""
    from ..text.figures import STOP_WORDS

    return {w.lower()[:6] for w in _TOKEN.findall(text) if len(w) > 2 and w.lower() not in STOP_WORDS}


def _sentence_words(story: StoryText, entry: dict) -> set[str]:
    """Content words of the sentences of a merged figure (its windows where it has none)."""
    if "sentence_words" not in entry:
        texts = [story.units[i].text for i in entry["units"]] or _windows(story, entry)
        entry["sentence_words"] = set().union(*(_content(t) for t in texts)) if texts else set()
    return entry["sentence_words"]


def _thing(group: str, qualifier: str | None) -> str:
    """A group without its leading qualifier ("more troops" -> "troops")."""
    return group.removeprefix(f"{qualifier} ") if qualifier else group


def pair_features(story: StoryText, ka: tuple, a: dict, kb: tuple, b: dict) -> list[float]:
    """The values of :data:`FEATURES` for merged figures ``ka`` and ``kb`` (keys of ``merged_figures``)."""
    from .attributed import ONE_SIDED, _around, _states

    va, vb = abs(a["base"]), abs(b["base"])
    lo, hi = min(va, vb), max(va, vb)
    sa, sb = _states(story, a), _states(story, b)
    ba, bb = sa - ONE_SIDED, sb - ONE_SIDED
    around_a, around_b = _around(story, a), _around(story, b)
    shared = len(around_a & around_b)
    union = len(around_a | around_b)
    ma, mb = _marks(story, a), _marks(story, b)
    fa, fb = a["figure"], b["figure"]
    best = max((story.sim(i, j) for i in a["units"] for j in b["units"]), default=0.0)
    unit_words = _content(f"{fa.unit or ''} {fb.unit or ''}")
    # when both figures have named givers, their names are who gives them, not what they count ("Biden said
    # 150,000", "Putin said 130,000"); a name beside a figure in an outlet's own voice is what it counts ("The Bidens
    # reported paying $96,378" against "the Obamas ... paid $98,169")
    givers = {m.group(0).lower() for g in (ka[2], kb[2]) for m in _TOKEN.finditer(g)} if ka[2] and kb[2] else set()
    return [
        float(ka[1] == kb[1]),
        float(_thing(ka[1], fa.qualifier) == _thing(kb[1], fb.qualifier)),
        best,
        float(min(shared, 6)),
        shared / union if union else 0.0,
        math.log(hi / lo) if lo > 0 else 3.0,
        float(bool(ba and bb and not ba & bb)),
        float(bool((sa ^ sb) & ONE_SIDED)),
        float(bool(ma["time"] or mb["time"])),
        float(bool(ma["time"] and mb["time"] and ma["time"] != mb["time"]) or bool(ma["time"]) != bool(mb["time"])),
        float(ma["change"] or mb["change"]),
        float(ma["subpart"] or mb["subpart"]),
        float(ka[2] is not None and kb[2] is not None),
        float(ka[2] is None and kb[2] is None),
        float(bool(a.get("qualifier") or b.get("qualifier"))),
        float((fa.unit or "") != (fb.unit or "")),
        float(hi <= 10),
        math.log(len(a["in"]) + len(b["in"])),
        # a name beside each figure that the other's sentence never gives ("the Bidens paid", "the Obamas paid")
        float(bool(ma["names"] - givers - _sentence_words_names(story, b))
              and bool(mb["names"] - givers - _sentence_words_names(story, a))),
        float(bool(ma["years"] and mb["years"] and not ma["years"] & mb["years"])),
        min(_cover(ma["words"] - unit_words, _sentence_words(story, b)), _cover(mb["words"] - unit_words, _sentence_words(story, a))),
    ]


def _sentence_words_names(story: StoryText, entry: dict) -> set[str]:
    """Lower-case capitalised words of the sentences of a merged figure."""
    if "sentence_names" not in entry:
        texts = [story.units[i].text for i in entry["units"]] or _windows(story, entry)
        entry["sentence_names"] = {m.group(0).lower() for t in texts for m in _TOKEN.finditer(t)}
    return entry["sentence_names"]


def _cover(words: set[str], other: set[str]) -> float:
    """The share of ``words`` found in ``other`` (1 when there are none)."""
    return len(words & other) / len(words) if words else 1.0


def score_with(m: dict, rows: list[list[float]]) -> np.ndarray:
    """Probabilities of a logistic regression given as JSON over the standardised features."""
    x = (np.asarray(rows, dtype=float) - np.asarray(m["mean"])) / np.asarray(m["scale"])
    z = x @ np.asarray(m["coef"]) + m["intercept"]
    return 1.0 / (1.0 + np.exp(-z))


def rule_required() -> bool:
    """Whether today's rule must hold for a disagreement: no model shipped, or the model is a gate on the rule."""
    m = model()
    return m is None or m.get("kind") == "gate"


def _holds(row: list[float], condition: dict) -> bool:
    value = row[FEATURES.index(condition["feature"])]
    return value <= condition["value"] if condition["op"] == "<=" else value >= condition["value"]


def same_quantity(story: StoryText, ka: tuple, a: dict, kb: tuple, b: dict, rule: bool) -> bool | None:
    """Whether the shipped model says two merged figures count one quantity: a gate (``"kind": "gate"``: today's
    rule, ``rule``, and every condition on :data:`FEATURES`) or a logistic regression at its precision-first
    threshold. ``None`` when no model is shipped or it reads features this code does not compute."""
    m = model()
    if m is None or not set(m["features"]) <= set(FEATURES):
        return None
    if m.get("kind") == "gate":
        return rule and all(_holds(pair_features(story, ka, a, kb, b), c) for c in m["conditions"])
    row = pair_features(story, ka, a, kb, b)
    if tuple(m["features"]) != FEATURES:
        row = [row[FEATURES.index(n)] for n in m["features"]]
    return bool(score_with(m, [row])[0] >= m["threshold"])
