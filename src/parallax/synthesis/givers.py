"""Who gives a figure, read from the dependency parse of its sentence.

From the figure's token up through its heads, the first verb of saying, estimating or finding
(``data/figure_givers.json``) that governs it gives it: its subject ("officials said ... 2,000"), the
agent of its passive ("was estimated by the ministry"), the object of an "according to" on the way,
or the subject of an "as X contends" beside it. A verb reached from its own subject does not give
the figure ("Rhonda Sneed, who has lived there for 17 years, said ...": the 17 years are the
article's). A relative pronoun subject is the noun it hangs on, and a statement or report is its
issuer's ("Boehner's office issued a statement that insisted ..."); "the ministry's figures show"
is the ministry's.

>>> read_giver("Officials said at least 2,000 people died.", 16)
Reading(phrase='Officials', start=0, governed=True, parsed=True)
>>> read_giver("An official said that Russia had added up to 7,000 troops.", 45).phrase
'official'
>>> read_giver("Rhonda Sneed, who has lived there for 17 years, said she saw nothing.", 38).phrase is None
True
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from ..text.entities import Token, parse_many

_WORDS = json.loads(resources.files(__package__).joinpath("data/figure_givers.json").read_text(encoding="utf-8"))
VERBS = frozenset(_WORDS["verbs"])
AT_VERBS = frozenset(_WORDS["at_verbs"])
DOCUMENTS = frozenset(_WORDS["documents"])
ISSUE_VERBS = frozenset(_WORDS["issue_verbs"])
WEAK_HEADS = frozenset(_WORDS["weak_heads"])
FINDING = frozenset(_WORDS["finding"])
CLAUSE_VERBS = frozenset(_WORDS["clause_verbs"])
_CLAUSES = ("ccomp", "parataxis")
CUE = re.compile(r"\b(?:" + "|".join(sorted(VERBS | {"according"}, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass")
_RELATIVE = frozenset({"that", "which", "who", "whom"})
_MODIFIERS = ("compound", "poss", "amod", "det", "case", "nmod", "nummod", "punct")
_NOT_NAME_START = frozenset({"new", "latest", "recent", "initial", "preliminary", "official", "early", "final"})
MAX_CHARS = 600  # longer units (run-on page text) are not parsed
_PARSES: dict[str, list[Token]] = {}
_PARSES_MAX = 50_000


@dataclass(frozen=True, slots=True)
class Reading:
    """What the parse says of a figure: the phrase that gives it (``start`` in the sentence), or
    None; ``governed``: whether a verb of saying governs it; ``parsed``: whether the sentence was read
    at all (a sentence with no verb of saying is not parsed: the article's own voice)."""

    phrase: str | None
    start: int
    governed: bool
    parsed: bool = True


def prime(sentences: list[str]) -> None:
    """Parse, in one batch, the sentences :func:`read_giver` will be asked about."""
    todo = list(dict.fromkeys(s for s in sentences if s not in _PARSES and len(s) <= MAX_CHARS and CUE.search(s)))
    if not todo:
        return
    if len(_PARSES) + len(todo) > _PARSES_MAX:
        _PARSES.clear()
    _PARSES.update(zip(todo, parse_many(todo)))


def read_giver(sentence: str, at: int) -> Reading:
    """Who gives the figure at offset ``at`` of ``sentence`` (see the module)."""
    if not CUE.search(sentence) or len(sentence) > MAX_CHARS:
        return Reading(None, 0, False)
    if sentence not in _PARSES:
        prime([sentence])
    tokens = _PARSES[sentence]
    if not tokens:
        return Reading(None, 0, False)
    i = next((k for k, t in enumerate(tokens) if t.start <= at < t.start + len(t.word)), None)
    if i is None:
        i = next((k for k, t in enumerate(tokens) if t.start >= at), len(tokens) - 1)
    children: dict[int, list[int]] = {}
    for k, t in enumerate(tokens):
        if t.head != k:
            children.setdefault(t.head, []).append(k)
    path = {i}
    finding: Reading | None = None
    prev, j = i, tokens[i].head
    via_at = False
    while True:
        via_at = via_at or (tokens[prev].dep == "pobj" and tokens[j].word.lower() == "at")
        for c in children.get(j, ()):
            found = _according(tokens, children, c)
            if found is not None and c not in path:
                return _reading(sentence, tokens, children, found)
        word = tokens[j].word.lower()
        if (
            word in VERBS
            and tokens[prev].dep not in _SUBJECTS
            and (word not in AT_VERBS - {"estimated", "estimates", "estimate"} or via_at)
            and (word not in CLAUSE_VERBS or tokens[prev].dep in _CLAUSES)
        ):
            giver = _subject(sentence, tokens, children, j, path)
            if giver is not None and word in FINDING and tokens[j].head != j:
                finding = finding or giver  # "authorities said satellite images showed 122": the authorities
            elif giver is not None:
                return giver
        for c in children.get(j, ()):
            if c not in path and tokens[c].dep == "advcl" and tokens[c].word.lower() in VERBS and any(
                tokens[m].dep == "mark" and tokens[m].word.lower() == "as" for m in children.get(c, ())
            ):  # "agreed, as the White House contends, on $33 billion"
                giver = _subject(sentence, tokens, children, c, path)
                if giver is not None:
                    return giver
        if tokens[j].head == j or j in path:
            break
        path.add(j)
        prev, j = j, tokens[j].head
    return finding or Reading(None, 0, False)


def _according(tokens: list[Token], children: dict[int, list[int]], c: int) -> int | None:
    """The head of X in "according to X" hanging on token ``c``, if it is such a phrase."""
    if tokens[c].word.lower() != "according":
        return None
    to = next((k for k in children.get(c, ()) if tokens[k].word.lower() == "to"), None)
    if to is None:
        return None
    return next((k for k in children.get(to, ()) if tokens[k].dep == "pobj"), None)


def _subject(sentence: str, tokens: list[Token], children: dict[int, list[int]], verb: int, path: set[int]) -> Reading | None:
    """The giver a verb of saying names: its subject, or the agent of its passive."""
    kids = children.get(verb, ())
    subject = next((k for k in kids if tokens[k].dep in ("nsubj", "csubj") and k not in path), None)
    if subject is None and tokens[verb].dep == "conj" and tokens[verb].head != verb:
        # "the Obamas released their returns and reported paying $98,169": the first verb's subject
        subject = next((k for k in children.get(tokens[verb].head, ()) if tokens[k].dep == "nsubj" and k not in path), None)
    if subject is None:
        agent = next((k for k in kids if tokens[k].dep == "agent"), None)
        subject = next((k for k in children.get(agent, ()) if tokens[k].dep == "pobj"), None) if agent is not None else None
    if subject is None:
        return None
    if tokens[subject].word.lower() in _RELATIVE and tokens[verb].dep == "relcl":
        subject = tokens[verb].head  # "a statement that insisted": the statement
    return _reading(sentence, tokens, children, subject)


def _reading(sentence: str, tokens: list[Token], children: dict[int, list[int]], head: int) -> Reading:
    word = tokens[head].word.lower()
    if word in DOCUMENTS and tokens[head].dep == "dobj" and tokens[tokens[head].head].word.lower() in ISSUE_VERBS:
        issuer = next((k for k in children.get(tokens[head].head, ()) if tokens[k].dep == "nsubj"), None)
        if issuer is not None:  # "Boehner's office issued a statement that ...": Boehner's office
            head = issuer
    elif word in WEAK_HEADS:
        owner = next((k for k in children.get(head, ()) if tokens[k].dep == "poss"), None)
        by = next((k for k in children.get(head, ()) if tokens[k].dep == "prep" and tokens[k].word.lower() in ("by", "from", "of")), None)
        of = next((k for k in children.get(by, ()) if tokens[k].dep == "pobj"), None) if by is not None else None
        if owner is not None:  # "the ministry's figures show": the ministry
            head = owner
        elif of is not None:  # "according to estimates by anti-hunger advocates": the advocates
            head = of
    first, last = _span(tokens, children, head)
    start = tokens[first].start
    phrase = sentence[start : tokens[last].start + len(tokens[last].word)]
    return Reading(phrase, start, True)


def _span(tokens: list[Token], children: dict[int, list[int]], head: int) -> tuple[int, int]:
    """The noun phrase of ``head``: its modifiers before it and an "of"/"from"/"at" phrase after it."""
    first = last = head
    for k in sorted(children.get(head, ()), reverse=True):
        if k < first and k == first - 1 and tokens[k].dep in _MODIFIERS and tokens[k].word not in (",",):
            lo, _ = _span(tokens, children, k) if tokens[k].dep in ("poss", "compound", "nmod") else (k, k)
            first = lo
    for k in sorted(children.get(head, ())):
        if k == last + 1 and tokens[k].dep == "prep" and tokens[k].word.lower() in ("of", "from", "at", "for"):
            objs = [o for o in children.get(k, ()) if tokens[o].dep == "pobj"]
            if objs:
                _, hi = _span(tokens, children, objs[0])
                last = max(objs[0], hi)
    while first < head and (tokens[first].dep in ("det", "punct") or tokens[first].word.lower() in _NOT_NAME_START):
        first += 1
    return first, last
