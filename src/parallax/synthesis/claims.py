"""Claims: facts several outlets report (agreed), assertions set against denials (contested),
and facts only one outlet reports (single-source)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
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
    # A dispute that opens on a connective ("But Napolitano insisted there was no evidence ...") reads on its own
    # as a position under the claim it answers, though not as a claim or a summary sentence.
    readable = [i for i, u in enumerate(story.units) if not u.candidate and _readable_dispute(u.text)]
    outlet = {i: story.outlet_of_unit(story.units[i]) for i in members + readable}
    disputes = [i for i in members if DISPUTE.search(story.units[i].text)] + readable
    dispute_set = set(disputes)
    # "X said A, but Y saw no evidence": the sentence repeats A and answers it in its own clause.
    clause = {d: _disputing_clause(story.units[d].text) for d in disputes}
    prime_reporters([story.units[i].text for i in members + readable])
    actor = {i: _actor(story, i, name, dispute=i in dispute_set, clause=clause.get(i)) for i in members + readable}
    claims: list[Claim] = []
    used: set[int] = set()

    # Contested: an assertion (with its paraphrases) set against the disputes that answer it.
    asserts = [i for i in members if i not in dispute_set and actor[i] is not None]
    groups = _clusters(story, asserts, AGREE_SIM, actor)
    answered: dict[int, list[int]] = defaultdict(list)
    n_outlets = max(1, len(set(outlet.values())))
    denial = {d: _denial(story.units[d].text) for d in disputes}
    target = {d: _target(story.units[d].text) for d in disputes}
    told: dict[int, tuple[set[str], set[str]]] = {}  # group -> the names and word stems of its assertion
    for d in disputes:
        if actor[d] is None:
            continue
        best, best_score = -1, 0.0
        for g, group in enumerate(groups):
            if any(same_side(actor[i], actor[d]) for i in group):
                continue
            if g not in told:
                told[g] = (
                    set().union(*(_names(story.units[i].text) | _sides(actor[i] or "") for i in group)),
                    set().union(*(_stems(story.units[i].text) for i in group)),
                )
            link = _answers(denial[d], *told[g])
            reach = len({outlet[i] for i in group})
            if link is None or (link == "unseen" and reach < 2):
                continue
            sim = max(story.sim(i, d) for i in group)
            if sim >= AGREE_SIM and clause[d] is None:
                continue  # it repeats the assertion (a quote with a negation inside), it does not answer it
            claimant = bool(target[d][0] & set().union(*(_sides(actor[i] or "") for i in group)))
            shared = len(target[d][1] & told[g][1])
            if claimant and sim >= RELATED_SIM and (shared or not target[d][1]):
                # It names whose claim it rejects ("disputed Avenatti's accounting"): that actor's assertion,
                # one that holds what it says it rejects, if it says ("Russian claims that it was involved").
                value = 1.0 + sim + CONTENT_WEIGHT * shared
            elif reach >= 2 and sim >= RELATED_SIM:
                # A dispute most often answers what most outlets report, in other words.
                value = sim + PROMINENCE * reach / n_outlets
            elif sim >= CONTEST_SIM:
                value = sim
            else:
                continue
            if value > best_score:
                best, best_score = g, value
        if best >= 0:
            answered[best].append(d)
    contested: list[tuple[float, Claim]] = []
    for g, ds in answered.items():
        group = groups[g]
        lead = max(group, key=lambda i: (len(story.cite(story.units[i].text)), scores[i]))
        positions = _positions(story, group, "asserts", actor) + _positions(story, ds, "disputes", actor)
        weight = len({outlet[i] for i in ds}) + len({outlet[i] for i in group})
        contested.append((weight, Claim(story.units[lead].text, "contested", tuple(positions))))
    contested.sort(key=lambda kv: -kv[0])
    for _, claim in contested[:MAX_CONTESTED]:
        claims.append(claim)
    for g, ds in answered.items():
        used.update(groups[g])
        used.update(ds)

    # Agreed: facts two or more outlets report; single-source: facts one outlet alone reports.
    agreed: list[tuple[float, Claim]] = []
    single: list[tuple[float, Claim]] = []
    for group in _clusters(story, [i for i in members if i not in used], AGREE_SIM, actor):
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
