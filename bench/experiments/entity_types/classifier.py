"""EXPERIMENT (not adopted): the type of a story's entity, learned: a small multinomial logistic model
run in numpy.

Result (2026-12-07, re-measured the same day; see README.md beside this file): trained on the 260 entities of ``bench/gold/entity_types_train.jsonl`` and
measured on the held-out dev half of ``bench/gold/entity_types.jsonl`` it scored 72.4-77.1 % (by
feature set and regularisation) against the rules' 79.4 %; in 5-fold cross-validation over both
(430 entities) 76.7-79.1 % against the rules' 78.1 %. The features below do not carry what the
rules miss (works and products spaCy calls organisations, one-mention names with no telling
context), so the pipeline keeps the rules (``StoryNames.rule``). Kept for the next attempt with
more labels or a stronger recogniser.

One prediction per canonical name of a story (:class:`~parallax.synthesis.names.StoryNames`), from
what the whole story says about it (:class:`Evidence`): the recogniser's labels of all its mentions,
the words written just before and after them, the type the rules give (``rule``), look-ups in the
package's lexicons and this folder's (publications, the alias table, countries and capitals, GeoNames places, groups
of people, the last word of a name) and the name's shape. Every mention of the name in the story
gets the one type, and the same evidence gives the same type on every page of the site.

Types: ``person``, ``organization``, ``place``, ``other`` and ``none`` (a word the recogniser took for
a name: it is not listed). The weights would live in ``entity_types.json`` (not committed); ``train_entity_types.py``
(beside this file) fits them on hand-labelled development entities (never on the test half of
``bench/gold/entity_types.jsonl``). The lexicons are written beside this file by
``build_place_gazetteer.py`` and ``build_name_lexicons.py``.

Run from the repository: ``PYTHONPATH=src:bench/experiments/entity_types .venv/bin/python
bench/experiments/entity_types/train_entity_types.py --mentions-cache /tmp/ent/sm_lab.pkl``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
KINDS = ("person", "organization", "place", "other", "none")
_WORD = re.compile(r"[A-Za-z][\w'’.-]*|[^\w\s]")
_LABELS = ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")


@dataclass
class Evidence:
    """What one story says about one canonical name."""

    display: str
    forms: Counter = field(default_factory=Counter)  # written forms -> mentions
    labels: Counter = field(default_factory=Counter)  # recogniser label -> mentions
    before: Counter = field(default_factory=Counter)  # word just before a mention (lower case)
    after: Counter = field(default_factory=Counter)  # word just after a mention (lower case)
    rule: str = "other"  # the type the rules give
    why: str = "majority"  # the rule that gave it (see StoryNames.rule)
    fixed: str = ""  # the alias table's or the publication list's type, when it has one
    lower: int = 0  # times the story writes the (one-word) name in lower case
    articles: int = 1  # articles of the story that mention it


def context_words(text: str, start: int, end: int) -> tuple[str, str]:
    """The word (or punctuation mark) just before ``text[start:end]`` and the one just after, lower case."""
    before = _WORD.findall(text[max(0, start - 40) : start])
    after = _WORD.findall(text[end : end + 40])
    return (before[-1].lower() if before else "^", after[0].lower() if after else "$")


@lru_cache(maxsize=1)
def _geonames() -> dict[str, tuple[str, int]]:
    """Place name -> (kind, population) from ``geonames_places.tsv`` beside this file (GeoNames, CC BY 4.0)."""
    table: dict[str, tuple[str, int]] = {}
    text = (HERE / "geonames_places.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, kind, pop = line.split("\t")
            table[name.casefold()] = (kind, int(pop))
    return table


@lru_cache(maxsize=4)
def _lexicon(filename: str) -> dict[str, int]:
    """Name -> rank (0 = most frequent) of one name list of the package's data (``#`` lines are comments)."""
    text = (HERE / filename).read_text(encoding="utf-8")
    rows = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {name.casefold(): rank for rank, name in enumerate(rows)}


def name_words(name: str) -> tuple[bool, bool]:
    """(first word is a given name, last word is a surname) of ``given_names.txt`` and
    ``surnames.txt`` beside this file (US Census 1990 lists)."""
    words = [w.strip(".,") for w in name.split()]
    if not words:
        return False, False
    return words[0].casefold() in _lexicon("given_names.txt"), words[-1].casefold() in _lexicon("surnames.txt")


def geoname(name: str) -> tuple[str, int] | None:
    """The GeoNames kind ("city", "region", "country", "continent") and population of a place name."""
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    return _geonames().get(name.casefold())


def features(ev: Evidence) -> dict[str, float]:
    """The named features of one entity (sparse: absent features are 0)."""
    from parallax.synthesis.names import head_kind, is_group, is_known_place, is_outlet, table_name
    from parallax.text.places import is_place

    name = ev.display
    f: dict[str, float] = {f"rule={ev.rule}": 1.0, f"why={ev.why}": 1.0}
    if ev.fixed:
        f[f"fixed={ev.fixed}"] = 1.0
    total = sum(ev.labels.values()) or 1
    for label, n in ev.labels.items():
        f[f"label={label}"] = n / total
    for side, words in (("prev", ev.before), ("next", ev.after)):
        n_all = sum(words.values()) or 1
        for word, n in words.items():
            f[f"{side}={word}"] = n / n_all
    words = name.split()
    f[f"words={min(len(words), 3)}"] = 1.0
    letters = name.replace(".", "").replace(" ", "")
    if letters.isupper() and len(letters) <= 6:
        f["acronym"] = 1.0
    elif name.isupper():
        f["shouted"] = 1.0
    if any(c.isdigit() for c in name):
        f["digit"] = 1.0
    if re.search(r"[&/@_|]|\.com\b", name):
        f["symbol"] = 1.0
    if re.search(r"\b(?:of|for|and|the|de)\b", name):
        f["glue"] = 1.0
    if any(w[:1].islower() for w in words if w.lower() not in ("of", "for", "and", "the", "de", "du", "la", "von", "van", "al", "bin")):
        f["lower_word"] = 1.0
    if len(words) == 1 and name.endswith("s") and not name.endswith("ss"):
        f["plural"] = 1.0
    if len(words) == 1 and ev.lower:
        caps = sum(ev.forms.values()) or 1
        f["lower_ratio"] = min(ev.lower / caps, 2.0) / 2.0
    f["mentions"] = math.log1p(sum(ev.forms.values())) / 4.0
    f["articles"] = min(ev.articles, 6) / 6.0
    if is_outlet(name):
        f["outlet"] = 1.0
    row = table_name(name)
    if row is not None:
        f[f"table={row[1]}"] = 1.0
    if is_place(name):
        f["place_core"] = 1.0
    elif is_known_place(name):
        f["place_list"] = 1.0
    geo = geoname(name)
    if geo is not None:
        f[f"geo={geo[0]}"] = 1.0
        f["geo_pop"] = min(math.log10(max(geo[1], 1)) / 7.0, 1.2)
    elif len(words) >= 2 and geoname(words[0]) is not None and words[0][:1].isupper():
        f["geo_first_word"] = 1.0  # "Tennessee Highway Patrol", "Dallas County"
    given, surname = name_words(name)
    if len(words) >= 2:
        if given:
            f["given_name"] = 1.0
        if surname:
            f["surname"] = 1.0
        if given and surname:
            f["given_and_surname"] = 1.0
    elif given or surname:
        f["one_word_name"] = 1.0
    if is_group(name):
        f["group"] = 1.0
    head = head_kind(name)
    if head is not None:
        f[f"head={head}"] = 1.0
    return f


class TypeClassifier:
    """Multinomial logistic regression over named sparse features (sklearn-like ``fit``/``predict``)."""

    def __init__(self, vocabulary: dict[str, int] | None = None, weights: Any = None, bias: Any = None,
                 kinds: tuple[str, ...] = KINDS) -> None:
        self.vocabulary = vocabulary or {}
        self.kinds = tuple(kinds)
        self.weights = np.zeros((len(self.vocabulary), len(self.kinds))) if weights is None else np.asarray(weights)
        self.bias = np.zeros(len(self.kinds)) if bias is None else np.asarray(bias)

    def _matrix(self, rows: list[dict[str, float]]) -> np.ndarray:
        x = np.zeros((len(rows), len(self.vocabulary)))
        for i, row in enumerate(rows):
            for name, value in row.items():
                j = self.vocabulary.get(name)
                if j is not None:
                    x[i, j] = value
        return x

    def fit(self, rows: list[dict[str, float]], kinds: list[str], *, l2: float = 1.0, min_count: int = 2,
            steps: int = 600, rate: float = 0.5) -> TypeClassifier:
        """Fit on feature rows and their types (features seen in fewer than ``min_count`` rows dropped)."""
        seen = Counter(name for row in rows for name in row)
        self.vocabulary = {name: j for j, name in enumerate(sorted(n for n, c in seen.items() if c >= min_count))}
        x = self._matrix(rows)
        y = np.zeros((len(rows), len(self.kinds)))
        for i, k in enumerate(kinds):
            y[i, self.kinds.index(k)] = 1.0
        w = np.zeros((x.shape[1], len(self.kinds)))
        b = np.zeros(len(self.kinds))
        n = max(len(rows), 1)
        for _ in range(steps):  # full-batch gradient descent with a decaying step: small, deterministic
            p = _softmax(x @ w + b)
            grad_w = x.T @ (p - y) / n + l2 * w / n
            grad_b = (p - y).mean(axis=0)
            w -= rate * grad_w
            b -= rate * grad_b
        self.weights, self.bias = w, b
        return self

    def predict_proba(self, rows: list[dict[str, float]]) -> np.ndarray:
        return _softmax(self._matrix(rows) @ self.weights + self.bias)

    def predict(self, rows: list[dict[str, float]]) -> list[str]:
        if not rows:
            return []
        return [self.kinds[int(i)] for i in self.predict_proba(rows).argmax(axis=1)]

    def to_json(self) -> dict:
        names = sorted(self.vocabulary, key=self.vocabulary.get)  # type: ignore[arg-type]
        return {
            "kinds": list(self.kinds),
            "features": names,
            "weights": [[round(float(v), 5) for v in self.weights[self.vocabulary[n]]] for n in names],
            "bias": [round(float(v), 5) for v in self.bias],
        }

    @classmethod
    def from_json(cls, data: dict) -> TypeClassifier:
        vocabulary = {name: j for j, name in enumerate(data["features"])}
        weights = np.asarray(data["weights"], dtype=float).reshape(len(vocabulary), len(data["kinds"]))
        return cls(vocabulary, weights, np.asarray(data["bias"], dtype=float), tuple(data["kinds"]))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def story_evidence(names: Any, mentions: Any, texts: Any) -> dict[str, Evidence]:
    """Each canonical name of a fitted ``StoryNames`` with what the story says about it."""
    found: dict[str, Evidence] = {}
    articles: dict[str, set[int]] = {}
    for k, ms in enumerate(mentions):
        text = texts[k] if k < len(texts) else ""
        for m in ms:
            display = names.name(m.name)
            ev = found.setdefault(display, Evidence(display))
            ev.forms[m.name] += 1
            ev.labels[m.label or m.kind] += 1
            if text:
                before, after = context_words(text, m.start, m.end)
                ev.before[before] += 1
                ev.after[after] += 1
            articles.setdefault(display, set()).add(k)
    for display, ev in found.items():
        ev.rule, ev.why = names.rule(display)
        ev.lower = names._words.get(display.lower(), 0) if " " not in display else 0
        ev.articles = len(articles.get(display, ())) or 1
    return found
