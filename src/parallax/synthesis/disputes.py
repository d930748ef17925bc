"""Contested claims: every sentence of every article read for disputes, candidate (assertion, dispute)
pairs, and a pair scorer learned from labelled pairs.

A dispute is any sentence with a cue (``claims.DISPUTE`` or a cue of ``data/dispute_cues.json``),
wherever it stands in its article (past the sentences the summary reads, behind a pronoun subject,
"…, he said", in parentheses). Its candidate assertions are the sentences of the story that carry no
cue themselves (a "we see no evidence" is never an assertion another one disputes), come from an
actor of another side (an organisation and its spokespeople are one side) and share content with it.
The scorer (``data/pair_scorer.json``: a logistic regression trained by ``bench/train_pair_scorer.py``
on ``bench/gold/contested_train_pairs.jsonl``) gives each candidate the probability that the dispute
answers it; a dispute is set against its best candidate when that probability reaches the model's
threshold.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..text.sentences import split_sentences
from .analysis import MAX_CANDIDATE_WORDS, MAX_SENTENCES_PER_ARTICLE, StoryText, is_candidate

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data"
MAX_CANDIDATES = 12  # assertions scored per dispute (the most alike)
MIN_SHARED_SIM = 0.3  # an assertion sharing no content word is a candidate only when this alike


@lru_cache(maxsize=1)
def cues() -> dict:
    return json.loads((DATA / "dispute_cues.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _extra() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(cues()["extra_disputes"] + cues()["charge_denials"]) + r")", re.IGNORECASE)


@lru_cache(maxsize=1)
def charge_denial() -> re.Pattern[str]:
    """Cues of denying a charge or an accusation, whose clause says what is denied ("pleaded not guilty to ...")."""
    return re.compile(r"\b(?:" + "|".join(cues()["charge_denials"]) + r")", re.IGNORECASE)


@lru_cache(maxsize=1)
def _no_evidence() -> re.Pattern[str]:
    return re.compile(cues()["no_evidence"], re.IGNORECASE)


@lru_cache(maxsize=1)
def _claim_words() -> re.Pattern[str]:
    return re.compile(cues()["claim_words"], re.IGNORECASE)


@lru_cache(maxsize=1)
def _pronoun_subject() -> re.Pattern[str]:
    return re.compile(cues()["pronoun_subject"])


@lru_cache(maxsize=1)
def model() -> dict | None:
    path = DATA / "pair_scorer.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def is_dispute(text: str) -> bool:
    """A sentence with a cue of disputing."""
    from .claims import DISPUTE

    return bool(DISPUTE.search(text) or _extra().search(text))


def is_no_evidence(text: str) -> bool:
    """ "We see no evidence of X": it disputes X and asserts nothing another dispute could answer."""
    return bool(_no_evidence().search(text))


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of one article: a unit of the story, or one past the sentences the summary reads."""

    article: int
    index: int
    start: int
    end: int
    text: str
    unit: int | None  # index into StoryText.units


def read_all(story: StoryText) -> list[Sentence]:
    """Every unit of the story, and the dispute sentences past each article's first
    ``MAX_SENTENCES_PER_ARTICLE`` (those the analysis does not split into units)."""
    found = story.memo.get("claim_sentences")
    if found is not None:
        return found
    out = [Sentence(u.article, u.index, u.start, u.end, u.text, i) for i, u in enumerate(story.units)]
    last: dict[int, tuple[int, int]] = {}  # article -> (index, end) of its last unit
    for u in story.units:
        last[u.article] = (u.index, u.end)
    for k, article in enumerate(story.articles):
        index, end = last.get(k, (-1, 0))
        if index < MAX_SENTENCES_PER_ARTICLE - 1:
            continue  # the units hold every sentence of this article
        out.extend(_late_disputes(k, article.text, end, index))
    story.memo["claim_sentences"] = out
    return out


WINDOW = 1500  # characters either side of a cue split to find its sentence


def _late_disputes(article: int, text: str, end: int, index: int) -> list[Sentence]:
    """The dispute sentences of ``text`` after ``end`` (where the units stop): the sentence around each
    cue, split from a window of the text around it (splitting a whole long article is slow). A late
    sentence's ``index`` is an estimate (past the last unit's), for ordering only."""
    from .claims import DISPUTE

    rest = text[end:]
    hits = sorted({m.start() for m in DISPUTE.finditer(rest)} | {m.start() for m in _extra().finditer(rest)})
    out: list[Sentence] = []
    seen: set[int] = set()
    for hit in hits:
        at = end + hit
        lo = max(end, at - WINDOW)
        for n, s in enumerate(split_sentences(text[lo : at + WINDOW])):
            start, stop = lo + s.start, lo + s.end
            if start <= at < stop and start not in seen:
                seen.add(start)
                whole = n > 0 or lo == end  # the window's first piece may be the tail of a sentence
                if whole and 5 <= len(s.text.split()) <= MAX_CANDIDATE_WORDS and is_dispute(s.text):
                    out.append(Sentence(article, index + 1 + len(out), start, stop, s.text, None))
                break
    return out


# --- who speaks: a pronoun subject resolved to the nearest named person of its gender ----------------

_MALE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_FEMALE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
_HONORIFIC = re.compile(r"\b(?P<h>Mr|Mrs|Ms|Miss|Sir|Lady|Dame|King|Queen|Prince|Princess)\.?\s+$")


def _genders(story: StoryText, article: int) -> dict[str, str]:
    """Each person's surname in an article -> "m" or "f": an honorific before a mention, else the first
    gendered pronoun after the person's first mention (before any other person is named)."""
    key = ("genders", article)
    known = story.memo.get(key)
    if known is not None:
        return known
    text = story.articles[article].text
    persons = [m for m in story.mentions[article] if m.kind == "person"]
    out: dict[str, str] = {}
    for n, m in enumerate(persons):
        last = m.name.split()[-1]
        honor = _HONORIFIC.search(text[max(0, m.start - 12) : m.start])
        if honor:
            out[last] = (
                "f" if honor.group("h") in {"Mrs", "Ms", "Miss", "Lady", "Dame", "Queen", "Princess"} else "m"
            )
            continue
        if last in out:
            continue
        stop = persons[n + 1].start if n + 1 < len(persons) else len(text)
        window = text[m.end : min(stop, m.end + 300)]
        male, female = _MALE.search(window), _FEMALE.search(window)
        if male and (not female or male.start() < female.start()):
            out[last] = "m"
        elif female:
            out[last] = "f"
    story.memo[key] = out
    return out


def resolve_pronoun(story: StoryText, article: int, at: int, pronoun: str) -> str | None:
    """The person (for "he"/"she": the nearest named person of that gender before ``at``) or the
    organisation ("they": the nearest one named before ``at``, within 1,500 characters) a pronoun
    subject stands for, as its fullest name in the article."""
    mentions = [m for m in story.mentions[article] if m.end <= at and m.start >= at - 1500]
    pronoun = pronoun.casefold()
    if pronoun == "they":
        orgs = [m for m in mentions if m.kind == "organization"]
        return orgs[-1].name if orgs else None
    genders = _genders(story, article)
    want = "m" if pronoun == "he" else "f"
    for m in reversed([m for m in mentions if m.kind == "person"]):
        last = m.name.split()[-1]
        if genders.get(last) == want:
            full = [
                p.name for p in story.mentions[article] if p.kind == "person" and p.name.split()[-1] == last
            ]
            return max(full, key=len)
    return None


def pronoun_actor(story: StoryText, s: Sentence) -> str | None:
    """The actor of a sentence whose subject is a pronoun ("He denied …", "…, she said"), resolved."""
    m = _pronoun_subject().search(s.text)
    if m is None:
        return None
    word = next(g for g in (m.group("start"), m.group("after"), m.group("verb")) if g)
    at = s.start + m.start()
    return resolve_pronoun(story, s.article, at, word)


# --- sides: an organisation and its spokespeople are one ----------------------------------------------

_ORG = r"(?P<org>(?:the\s+)?[A-Z][\w'’.&-]*(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w'’.&-]*){0,4})"


@lru_cache(maxsize=1)
def _roles() -> str:
    return cues()["affiliation_roles"]


@lru_cache(maxsize=2048)
def affiliation(name: str, text: str) -> str | None:
    """The organisation a person speaks for in ``text`` ("Kremlin spokesman Dmitry Peskov", "Peskov, a
    spokesman for the Kremlin", "Peskov, the Kremlin's spokesman", "a lawyer for Weinstein")."""
    if not name or not name[:1].isupper():
        return None
    last = re.escape(name.split()[-1])
    roles = _roles()
    patterns = (
        rf"{_ORG}(?:['’]s)?\s+(?:(?:chief|senior|deputy|top|foreign|press)\s+)?(?:{roles})\s+(?:[A-Z][\w.'’-]+\s+){{0,2}}{last}\b",
        rf"\b{last},\s+(?:a|an|the)?\s*(?:(?:chief|senior|deputy|top|foreign|press)\s+)?(?:{roles})\s+(?:for|of|at|to)\s+{_ORG}",
        rf"\b{last},\s+{_ORG}['’]s\s+(?:(?:chief|senior|deputy|top|foreign|press)\s+)?(?:{roles})\b",
    )
    for p in patterns:
        m = re.search(p, text)
        if m:
            org = re.sub(r"^the\s+", "", m.group("org"))
            if org.split()[-1] != name.split()[-1]:
                return org
    return None


def sides_of(actor: str | None, text: str) -> frozenset[str]:
    """The words that tell an actor's side, with those of the organisation it speaks for in ``text``."""
    from .claims import _sides

    if not actor:
        return frozenset()
    found = set(_sides(actor))
    org = affiliation(actor, text)
    if org:
        found |= _sides(org)
    return frozenset(found)


# --- features of a (dispute, assertion) pair ----------------------------------------------------------

# What the candidate search measured of the pair (``pair_features``): the features of the shipped scorer.
BASE_FEATURES = (
    "emb_sim", "emb_rel", "emb_rank", "shared", "jaccard", "target_shared", "names_actor", "names_any",
    "kind_named", "kind_unseen", "kind_content", "assert_actor", "assert_claim_word", "assert_candidate",
    "same_article", "near_before", "reach", "dispute_actor", "extra_cue_only", "rule_named", "rule_unseen_wide",
    "denier_in_assertion",
)  # fmt: skip
# Stance and proposition features, read from the two texts alone (``stance_features``): does the dispute's clause
# after its cue (what it denies) meet the assertion, is the assertion itself a negation or a no-evidence statement,
# a warning, an estimate the dispute never names.
STANCE_FEATURES = (
    "assert_negated", "assert_no_evidence", "target_empty", "target_cover", "target_names_met", "target_names_missed",
    "assert_accusation", "assert_warning", "figure_unmet", "dispute_question", "dispute_negated_verb_cover",
    "owner_met", "owner_missed",
)  # fmt: skip
# What the two sentences say, read together (``reading_features``): how much of the dispute's proposition (its
# content words past the cue, the speech words and the disputer's own name) the assertion states, and how much of
# the assertion the dispute takes up; the names each carries that the other lacks.
READING_FEATURES = (
    "prop_cover", "assert_cover", "cover_min", "names_a_in_d", "names_d_in_a", "names_a_missed",
)  # fmt: skip
FEATURES = BASE_FEATURES + STANCE_FEATURES + READING_FEATURES
COMPUTE_ALL = False  # set by bench/train_pair_scorer.py: every feature, whatever the shipped model reads


def _stance_wanted() -> bool:
    """Whether the pairs need the stance features: the shipped model reads one, or the trainer asks for all (they
    cost about a millisecond a pair, spent only when used)."""
    m = model()
    return COMPUTE_ALL or bool(m and set(m.get("features", ())) & set(STANCE_FEATURES + READING_FEATURES))


def pair_features(
    emb: float,
    best_emb: float,
    rank: int,
    d_text: str,
    a_text: str,
    d_info: dict,
    a_info: dict,
    reach: float,
) -> list[float]:
    """The features of one candidate pair (names as in ``FEATURES``; ``BASE_FEATURES`` only when no one reads the
    stance features)."""
    from .claims import _SPEECH_STEMS, _answers

    d_stems, a_stems = d_info["stems"], a_info["stems"]
    shared = len((d_stems & a_stems) - _SPEECH_STEMS)
    union = len(d_stems | a_stems) or 1
    same_article = d_info["article"] == a_info["article"]
    gap = d_info["index"] - a_info["index"] if same_article else 99
    # The rules the claims used before (``claims._answers``): the dispute names the assertion's side or
    # rejects "the claim"; it sees no evidence of what two or more outlets report.
    link = _answers(
        (d_info["named"], d_info["denied"], d_info["kind"]), a_info["names"] | a_info["sides"], a_stems
    )
    denier = (d_info["actor"] or "").split()
    return [
        emb,
        emb - best_emb,
        1.0 / rank,
        min(shared, 6) / 6,
        shared / union,
        min(len(d_info["target"] & a_stems), 4) / 4,
        float(bool(d_info["named"] & a_info["sides"])),
        float(bool(d_info["named"] & (a_info["names"] | a_info["sides"]))),
        float(d_info["kind"] == "named"),
        float(d_info["kind"] == "unseen"),
        float(
            d_info["denied"] is not None and len(d_info["denied"] & a_stems) >= min(2, len(d_info["denied"]))
        ),
        float(a_info["actor"] is not None),
        float(bool(_claim_words().search(a_text))),
        float(a_info["candidate"]),
        float(same_article),
        float(0 < gap <= 3),
        reach,
        float(d_info["actor"] is not None),
        float(d_info["extra_only"]),
        float(link == "named"),
        float(link == "unseen" and reach >= 0.5),  # half the outlets or more report it
        float(bool(denier) and denier[-1][:1].isupper() and denier[-1] in a_text),
        *(stance_features(d_text, a_text) + reading_features(d_text, a_text) if _stance_wanted() else ()),
    ]


_NEGATION = re.compile(r"\b(?:not|no|never|nothing|none|neither|nor|without|den(?:y|ies|ied))\b|n['’]t\b", re.IGNORECASE)
_ACCUSATION = re.compile(
    r"\b(?:accus|alleg|charg|arrest|indict|sued|su(?:es|ing)\b|lawsuit|blam|convict|guilty|claim|report|said|says|told)",
    re.IGNORECASE,
)
_WARNING = re.compile(r"\b(?:warn|threat|could|would|may|might|plan|prepar|drill|exercis|intend|vow|will)", re.IGNORECASE)
_FIGURE_WORDS = re.compile(r"\b(?:figure|number|estimate|toll|count|tally|statistic|data|percent|total)", re.IGNORECASE)
_QUESTION = re.compile(r"\?|\b(?:asked|ask|asks|questioned|wondered)\s+(?:whether|if|why|how)\b", re.IGNORECASE)
_NEGATED_VERB = re.compile(r"\b(?:not|never|n['’]t)\s+((?:\w+\s+){1,6})", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:]\s|\s(?:but|while|although|though|because)\s|[.!?]")


def _cue_clause(text: str) -> str:
    """The words of a dispute from its cue to the end of that clause: what it says it disputes."""
    from .claims import DISPUTE

    found = DISPUTE.search(text) or _extra().search(text) or _no_evidence().search(text)
    if found is None:
        return ""
    rest = text[found.end() :]
    end = _CLAUSE_END.search(rest)
    return found.group(0) + " " + (rest[: end.start()] if end else rest)  # "the Russian claim of a pullback was false"


def _owner(text: str) -> set[str]:
    """The names inside a dispute's cue: whose claim it disputes ("Moscow's claims", "disputed Avenatti's accounting")."""
    from .claims import DISPUTE, _names

    found = DISPUTE.search(text) or _extra().search(text)
    return _names(found.group(0)) if found else set()


def _words(text: str) -> set[str]:
    """A sentence's words, folded, and its names as ``claims._names`` gives them (a country for its demonym)."""
    from .claims import _names

    return {w.casefold().strip(".,'’\"“”") for w in text.split()} | _names(text)


def stance_features(d_text: str, a_text: str) -> list[float]:
    """The features of ``STANCE_FEATURES`` for a dispute and a candidate assertion."""
    from .claims import _SPEECH_STEMS, _names, _stems

    a_stems = _stems(a_text.casefold())
    clause = _cue_clause(d_text)
    target = _stems(clause.casefold()) - _SPEECH_STEMS
    names = _names(clause)
    owner = _owner(d_text)
    a_words = _words(a_text)
    met = len({n for n in names if n in a_words})
    digits = re.findall(r"\d[\d,.]*", a_text)
    figure_unmet = bool(digits) and not any(d in d_text for d in digits) and not _FIGURE_WORDS.search(d_text)
    negated = set()
    for m in _NEGATED_VERB.finditer(d_text):
        negated |= _stems(m.group(1).casefold()) - _SPEECH_STEMS
    return [
        float(bool(_NEGATION.search(a_text))),
        float(bool(_no_evidence().search(a_text) or is_no_evidence(a_text))),
        float(not target),
        len(target & a_stems) / len(target) if target else 0.0,
        met / len(names) if names else 0.0,
        float(bool(names) and not met),
        float(bool(_ACCUSATION.search(a_text))),
        float(bool(_WARNING.search(a_text))),
        float(figure_unmet),
        float(bool(_QUESTION.search(d_text))),
        len(negated & a_stems) / len(negated) if negated else 0.0,
        float(bool(owner) and bool(owner & a_words)),
        float(bool(owner) and not owner & a_words),
    ]


_CUE_STEMS = frozenset(
    {"deny", "denie", "denyi", "refut", "rebut", "evide", "indic", "never", "falsi", "wrong", "categ", "flatl",
     "stron", "firml", "vehem", "repea", "publi", "push", "back", "pushe", "maint", "innoc", "guilt", "plead", "pleade"}
)  # fmt: skip


def _content(text: str) -> set[str]:
    """A sentence's content stems: its words and names (folded), without the words of claiming and disputing."""
    from .claims import _SPEECH_STEMS, _stems

    return _stems(text.casefold()) - _SPEECH_STEMS - _CUE_STEMS


def reading_features(d_text: str, a_text: str) -> list[float]:
    """The features of ``READING_FEATURES`` for a dispute and a candidate assertion: the disputed proposition's
    content words met in the assertion (the disputer's name, before its cue, left out), and the names each
    sentence gives that the other does not."""
    from .claims import _denier, _names

    who = _denier(d_text) or ""
    d_words = _content(d_text) - _content(who)
    a_words = _content(a_text)
    shared = d_words & a_words
    prop = len(shared) / len(d_words) if d_words else 0.0
    back = len(shared) / len(a_words) if a_words else 0.0
    d_names, a_names = _names(d_text), _names(a_text)
    return [
        prop,
        back,
        min(prop, back),
        len(a_names & d_names) / len(a_names) if a_names else 0.0,
        len(a_names & d_names) / len(d_names) if d_names else 0.0,
        float(bool(a_names) and not a_names & d_names),
    ]


def score(rows: list[list[float]]) -> np.ndarray:
    """The probability that each pair answers, from the shipped model (run in numpy)."""
    m = model()
    if m is None or not rows:
        return np.zeros(len(rows))
    names = tuple(m.get("features", FEATURES))
    if not set(names) <= set(FEATURES):  # a model of features this code does not compute: no pair is shown
        log.warning("pair scorer: the model's features are not all in disputes.FEATURES; retrain it")
        return np.zeros(len(rows))
    if names != FEATURES:  # a model over some of the features (main's, before the stance features): its columns
        rows = np.asarray(rows, dtype=float)[:, [FEATURES.index(n) for n in names]].tolist()
    return score_with(m, rows)


def score_with(m: dict, rows: list[list[float]]) -> np.ndarray:
    """Probabilities of a model given as JSON: gradient-boosted regression trees (``"kind": "trees"``: a sum of
    leaf values in log-odds from ``init``, each tree scaled by ``rate``) or a logistic regression, both over the
    standardised features."""
    x = (np.asarray(rows, dtype=float) - np.asarray(m["mean"])) / np.asarray(m["scale"])
    if m.get("kind") == "trees":
        z = np.full(len(x), float(m["init"]))
        for t in m["trees"]:
            feature, cut, left, right, value = t["feature"], t["threshold"], t["left"], t["right"], t["value"]
            for n, row in enumerate(x):
                node = 0
                while left[node] != -1:
                    node = left[node] if row[feature[node]] <= cut[node] else right[node]
                z[n] += m["rate"] * value[node]
    else:
        z = x @ np.asarray(m["coef"]) + m["intercept"]
    return 1.0 / (1.0 + np.exp(-z))


def threshold() -> float:
    m = model()
    return float(m["threshold"]) if m else math.inf


def readable(text: str) -> bool:
    """An assertion a reader can follow: a candidate sentence, or one whose only fault is its pronoun
    subject or its opening connective (the actor is given beside it)."""
    words = len(text.split())
    if is_candidate(text, words):
        return True
    return (
        6 <= words <= MAX_CANDIDATE_WORDS
        and text.rstrip("”\"’' )")[-1:] in ".!"
        and text.count("“") == text.count("”")
    )
