"""Candidate speakers of each quote and their features, for the learned ranker (:mod:`.ranker`).

The candidates of a quote are the person, organisation and place mentions (spaCy, relabelled by
:func:`.sieves.persons_relabelled`) from two paragraphs before the quote to the end of the sentence
after it (outside any quote), the names the attribution patterns read right after or before the
quote (descriptors such as "the official" too), and the sieves' own speaker. Mentions of one
person are one candidate: the name as the article completes it (:func:`.sieves.name_completer`), a
surname alone joined to the full name it ends. Each candidate gets the features of its nearest
mention (distance and direction, same sentence or paragraph, next to a verb of saying, after a dash
of a credit line, honorific or role word before it, entity type, name shape), document features
(mentions so far, gender evidence against the attribution's pronoun), quote features (length,
continued, a verb of saying after or before it) and the sieves' votes (``is_rules``: the sieves'
speaker for this quote; ``prev_speaker``: for the quote before). No parse is run here: the sieves
already parse where their patterns fail, so ranking costs a few regular expressions per quote.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..entities import TITLES, Mention, name_key
from . import sieves as S
from .spans import QuoteSpan

FEATURES = (
    "dist", "absdist", "logdist", "after", "same_sentence", "para_back", "sent_gap", "n_window", "attr_after",
    "attr_before", "says_next", "said_before", "title_before", "role_before", "caps", "words_in_name",
    "is_person", "is_org", "is_place", "phrase_after", "phrase_before", "src_mention", "src_phrase",
    "mentions_before", "mentions_doc", "gender", "pronoun_attr", "gender_agrees", "quote_words", "continued",
    "n_cands", "rank_before", "rank_after", "prev_speaker", "in_window", "says_after_quote", "says_before_quote",
    "quote_ends_sentence", "quote_opens_para", "slot_after", "slot_before", "opens_prev_sentence",
    "opens_own_sentence", "person_rank_before", "agreeing_rank", "is_rules", "rules_none", "dash_before",
    "colon_after", "is_lower",
)  # fmt: skip
_INDEX = {name: k for k, name in enumerate(FEATURES)}
_DEFAULTS = {"dist": 3000.0, "rank_before": 99.0, "rank_after": 99.0, "person_rank_before": 99.0, "agreeing_rank": 99.0}
_SAYS = re.compile(rf"\b(?:{S._VERBS}|{S._PARTICIPLES}|according to|reads|states|reports)\b")
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Sir|Dame|Lord|Lady|Prof|Rev|Sgt|Det)\.?\s+$")
_LOWER_BEFORE = re.compile(r"\b([a-z][a-z-]+)\s+$")
_DASH_BEFORE = re.compile(r"^[\s,.”\"’']*[―—–-]+\s*$")
_MALE = re.compile(r"\b(?:he|him|his|himself|Mr)\b", re.IGNORECASE)
_FEMALE = re.compile(r"\b(?:she|her|hers|herself|Mrs|Ms|Miss)\b", re.IGNORECASE)
_PRONOUN_WORDS = frozenset({"he", "him", "his", "she", "her", "hers", "they", "them", "their", "it", "its", "we", "us", "our", "i", "me", "my", "you"})
_PRONOUN_SUBJECT = re.compile(r"\s*(?:[A-Za-z]+,?\s+){0,2}?(?P<p>[Hh]e|[Ss]he)\s+(?!said|says|told|tells|added|adds|wrote|writes)[a-z]+")
_CREDIT_CHAR = re.compile(r"[/|@]")
_PRON = {"he": 1, "him": 1, "his": 1, "she": -1, "her": -1, "they": 0, "i": 0, "we": 0, "it": 0}


@dataclass(slots=True)
class Candidate:
    """One candidate speaker of a quote: its name, the spans of its mentions near the quote, and
    its features (names in :data:`FEATURES`)."""

    name: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    f: dict[str, float] = field(default_factory=dict)

    def vector(self) -> list[float]:
        return [self.f.get(n, _DEFAULTS.get(n, 0.0)) for n in FEATURES]


@dataclass(slots=True)
class QuoteCandidates:
    """The candidates of one quote (``index`` into the quotes given: the first span of the quote)."""

    index: int
    candidates: list[Candidate]
    pronoun: bool  # the attribution is a pronoun ("he said"): the sieves' resolution stands, if a person
    gender: int = 0  # +1 for "he", -1 for "she", 0 for another pronoun or none
    resolved: bool = False  # an attribution next to the quote ("the president said") the sieves resolved to a name
    nearest: str | None = None  # the nearest person before the quote (in the article) who agrees with it


def _key(name: str) -> str:
    return name_key(name) or name.lower()


def _paragraph_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\n", text))]


@lru_cache(maxsize=65536)
def _same(a: str, b: str) -> bool:
    """Two keys name one candidate: equal, or the words of one end the other (a surname alone, a
    name with a title the entity model kept: "commission co-chairman michael thibault")."""
    if a == b:
        return True
    one, other = sorted((a.split(), b.split()), key=len)
    return bool(one) and other[-len(one) :] == one and (len(one) > 1 or len(other) > 1)


class _Pool:
    """The candidates of one quote, merged by name."""

    def __init__(self, start: int, end: int, s_idx: int, p_idx: int, ends: list[int], paras: list[int]) -> None:
        self.items: list[Candidate] = []
        self.start, self.end, self.s_idx, self.p_idx, self.ends, self.paras = start, end, s_idx, p_idx, ends, paras

    def find(self, name: str) -> Candidate | None:
        k = _key(name)
        return next((c for c in self.items if _same(_key(c.name), k)), None)

    def add(self, name: str | None, pos: int | None, end: int | None = None, **flags: float) -> Candidate | None:
        if not name or not name.strip():
            return None
        c = self.find(name)
        if c is None:
            c = Candidate(name)
            self.items.append(c)
        elif " " in name and " " not in c.name and not _CREDIT_CHAR.search(name):
            c.name = name  # the full name over a surname alone (not a photo credit: "Justin Sullivan/Getty Images Trump")
        f = c.f
        for fk, fv in flags.items():
            f[fk] = max(f.get(fk, 0.0), fv)
        if pos is None:
            return c
        c.spans.append((pos, end if end is not None else pos + len(name)))
        d = (pos - self.end) if pos >= self.end else (pos - self.start)  # > 0 after the quote, < 0 before
        sentence = bisect_right(self.ends, pos)
        if abs(d) < abs(f.get("dist", 1e9)):
            f["dist"] = float(d)
            f["after"] = float(d > 0)
            f["same_sentence"] = float(sentence == self.s_idx or (d > 0 and sentence <= bisect_right(self.ends, self.end)))
            f["para_back"] = float(self.p_idx - (bisect_right(self.paras, pos) - 1))
            f["sent_gap"] = float(sentence - self.s_idx)
        f["n_window"] = f.get("n_window", 0.0) + 1
        return c


def _gender_evidence(text: str, spans: list[tuple[int, int]]) -> int:
    """+1 male, -1 female, 0 unknown: honorifics before, and pronouns in the 100 characters after,
    the candidate's mentions (a majority)."""
    score = 0
    for start, end in spans:
        before = text[max(0, start - 6) : start]
        if re.search(r"\bMr\.?\s*$", before):
            score += 2
        if re.search(r"\b(?:Mrs|Ms|Miss)\.?\s*$", before):
            score -= 2
        after = text[end : end + 100]
        score += len(_MALE.findall(after)) - len(_FEMALE.findall(after))
    return (score > 0) - (score < 0)


def quote_candidates(text: str, persons: Sequence[Mention], quotes: Sequence[QuoteSpan]) -> list[QuoteCandidates]:
    """The candidates of each quote of ``quotes`` (as :func:`.sieves.extract_quotes` gives them; a
    continued part shares the candidates of the quote it continues and gets no entry)."""
    mentions = S.persons_relabelled(text, persons)
    complete = S.name_completer(mentions)
    ends = S._sentence_ends(text)

    def _start(pos: int) -> int:  # sieves._sentence_start on the sentence ends found once
        k = bisect_right(ends, pos)
        return ends[k - 1] if k and ends[k - 1] >= pos - 1500 else 0

    paras = _paragraph_starts(text)
    ents = [m for m in mentions if m.kind in ("person", "organization", "place") and not S.headline_name(m.name)]
    spans = [(q.start, q.end) for q in quotes]
    outside = [m for m in ents if not any(a <= m.start < b for a, b in spans)]
    names = {id(m): S.speaker_name(complete(m.name) or m.name) or m.name for m in ents}
    keys = {i: _key(n) for i, n in names.items()}
    all_spans: dict[str, list[tuple[int, int]]] = {}
    for m in ents:
        all_spans.setdefault(keys[id(m)], []).append((m.start, m.end))
    genders = {k: _gender_evidence(text, v) for k, v in all_spans.items()}
    person_keys = {keys[id(m)] for m in ents if m.kind == "person"}
    other_keys = {keys[id(m)] for m in ents if m.kind != "person"} - person_keys
    out: list[QuoteCandidates] = []
    previous_rules: str | None = None
    for index, q in enumerate(quotes):
        if q.continued:
            continue
        start, end = q.start, q.end
        open_at = max(0, start - 1)
        close_at = min(len(text), end + 1)
        while close_at < len(text) and text[close_at - 1] not in "”\"’'»“" and close_at - end < 3:
            close_at += 1
        last_end = end
        for later in quotes[index + 1 :]:
            if not later.continued:
                break
            last_end = later.end
        s_idx = bisect_right(ends, start)
        p_idx = bisect_right(paras, start) - 1
        win_lo = paras[max(0, p_idx - 2)]
        nxt = S._SENTENCE_END.search(text, close_at, min(len(text), close_at + 400))
        nxt2 = S._SENTENCE_END.search(text, nxt.end(), min(len(text), nxt.end() + 400)) if nxt else None
        win_hi = nxt2.start() + 1 if nxt2 else min(len(text), close_at + 400)
        after = text[close_at : close_at + 120]
        before = text[max(text.rfind("\n", 0, open_at) + 1, open_at - 240) : open_at]
        s0 = _start(open_at)
        words = len(text[start:last_end].split())
        pool = _Pool(start, last_end, s_idx, p_idx, ends, paras)
        for m in outside:
            if not (m.start < win_hi) or (start <= m.start < last_end) or m.start < win_lo:
                continue
            name = names[id(m)]
            gap_after = text[close_at : m.start] if m.start >= last_end else ""
            attr_after = float(
                m.start >= last_end and m.start - close_at < 60
                and bool(_SAYS.search(gap_after + text[m.end : m.end + 25])) and not any(ch in gap_after for ch in '“".')
            )  # fmt: skip
            gap_before = text[m.end : open_at]
            attr_before = float(
                m.end <= start and open_at - m.end < 120 and bool(_SAYS.search(gap_before))
                and "." not in gap_before.rstrip(' .”"') and not any(ch in gap_before for ch in '“"')
            )  # fmt: skip
            says_next = float(bool(S._SAYS_AFTER.match(text, m.end, m.end + 40)) or bool(S._SAYING_AFTER.match(text, m.end, m.end + 40)))
            said_before = float(bool(S._SAYS_BEFORE.search(text[max(0, m.start - 30) : m.start])))
            role = _LOWER_BEFORE.search(text[max(0, m.start - 25) : m.start])
            pool.add(
                name, m.start, m.end, src_mention=1.0, in_window=1.0, attr_after=attr_after, attr_before=attr_before,
                says_next=says_next, said_before=said_before,
                title_before=float(bool(_HONORIFIC.search(text[max(0, m.start - 8) : m.start]))),
                role_before=float(bool(role and role.group(1) in TITLES)),
                dash_before=float(m.start >= last_end and bool(_DASH_BEFORE.match(text[last_end : m.start]))),
                colon_after=float(m.end <= start and bool(re.fullmatch(r"\s*:\s*[“\"]?", text[m.end : start]))),
                caps=float(sum(w[:1].isupper() for w in name.split())), words_in_name=float(len(name.split())),
                is_person=float(m.kind == "person"), is_org=float(m.kind == "organization"), is_place=float(m.kind == "place"),
            )  # fmt: skip
        pronoun = 0
        has_pronoun = False
        resolved = False
        subject = _PRONOUN_SUBJECT.match(text, s0, open_at)
        if subject and not any(s0 <= m.start < subject.start("p") for m in outside):
            # 'Later she sent a note to … adding she liked people “…”': the sentence's subject is a pronoun
            has_pronoun, pronoun = True, _PRON.get(subject.group("p").lower(), 0)
        for phrase, where, at in (
            (S._speaker_phrase_after(after), "phrase_after", close_at),
            (S._speaker_phrase_before(before), "phrase_before", max(0, open_at - 240)),
        ):
            if phrase is None:
                continue
            found = S.name_from_phrase(phrase)
            if found is not None and found.lower() in _PRONOUN_WORDS:
                found = None  # "them", "their": a pronoun, resolved by the sieves
            definite = phrase.lstrip().lower().startswith(("the ", "his ", "her ", "their ", "its "))
            if found is not None and q.speaker and q.speaker[:1].isupper() and q.speaker != found and (definite or not found[:1].isupper()):
                resolved = True
                continue  # "the president", "the Scottish charity" the sieves resolved to a name: the name stands for it
            if found is None:
                has_pronoun = has_pronoun or bool(phrase.split())
                pronoun = pronoun or _PRON.get(phrase.split()[0].lower(), 0) if phrase.split() else pronoun
                continue
            pos = text.find(phrase, at)
            name = S.speaker_name(complete(S._fuller(text, start, found)) or found) or found
            pool.add(
                name, pos if pos >= 0 else None, src_phrase=1.0, **{where: 1.0},
                caps=float(sum(w[:1].isupper() for w in name.split())), words_in_name=float(len(name.split())),
                is_lower=float(not name[:1].isupper()),
            )
        if q.speaker:
            c = pool.add(q.speaker, None, is_rules=1.0)
            if c is not None:
                c.name = q.speaker  # the sieves' form of the name (titles kept apart)
            if c is not None and not c.f.get("caps"):
                c.f["caps"] = float(sum(w[:1].isupper() for w in q.speaker.split()))
                c.f["words_in_name"] = float(len(q.speaker.split()))
                c.f["is_lower"] = float(not q.speaker[:1].isupper())
        # quote-level context and the slots of the quote's own sentence
        stop = nxt.start() if nxt else min(len(text), close_at + 300)
        says_after = float(bool(_SAYS.search(text[close_at : min(stop, close_at + 60)])))
        says_before = float(bool(_SAYS.search(text[max(s0, open_at - 60) : open_at])))
        ends_sentence = float(text[:close_at].rstrip("”\"’' \t")[-1:] in (".", "!", "?"))
        para_start = float(not text[paras[p_idx] : open_at].strip())
        slot_after = next((m for m in outside if close_at <= m.start < stop), None)
        slot_before = next((m for m in reversed(outside) if s0 <= m.start and m.end <= open_at), None)
        prev_s0 = _start(max(0, s0 - 2))
        opener_prev = next((m for m in outside if prev_s0 <= m.start < prev_s0 + 40 and m.start < s0), None)
        opener_own = next((m for m in outside if s0 <= m.start < min(open_at, s0 + 40)), None)
        before_persons = [m for m in outside if m.kind == "person" and m.end <= open_at]
        person_rank: dict[str, int] = {}
        agreeing: dict[str, int] = {}
        nearest = None
        for m in reversed(before_persons):
            person_rank.setdefault(keys[id(m)], len(person_rank))
            if genders.get(keys[id(m)], 0) * pronoun >= 0:
                agreeing.setdefault(keys[id(m)], len(agreeing))
                nearest = nearest or names[id(m)]
        rules_key = _key(q.speaker) if q.speaker else None
        prev_key = _key(previous_rules) if previous_rules else None
        for c in pool.items:
            f = c.f
            k = _key(c.name)
            mine = [kk for kk in all_spans if _same(kk, k)]
            f.setdefault("dist", 3000.0)
            f["absdist"] = abs(f["dist"])
            f["logdist"] = math.copysign(math.log1p(abs(f["dist"])), f["dist"])
            f["mentions_before"] = float(sum(1 for kk in mine for s, _ in all_spans[kk] if s < start))
            f["mentions_doc"] = float(sum(len(all_spans[kk]) for kk in mine))
            gender = next((genders[kk] for kk in mine if genders[kk]), 0)
            f["gender"] = float(gender)
            f["pronoun_attr"] = float(has_pronoun)
            f["gender_agrees"] = float(pronoun * gender)
            f["quote_words"] = float(words)
            f["continued"] = float(last_end != end)
            f["n_cands"] = float(len(pool.items))
            f["is_rules"] = float(rules_key is not None and _same(rules_key, k))
            f["rules_none"] = float(q.speaker is None)
            f["person_in_doc"] = float(any(_same(kk, k) for kk in person_keys))  # these two are no model features
            f["other_in_doc"] = float(any(_same(kk, k) for kk in other_keys))
            f["prev_speaker"] = float(prev_key is not None and _same(prev_key, k))
            f["says_after_quote"], f["says_before_quote"] = says_after, says_before
            f["quote_ends_sentence"], f["quote_opens_para"] = ends_sentence, para_start
            f["slot_after"] = float(slot_after is not None and _same(keys[id(slot_after)], k))
            f["slot_before"] = float(slot_before is not None and _same(keys[id(slot_before)], k))
            f["opens_prev_sentence"] = float(opener_prev is not None and _same(keys[id(opener_prev)], k))
            f["opens_own_sentence"] = float(opener_own is not None and _same(keys[id(opener_own)], k))
            f["person_rank_before"] = float(next((r for kk, r in person_rank.items() if _same(kk, k)), 99))
            f["agreeing_rank"] = float(next((r for kk, r in agreeing.items() if _same(kk, k)), 99)) if pronoun else 99.0
        befores = sorted((c for c in pool.items if c.f["dist"] < 0), key=lambda c: -c.f["dist"])
        afters = sorted((c for c in pool.items if 0 < c.f["dist"] < 3000), key=lambda c: c.f["dist"])
        for r, c in enumerate(befores):
            c.f["rank_before"] = float(r)
        for r, c in enumerate(afters):
            c.f["rank_after"] = float(r)
        out.append(
            QuoteCandidates(index, pool.items, has_pronoun, gender=pronoun, nearest=nearest if pronoun else None, resolved=resolved)
        )
        if q.speaker:
            previous_rules = q.speaker
    return out
