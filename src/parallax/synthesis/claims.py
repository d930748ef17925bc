"""Claims: facts several outlets report (agreed), assertions set against denials (contested),
and facts only one outlet reports (single-source)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..models import Claim, Position
from ..text.places import country_of
from ..text.quotes import REPORTING, attribution, prime_reporters, reporter
from ..text.quotes.lexicon import ROLES
from .analysis import StoryText, is_candidate

AGREE_SIM = 0.55  # units this similar from two outlets report the same fact (chosen on labelled pairs: bench/gold/README.md)
SAME_ACTOR_SIM = 0.45  # ... or this similar when both give the same actor (paraphrases of one statement)
CONTEST_SIM = 0.3  # a dispute this similar to an assertion answers it
RELATED_SIM = 0.03  # a dispute at least this similar may answer an assertion several outlets report
PROMINENCE = 0.5  # weight of an assertion's reach (share of outlets) when matching a dispute
CONTENT_WEIGHT = 0.1  # weight of each word stem a dispute's object shares with an assertion
QUOTED_WORDS = 4  # a quote this short inside a reported sentence is the sentence's source's, not its speaker's
MAX_AGREED = 8
MAX_CONTESTED = 6
MAX_SINGLE = 5
_CLAIM_NOUN = (
    r"(?:claims?|reports?|allegations?|accusations?|charges?|suggestions?|assertions?|notion|idea|accounts?|"
    r"announcements?|statements?|findings?|stor(?:y|ies)|rumou?rs?|assurances?|version|narrative|figures?|"
    r"numbers?|characteri[sz]ation|categori[sz]ation|description|portrayal|accounting|conclusions?|theory|theories|"
    r"validity|veracity|accuracy|authenticity|arguments?)"
)
_DETERMINER = r"(?:the|a|an|these|those|such|any|all|this|that|their|its|his|her|[\w.-]+['’]s?)"
_CLAIM = rf"(?:{_DETERMINER}\s+)?(?:[\w.'’-]+\s+){{0,2}}?{_CLAIM_NOUN}\b"  # "the Russian government's claim"
_THE_CLAIM = re.compile(rf"\b(?:the|these|those|this|that|such)\s+{_CLAIM_NOUN}\b", re.IGNORECASE)
_FALSE = r"(?:false|untrue|wrong|baseless|groundless|unfounded|fabricated|inaccurate|misleading|nonsense)"
# Seeing no evidence of what was announced ("saw no sign of de-escalation", "had not seen the troops
# leave", "we don't see this withdrawal", "would need to see evidence", "believe in a withdrawal only when").
PERCEPTION = re.compile(
    r"\b(?:(?:see|sees|saw|seen|seeing|found|find|finds|observed|there\s+(?:is|was|were|are|has\s+been|have\s+been))"
    r"\s+no (?:meaningful |real |significant |clear |concrete |visible )?(?:evidence|sign|signs|indication|proof|pullback|withdrawal|de-?escalation)|"
    r"(?:has|have|had)(?: not|n['’]t) (?:yet )?(?:seen|observed|verified)|(?:did|does|do)(?: not|n['’]t) (?:yet )?see|"
    r"(?:need|needs|want|wants) to see (?:evidence|proof)|believe (?:in )?\w+(?: \w+)? only when)\b",
    re.IGNORECASE,
)
# A dispute: a speech act against a claim (to deny it or a wrongdoing, to dismiss, reject, question or
# doubt a claim named as such, to call it false) or seeing no evidence of it. Doubt of anything else
# ("sceptical of the timing", "did not believe there would be time", "rebuffed him") and findings ("the
# autopsy showed no indication") are not disputes (chosen on the contested claims of Multi-News:
# bench/gold/README.md).
DISPUTE = re.compile(
    r"\b(?:(?<!was )(?<!were )(?<!been )(?<!be )den(?:y|ies|ied)(?:\s+(?:the\s+|these\s+|those\s+|such\s+|any\s+|"
    r"all\s+)?(?:allegations?|claims?|reports?|accusations?|charges?|wrongdoing|involvement|responsibility|plans?|"
    r"that|it|this|ever|there|[a-z]+ing)\b|\s+(?:he|she|they|it|we)\s+(?:is|are|was|were|had|has|have|did|ever|"
    r"would|will)\b|(?=\s*[.,;]))|"
    r"(?:dismiss(?:ed|es|ing)?|reject(?:ed|s|ing)?|disput(?:ed|es|ing)|refut(?:ed|es|ing)|rebut(?:ted|s)?|"
    r"(?:called|calls|call) into question|question(?:ed|s|ing)?|(?:did|does|do|would)(?: not|n['’]t) "
    r"(?:believe|accept|buy)|contradict(?:ed|s)?|(?:pushed|pushes|push|pushing) back (?:against|on)|"
    rf"(?:took|takes|take|taking) issue with)\s+{_CLAIM}|cast(?:s|ing)? doubt (?:on|over)|"
    rf"{_CLAIM_NOUN}\s+(?:[\w,'’-]+\s+){{0,20}}?(?:is|was|were|are|as|been|be)\s+(?:(?:completely|totally|entirely|"
    rf"simply|patently|absolutely|categorically)\s+)?{_FALSE}|"
    rf"(?:called|calls|call|branded|brands|labell?ed)\s+{_CLAIM}\s+(?:\w+\s+)?(?:{_FALSE}|propaganda|lies)|"
    r"(?:false|baseless|unfounded|groundless|fabricated|misleading|inaccurate) (?:claims?|reports?|statements?|"
    r"allegations?|accusations?|information|narrative|accounts?|portrayal)|(?:is|was|are|were|it['’]s|that['’]s) not true|"
    r"despite (?:\w+['’]?s? ){0,2}(?:claims?|assurances?|announcements?))\b"
    rf"|{PERCEPTION.pattern}",
    re.IGNORECASE,
)


_CLAUSE = re.compile(r",?\s+(?:but|however|while|whereas|although|though)\s+", re.IGNORECASE)
# Where an actor phrase runs into its verb ("Russia has repeatedly"), the actor ends.
_ACTOR_END = re.compile(
    r"\s+(?:has|have|had|is|was|were|are|will|would|could|should|may|might|can|did|does|do|also|again|"
    r"repeatedly|previously|then|now|later|still|never|once|on|in|at|told|said|says|added)\b.*$",
    re.IGNORECASE,
)


_ROLE_END = re.compile(rf"\b(?:{'|'.join(ROLES)})$")  # role nouns: text/quotes/data/roles.txt
_NOT_ACTOR_START = frozenset(
    {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "some", "many",
     "most", "all", "both", "several", "few", "this", "that", "these", "those", "it", "its", "there", "we", "i"}
)  # fmt: skip
_QUOTE_MARKS = re.compile("[\"“”«»„]")  # an actor holds none ("“Miner Gary” Thomas" in a garbled page)
_NOT_PHRASE_START = frozenset({"it", "its", "there", "this", "that", "these", "those", "we", "i"})  # a parsed subject may count ("three individuals")
# A denial reported with its own subject: "X said (that) Y had denied ...": Y disputes, not X.
_REPORTED_DENIAL = re.compile(
    r"\b(?:said|says|told\s+\w+|added)\s+(?:that\s+)?(?P<who>(?!he\b|she\b|they\b|it\b|we\b|I\b)"
    r"[\w.'’-]+(?:\s+(?!had\b|has\b|have\b)[\w.'’-]+){0,4}?)\s+(?:(?:had|has|have|also|repeatedly|previously|"
    r"flatly|strongly)\s+)*den(?:y|ies|ied)\b"
)


# The name right before a dispute's verb disputes ("Windy Blackwell denied talking to him, the report states";
# "Armstrong, who has denied doping, ..."), not the sentence's reporter.
_DENIER = re.compile(
    r"(?P<who>(?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*)(?:,\s+who)?\s+(?:(?:has|have|had|also|repeatedly|previously|"
    r"flatly|strongly|vehemently|always|later|since|again|long|consistently|publicly|quickly|so\s+far|and)\s+)*$"
)
_DISPUTE_VERB = re.compile(r"(?:den|dismiss|reject|disput|refut|rebut|question|contradict|push|took|take|cast|plead|call)", re.IGNORECASE)
_LEAD_WORD = re.compile(r"^(?:(?:but|and|yet|for|however|still|meanwhile|instead|the|then|now|later|update)\b[,:]?\s+)+", re.IGNORECASE)


def _denier(text: str) -> str | None:
    """The name just before the verb of a dispute (``DISPUTE``'s match), if one stands there."""
    found = DISPUTE.search(text)
    if found is None or not _DISPUTE_VERB.match(found.group(0)):
        return None
    who = _DENIER.search(text[: found.start()])
    if who is None:
        return None
    words = _LEAD_WORD.sub("", who.group("who")).split()
    while words and words[0].casefold().rstrip(",") in _NOT_NAME:  # "on Monday dismissed": no one
        words = words[1:]
    return " ".join(words) or None


_GENERIC = {
    "the", "of", "and", "a", "an", "for", "defence", "defense", "ministry", "minister", "foreign", "president",
    "prime", "official", "officials", "government", "secretary", "spokesman", "spokeswoman", "spokesperson",
    "office", "department", "state", "senior", "general", "chief", "head", "national", "security", "council",
}


@lru_cache(maxsize=4096)
def _sides(actor: str) -> frozenset[str]:
    """The words of an actor that tell its side: names, and the country a place, seat of government
    or demonym in it stands for ("Moscow", "the Kremlin", "Russian officials": Russia)."""
    words = re.findall(r"[a-z][a-z.']*[a-z]|[a-z]", re.sub(r"['’]s\b", "", actor.casefold()))
    found = {w for w in words if w not in _GENERIC and len(w) > 2}
    for size in (1, 2, 3, 4):
        for k in range(len(words) - size + 1):
            country = country_of(" ".join(words[k : k + size]))
            if country:
                found.add(country)
    return frozenset(country_of(w) or w for w in found)


_NAME = re.compile(r"\b[A-Z][\w'’.-]*")
_NOT_NAME = frozenset(
    {"the", "and", "but", "for", "with", "from", "this", "that", "these", "those", "they", "she", "his", "her",
     "its", "their", "our", "you", "yet", "though", "although", "while", "when", "after", "before", "since",
     "also", "then", "there", "what", "who", "however", "despite", "according", "mr", "mrs", "ms", "dr",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
     "april", "june", "july", "august", "september", "october", "november", "december"}
)  # fmt: skip
# A denial that says what is denied ("denies having an affair", "denied that he used drugs") answers an
# assertion of that, not any assertion naming the same people: its words must meet the assertion's.
_DENIED_CONTENT = re.compile(
    r"den(?:y|ies|ied)\s+(?:ever\b|that\b|(?=[a-z]+ing\b)|(?:he|she|they|it|we)\s+(?=(?:is|are|was|were|had|has|have|did|ever|"
    r"would|will)\b))",
    re.IGNORECASE,
)
_CONTENT_WORD = re.compile(r"\b[a-z][a-z-]{3,}\b")
_STOP = frozenset(
    {"that", "this", "with", "from", "have", "having", "been", "being", "were", "would", "could", "should", "their",
     "there", "they", "them", "than", "then", "when", "what", "which", "while", "about", "after", "before", "into",
     "over", "ever", "also", "said", "says", "knowing", "more", "most", "some", "such", "only", "other", "will"}
)  # fmt: skip


# Words of claiming and disputing themselves: a dispute's object shares them with any reported claim.
_SPEECH_STEMS = frozenset(
    {"claim", "repor", "alleg", "accus", "state", "sugge", "denie", "denyi", "dismi", "rejec", "dispu", "false", "untru",
     "theor", "accou", "portr", "argum", "quest", "chall", "conte", "insis", "patent"}
)  # fmt: skip


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _CONTENT_WORD.findall(text) if w not in _STOP}


def _names(text: str) -> set[str]:
    """The capitalised words of a text, a country for its demonym or capital ("Russian": russia)."""
    found = set()
    for m in _NAME.finditer(text):
        word = re.sub(r"['’]s?$", "", m.group(0)).rstrip(".").casefold()
        if len(word) > 2 and word not in _NOT_NAME and word not in _GENERIC:
            found.add(country_of(word) or word)
    return found


def _denial(text: str) -> tuple[set[str], set[str] | None, str | None]:
    """What a dispute's text offers to tie it to an assertion: the names it gives up to its denial, the
    words of what it says it denies (None when it does not say: "denied the allegations"), and its kind:
    "named" when it rejects "the claim", "unseen" when it says it sees no evidence, else None."""
    found = DISPUTE.search(text)
    if found is None:
        return set(), None, None
    denied = None
    content = _DENIED_CONTENT.search(text, found.start())
    if content is not None:
        denied = _stems(re.split(r"[,;:]|\s(?:and|but)\s", text[content.end() :], maxsplit=1)[0])
    if _THE_CLAIM.search(text, max(0, found.start() - 8), found.end()):
        kind = "named"
    else:
        kind = "unseen" if PERCEPTION.search(text) else None
    return _names(text[: found.end()]), denied, kind


def _target(text: str) -> tuple[set[str], set[str]]:
    """What a dispute is aimed at: the names inside its disputing phrase ("disputed Avenatti's accounting":
    avenatti), and the word stems from its verb to the end of its clause ("denied talking to anyone named
    Frank")."""
    found = DISPUTE.search(text)
    if found is None:
        return set(), set()
    rest = re.split(r"[;:]|,\s|\s(?:but|and|while|although|though)\s", text[found.end() :], maxsplit=1)[0]
    return _names(found.group(0)), {w for w in _stems(found.group(0) + " " + rest) if w not in _SPEECH_STEMS}


def _answers(
    denial: tuple[set[str], set[str] | None, str | None], told: set[str], words: set[str]
) -> str | None:
    """How a dispute (its :func:`_denial`) can answer an assertion that gives the names ``told`` (its
    texts' and its actors' sides) and the word stems ``words``: "named" when a name the dispute gives up
    to its denial is in the assertion (the accused who denies: "Allen has denied the allegations"; the
    side whose claim it rejects: "dismissed the Russian government's claim") or it rejects "the claim";
    "unseen" when it only says it sees no evidence ("had not seen any sign of de-escalation"), which
    answers what several outlets report, not a detail; else None (it answers something else, or denies
    what the assertion does not say)."""
    named, denied, kind = denial
    if denied is not None and len(denied & words) < min(2, len(denied)):
        return None
    return "named" if named & told else kind


def _unquoted(value: str) -> str:
    return " ".join(_QUOTE_MARKS.sub(" ", value).split())


def same_side(a: str | None, b: str | None) -> bool:
    """Whether two actors speak for one side ("Moscow", "Russia's defence ministry"): such a pair
    is not a dispute.

    >>> same_side("Moscow", "Russia's defence ministry"), same_side("Jens Stoltenberg", "Russia")
    (True, False)
    """
    if not a or not b:
        return False
    return a == b or bool(_sides(a) & _sides(b))


def same_actor(a: str | None, b: str | None) -> bool:
    """Whether two actors name one speaker: equal, or one's words inside the other's with the same head
    ("panel" / "three-member panel", "officials" / "Hospital officials").

    >>> same_actor("panel", "three-member panel"), same_actor("panel", "panel chair")
    (True, False)
    """
    if not a or not b:
        return False
    x, y = a.casefold().split(), b.casefold().split()
    return x == y or x[-1] == y[-1] and (set(x) <= set(y) or set(y) <= set(x))


def _disputing_clause(text: str) -> re.Match[str] | None:
    """The break before the clause that disputes ("A, but B saw no evidence"), when the part before it
    disputes nothing."""
    for m in _CLAUSE.finditer(text):
        if DISPUTE.search(text[m.end() :]) and not DISPUTE.search(text[: m.start()]):
            return m
    return None


def _readable_dispute(text: str) -> bool:
    """A dispute that would read on its own but for the connective it opens on ("But", "Yet", "UPDATE:")."""
    rest = _LEAD_WORD.sub("", text)
    return rest != text and rest[:1].isupper() and bool(DISPUTE.search(rest)) and is_candidate(rest, len(rest.split()))


def clean_actor(value: str | None, *, parsed: bool = False) -> str | None:
    """An actor reads as a name or title ("Russia", "Russia's defence ministry"), not a clause; a
    ``parsed`` actor (the subject of a verb of saying) may be any description ("business owner")."""
    if not value:
        return None
    value = _ACTOR_END.sub("", _unquoted(value))
    if _ROLE_END.search(value):
        value = re.sub(r"^(?:a|an|the)\s+", "", value, flags=re.IGNORECASE)
    if not value or len(value.split()) > 8:
        return None
    if not value[0].isupper() and not parsed and not (len(value.split()) <= 6 and _ROLE_END.search(value)):
        return None  # lower case reads as a clause unless it names a role ("a senior White House official")
    if value.split()[0].lower() in (_NOT_PHRASE_START if parsed else _NOT_ACTOR_START):
        return None  # "Two of these 14 admitted ...", "An estimated 10-80 percent ..."
    return value


def _actor(
    story: StoryText,
    i: int,
    name: Callable[[str | None], str | None],
    *,
    dispute: bool = False,
    clause: re.Match[str] | None = None,
) -> str | None:
    """Who a unit reports: the speaker of a quote in it (unless the quote is a few words inside a
    reported sentence), else the subject of the verb of saying that governs it, from the parse
    (:func:`quotes.reporter`), else its attribution by pattern (for a dispute, the attribution of the
    clause that disputes, or the subject of a reported denial)."""
    unit = story.units[i]
    mentions, context = story.mentions[unit.article], story.articles[unit.article].text
    if dispute:  # "Armstrong, who has so far denied the allegations, “has told associates …”": Armstrong disputes
        denier = clean_actor(name(_denier(unit.text)))
        if denier:
            return denier
    quote = next((q for q in story.quotes[unit.article] if unit.start <= q.start < unit.end and q.speaker), None)
    if quote is not None and len(quote.text.split()) <= QUOTED_WORDS and REPORTING.search(unit.text):
        # A few quoted words inside a reported sentence: the sentence's source speaks ("A Danish
        # inventor … has said … he “buried” her at sea, Copenhagen police say": the police).
        found = clean_actor(name(reporter(unit.text, mentions, unit.start, context)), parsed=True)
        if found and not set(found.split()) & set((name(quote.speaker) or "").split()):
            return found
    if quote is not None:  # a quote's speaker may be a descriptor ("researchers"), but not a clause or a count
        speaker = name(quote.speaker)
        words = (speaker or "").split()
        if words and len(words) <= 8 and words[0].lower() not in _NOT_ACTOR_START:
            return _unquoted(speaker)
    if dispute:
        reported = _REPORTED_DENIAL.search(unit.text)
        if reported:  # "Police said all five had denied knowing ...": the five deny, not the police
            return clean_actor(name(re.sub(r"^[Tt]he\s+", "", reported.group("who"))))
        if clause is not None:  # the break before the clause that disputes (``_disputing_clause``)
            rest = clause.end()
            found = clean_actor(name(attribution(unit.text[rest:], mentions, unit.start + rest, context)))
            if found:  # "X said A, but B": with no speaker of its own, the clause is X's
                return found
    if REPORTING.search(unit.text):  # the subject of its verb of saying, from the parse
        return clean_actor(name(reporter(unit.text, mentions, unit.start, context)), parsed=True)
    return clean_actor(name(attribution(unit.text, mentions, unit.start, context)))


def actor_of(story: StoryText, i: int, name: Callable[[str | None], str | None] = lambda n: n) -> str | None:
    """The actor :func:`find_claims` gives unit ``i`` of ``story``: who it reports (a quote's speaker,
    the subject of its verb of saying, the source "according to" names), or None."""
    text = story.units[i].text
    dispute = DISPUTE.search(text) is not None
    return _actor(story, i, name, dispute=dispute, clause=_disputing_clause(text) if dispute else None)


def _clusters(
    story: StoryText, members: list[int], threshold: float, actors: dict[int, str | None] | None = None
) -> list[list[int]]:
    """Single-link groups of units (similarity >= threshold, or >= ``SAME_ACTOR_SIM`` where both
    give the same actor) across different articles; a sentence an article repeats word for word
    (a caption printed twice) joins its twin."""
    parent = {i: i for i in members}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if members:
        sims = story.similarities()[np.ix_(members, members)]
        floor = min(threshold, SAME_ACTOR_SIM) if actors else threshold
        rows, cols = np.nonzero(np.triu(sims >= floor, k=1))
        for r, c in zip(rows.tolist(), cols.tolist()):
            a, b = members[r], members[c]
            if story.units[a].article == story.units[b].article and story.units[a].text != story.units[b].text:
                continue  # one outlet does not corroborate itself (a sentence it repeats is one fact)
            if sims[r, c] >= threshold or (actors and same_actor(actors[a], actors[b])):
                parent[find(a)] = find(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in members:
        groups[find(i)].append(i)
    return list(groups.values())


def _positions(story: StoryText, units: list[int], stance: str, actors: dict[int, str | None]) -> list[Position]:
    """One position per distinct exact text, citing every article holding that text."""
    seen: dict[str, Position] = {}
    for i in units:
        text = story.units[i].text
        if text not in seen:
            seen[text] = Position(actors[i], stance, text, story.cite(text))  # type: ignore[arg-type]
    return list(seen.values())


def find_claims(
    story: StoryText, scores: np.ndarray, name: Callable[[str | None], str | None]
) -> tuple[Claim, ...]:
    """Agreed, contested and single-source claims of the story."""
    members = [i for i, u in enumerate(story.units) if u.candidate]
    if not members:
        return ()
    prime_reporters([story.units[i].text for i in members])
    claims: list[Claim] = []
    used: set[int] = set()

    # Contested: each dispute (any sentence of any article) set against the assertion the pair scorer
    # finds it answers, with that assertion's paraphrases from other outlets.
    actor = {i: _actor(story, i, name) for i in members}
    found = contested(story, scores, name)
    claims.extend(c for c in found.claims[:MAX_CONTESTED])
    used.update(found.used)

    # Agreed: facts two or more outlets report; single-source: facts one outlet alone reports.
    agreed: list[tuple[float, Claim]] = []
    single: list[tuple[float, Claim]] = []
    outlet = {i: story.outlet_of_unit(story.units[i]) for i in members}
    alone = [i for i in members if i not in used and not context_dependent(story.units[i].text)]
    for group in _clusters(story, alone, AGREE_SIM, actor):
        # Independent outlets only: a syndicated copy is cited but does not corroborate.
        canonical = {a.id for a in story.articles}
        outlets = {outlet[i] for i in group}
        for i in group:
            outlets.update(story.outlets[aid] for aid in story.cite(story.units[i].text) if aid in canonical)
        best = max(group, key=lambda i: scores[i])
        if len(outlets) >= 2:
            positions = _positions(story, group, "asserts", actor)
            agreed.append((len(outlets) + float(scores[best]), Claim(story.units[best].text, "agreed", tuple(positions))))
        elif np.isfinite(scores[best]):
            unit = story.units[best]
            has_figure = any(unit.start <= f.start < unit.end for f in story.figures[unit.article])
            if actor[best] is not None or has_figure:
                positions = _positions(story, [best], "asserts", actor)
                single.append((float(scores[best]), Claim(unit.text, "single-source", tuple(positions))))
    agreed.sort(key=lambda kv: -kv[0])
    single.sort(key=lambda kv: -kv[0])
    claims.extend(c for _, c in agreed[:MAX_AGREED])
    claims.extend(c for _, c in single[:MAX_SINGLE])
    return tuple(claims)


# --- contested claims: candidate pairs and the pair scorer (synthesis/disputes.py) ---------------------

_CONTEXT_WORDS = re.compile(r"\b(?:also|too|either|likewise|same|similar|similarly|other|another|again|still)\b", re.IGNORECASE)
_CONTEXT_START = re.compile(r"^(?:This|That|These|Those|It|Such|Both|Neither|Each)\b")


def context_dependent(text: str) -> bool:
    """A sentence that means nothing without its context ("The date is also unclear."): it opens on a
    demonstrative or pronoun, or holds a word that points back ("also", "too", "same", "other"), and
    names nothing (no proper name, no number).

    >>> context_dependent("The date is also unclear."), context_dependent("NATO also said 7,000 troops arrived.")
    (True, False)
    """
    if any(c.isdigit() for c in text):
        return False
    if any(w[:1].isupper() for w in text.split()[1:]):
        return False
    return bool(_CONTEXT_START.match(text) or _CONTEXT_WORDS.search(text))


@dataclass
class Contest:
    """The contested claims of a story, and what the pairing read to give them."""

    claims: list[Claim]
    used: set[int]  # units that are an assertion or a dispute of a contested claim
    pairs: list[tuple[int, int, float]]  # (dispute sentence, assertion unit, probability) shown


@dataclass
class Candidates:
    """Every dispute sentence of a story and its candidate assertions, with the pair features."""

    sentences: list  # disputes.Sentence, all read
    disputes: list[int]  # indexes into sentences
    actors: dict[int, str | None]  # sentence index -> actor
    pairs: dict[int, list[tuple[int, list[float]]]]  # dispute -> [(assertion unit, features)]
    aimed: dict[int, int] = field(default_factory=dict)  # dispute naming whose claim it rejects -> that claim


def _unit_vectors(story: StoryText, texts: list[str], units: list[int | None]) -> np.ndarray:
    """MiniLM vectors (unit length) of sentences: the story's own where embedded, else embedded now;
    TF-IDF rows when the embedder is unavailable (sentences outside the units then get zeros)."""
    from . import analysis

    out = None
    if story.embedded and story.embedding_part is not None and all(u is not None for u in units):
        rows = story.embedding_part[[u for u in units]]
        out = rows / np.clip(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12, None)
    if out is None:
        emb = analysis._embed(texts) if texts else None
        if emb is not None:
            out = emb / np.clip(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12, None)
    if out is None:
        width = story.lexical.shape[1]
        out = np.stack([story.lexical[u] if u is not None else np.zeros(width, np.float32) for u in units]) if units else np.zeros((0, width))
    return out


def candidate_pairs(story: StoryText, name: Callable[[str | None], str | None]) -> Candidates:
    """Candidate generation: every sentence with a dispute cue, and for each the assertions of the story
    (units without a cue, readable, of another side) that share content with it, most alike first, each
    with its features (``disputes.FEATURES``)."""
    from . import disputes as dz

    cached = story.memo.get("claim_candidates")
    if cached is not None:
        return cached
    sentences = dz.read_all(story)
    dispute_ids = [k for k, s in enumerate(sentences) if dz.is_dispute(s.text) and len(s.text.split()) >= 5]
    dispute_units = {sentences[k].unit for k in dispute_ids}
    asserts = [
        i for i, u in enumerate(story.units)
        if i not in dispute_units and dz.readable(u.text) and not context_dependent(u.text)
    ]  # fmt: skip
    actors: dict[int, str | None] = {}
    result = Candidates(sentences, dispute_ids, actors, {})
    story.memo["claim_candidates"] = result
    if not dispute_ids or not asserts:
        return result
    prime_reporters([sentences[k].text for k in dispute_ids])
    for k in dispute_ids:
        actors[k] = _dispute_actor(story, sentences[k], name)
    d_vec = _unit_vectors(story, [sentences[k].text for k in dispute_ids], [sentences[k].unit for k in dispute_ids])
    a_vec = _unit_vectors(story, [story.units[i].text for i in asserts], asserts)
    sims = d_vec @ a_vec.T if d_vec.shape[1] == a_vec.shape[1] else np.zeros((len(dispute_ids), len(asserts)))
    stems = {i: _stems(story.units[i].text) for i in asserts}
    folded = {i: _stems(story.units[i].text.casefold()) for i in asserts}  # names count as shared content
    n_outlets = max(1, len({story.outlet_of_unit(u) for u in story.units}))
    all_sims = story.similarities()
    a_info: dict[int, dict] = {}

    def info(i: int) -> dict:
        if i not in a_info:
            unit = story.units[i]
            who = _actor(story, i, name)
            reach = {story.outlet_of_unit(story.units[j]) for j in np.nonzero(all_sims[i] >= AGREE_SIM)[0].tolist()}
            reach.add(story.outlet_of_unit(unit))
            a_info[i] = {
                "actor": who, "sides": dz.sides_of(who, story.articles[unit.article].text), "names": _names(unit.text),
                "stems": stems[i], "candidate": unit.candidate, "article": unit.article, "index": unit.index,
                "reach": len(reach) / n_outlets,
            }  # fmt: skip
        return a_info[i]

    for row, k in enumerate(dispute_ids):
        s = sentences[k]
        named, denied, kind = _denial(s.text)
        extra_only = DISPUTE.search(s.text) is None
        if extra_only:
            cue = dz._extra().search(s.text)
            named = _names(s.text[: cue.end()]) if cue else set()
            charge = dz.charge_denial().search(s.text)
            if charge and denied is None:  # "pleaded not guilty to four counts of trafficking": what it answers
                rest = re.split(r"[,;:]|\s(?:and|but|while)\s", s.text[charge.end() :], maxsplit=1)[0]
                denied = (_stems(rest) - _SPEECH_STEMS) or None
        if kind is None and dz.is_no_evidence(s.text):
            kind = "unseen"
        d_stems = _stems(s.text)
        d_folded = _stems(s.text.casefold())
        d_info = {
            "stems": d_stems, "target": _target(s.text)[1], "named": named, "denied": denied, "kind": kind,
            "article": s.article, "index": s.index, "actor": actors[k], "extra_only": extra_only,
        }  # fmt: skip
        d_sides = dz.sides_of(actors[k], story.articles[s.article].text)
        order = np.argsort(-sims[row])
        target = _target(s.text)[0]
        if target:  # "disputed Ortega's account": the assertion of the actor it names, most alike first
            for col in order.tolist():
                i = asserts[col]
                who = info(i)["actor"]
                if who and target & _names(who) and not (actors[k] and same_side(actors[k], who)):
                    result.aimed[k] = i
                    break
        chosen: list[tuple[int, float]] = []
        for col in order.tolist():
            i = asserts[col]
            if s.unit == i or story.units[i].text == s.text:
                continue
            shared = (d_folded & folded[i]) - _SPEECH_STEMS
            if not shared and sims[row, col] < dz.MIN_SHARED_SIM:
                continue
            if denied is not None and len(denied & stems[i]) < min(2, len(denied)):
                continue  # it says what it denies ("denied that the budget had been cut"), and this is not it
            a = info(i)
            if actors[k] and a["actor"] and (same_side(actors[k], a["actor"]) or d_sides & a["sides"]):
                continue
            chosen.append((i, float(sims[row, col])))
            if len(chosen) >= dz.MAX_CANDIDATES:
                break
        if not chosen:
            continue
        best = chosen[0][1]
        result.pairs[k] = [
            (i, dz.pair_features(sim, best, rank, s.text, story.units[i].text, d_info, info(i), info(i)["reach"]))
            for rank, (i, sim) in enumerate(chosen, start=1)
        ]
    result.a_info = a_info  # type: ignore[attr-defined]
    return result


def _dispute_actor(story: StoryText, s, name: Callable[[str | None], str | None]) -> str | None:
    """Who disputes: a pronoun subject resolved to its person ("He denied …", "…, she said"), else
    the actor the claims give the unit (the denier named before the verb, a quote's speaker, the
    subject of the verb of saying), else the sentence's attribution."""
    from . import disputes as dz

    pronoun = dz.pronoun_actor(story, s)
    if pronoun:
        return clean_actor(name(pronoun)) or pronoun
    if s.unit is not None:
        return _actor(story, s.unit, name, dispute=True, clause=_disputing_clause(s.text))
    mentions, context = story.mentions[s.article], story.articles[s.article].text
    return clean_actor(name(_denier(s.text))) or clean_actor(name(attribution(s.text, mentions, s.start, context)))


def contested(story: StoryText, scores: np.ndarray, name: Callable[[str | None], str | None]) -> Contest:
    """Each dispute set against the candidate assertion the pair scorer rates highest, when its
    probability reaches the model's threshold; disputes answering one assertion (or its paraphrases from
    other outlets) make one contested claim."""
    from . import disputes as dz

    cands = candidate_pairs(story, name)
    if not cands.pairs and not cands.aimed:
        return Contest([], set(), [])
    keys = list(cands.pairs)
    rows = [f for k in keys for _, f in cands.pairs[k]]
    probs = dz.score(rows) if rows else np.zeros(0)
    cut = dz.threshold()
    chosen: dict[int, tuple[int, float]] = {}
    at = 0
    for k in keys:
        n = len(cands.pairs[k])
        p = probs[at : at + n]
        at += n
        best = int(np.argmax(p))
        if p[best] >= cut:
            chosen[k] = (cands.pairs[k][best][0], float(p[best]))
    for k, i in cands.aimed.items():  # a dispute naming whose claim it rejects answers that actor's claim
        chosen[k] = (i, 1.0)
    if not chosen:
        return Contest([], set(), [])
    a_info = cands.a_info  # type: ignore[attr-defined]
    sims = story.similarities()
    # Group the chosen assertions with their paraphrases (other outlets, alike >= AGREE_SIM).
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    groups: dict[int, set[int]] = {}
    for k, (a, _) in chosen.items():
        members = {a}
        for j in np.nonzero(sims[a] >= AGREE_SIM)[0].tolist():
            if j in a_info and story.units[j].article != story.units[a].article:
                members.add(j)
        groups[k] = members
        for j in members:
            parent[find(j)] = find(a)
    by_root: dict[int, list[int]] = defaultdict(list)
    for k, (a, _) in chosen.items():
        by_root[find(a)].append(k)
    out: list[tuple[float, Claim]] = []
    used: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for ds in by_root.values():
        d_actors = [cands.actors[k] for k in ds]
        group = sorted(set().union(*(groups[k] for k in ds)))
        group = [
            i for i in group
            if i in {chosen[k][0] for k in ds}
            or not any(d and a_info[i]["actor"] and same_side(d, a_info[i]["actor"]) for d in d_actors)
        ]  # fmt: skip
        lead = max(group, key=lambda i: (story.units[i].candidate, len(story.cite(story.units[i].text)), scores[i]))
        seen: dict[str, Position] = {}
        for i in [lead, *group]:
            text = story.units[i].text
            if text not in seen:
                seen[text] = Position(a_info[i]["actor"], "asserts", text, story.cite(text))
        asserts = list(seen.values())
        seen = {}
        for k in sorted(ds, key=lambda k: -chosen[k][1]):
            text = cands.sentences[k].text
            if text not in seen:
                seen[text] = Position(cands.actors[k], "disputes", text, story.cite(text))
                pairs.append((k, lead, chosen[k][1]))
        weight = len({a for p in seen.values() for a in p.article_ids}) + len({a for p in asserts for a in p.article_ids})
        out.append((weight + max(chosen[k][1] for k in ds), Claim(story.units[lead].text, "contested", (*asserts, *seen.values()))))
        used.update(group)
        used.update(cands.sentences[k].unit for k in ds if cands.sentences[k].unit is not None)
    out.sort(key=lambda kv: -kv[0])
    return Contest([c for _, c in out], used, pairs)
