"""Quotes and figures of a story, merged across outlets, with speakers named one way."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from importlib import resources

from ..models import Figure, Quote
from ..text.entities import canonical_names
from ..text.figures import AGE_TOPIC, FigureSpan
from ..text.figures import RANGE_GAP as _RANGE_GAP
from ..text.figures import STOP_WORDS as _STOP_WORDS
from ..text.quotes import reporter
from .analysis import StoryText
from .claims import actor_of, clean_actor, same_actor
from .figure_pairs import rule_required, same_quantity
from .givers import prime as prime_givers
from .givers import read_giver

MAX_QUOTES = 40
MAX_FIGURES = 40
SAME_FIGURE_SIM = 0.3  # sentences of one quantity given by two sources are at least this alike
_SYNONYMS = {
    "soldiers": "troops", "servicemen": "troops", "service members": "troops", "personnel": "troops",
    "forces": "troops", "percent": "%", "per cent": "%", "kilometres": "km", "kilometers": "km",
    "dead": "deaths", "killed": "deaths", "fatalities": "deaths", "persons": "people",
}  # fmt: skip
# Units of one dimension, converted to a common one so that "75 miles" and "120 km" compare: group, factor.
_CONVERT = {
    "km": ("km", 1.0), "kilometre": ("km", 1.0), "kilometer": ("km", 1.0), "mile": ("km", 1.609344),
    "mi": ("km", 1.609344), "m": ("km", 0.001), "metre": ("km", 0.001), "meter": ("km", 0.001),
    "foot": ("km", 0.0003048), "feet": ("km", 0.0003048), "ft": ("km", 0.0003048), "yard": ("km", 0.0009144),
    "kg": ("kg", 1.0), "kilogram": ("kg", 1.0), "kilo": ("kg", 1.0), "pound": ("kg", 0.45359237),
    "lb": ("kg", 0.45359237), "tonne": ("kg", 1000.0), "ton": ("kg", 1000.0),
    "mph": ("km/h", 1.609344), "kph": ("km/h", 1.0), "km/h": ("km/h", 1.0),
    "acre": ("hectare", 0.404686), "hectare": ("hectare", 1.0),
}  # fmt: skip
_WEAK_GIVERS = frozenset({"estimates", "estimate", "figures", "data", "numbers", "analysis", "count", "tally"})
_KINDS_ABOUT = frozenset({"age", "price"})  # listed when the story is about them (:func:`_key_figure`)
_NOT_HEAD = frozenset({"aboard", "onboard", "overall", "total", "each", "apiece", "altogether", "more", "in"})
_NOT_THING = frozenset({"and", "or", "to", "from", "of", "in", "for", "a", "an", "the", "on", "at", "by", "with", "that",
                        "which", "was", "were", "is", "are", "as", "than", "last", "this", "per", "into", "over"})


def _norm_quote(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def speaker_names(story: StoryText, extra: list[str]) -> Callable[[str | None], str | None]:
    """One display form per speaker across the story (person mentions help full names)."""
    memo = ("speaker_names", tuple(extra))
    mapping = story.memo.get(memo)
    if mapping is None:
        people = [m.name for ms in story.mentions for m in ms if m.kind == "person"]
        mapping = story.memo[memo] = canonical_names([*people, *extra])

    def name(value: str | None) -> str | None:
        if value is None:
            return None
        if value[:1].isupper():
            return mapping.get(value, value)
        return value

    return name


def _speakers(story: StoryText) -> list[str]:
    return [q.speaker for qs in story.quotes for q in qs if q.speaker]


def merge_quotes(story: StoryText) -> tuple[Quote, ...]:
    """Quotes grouped by their words; each cites every article holding its exact text."""
    name = speaker_names(story, _speakers(story))
    groups: dict[str, list[tuple[int, str, str | None, int]]] = defaultdict(list)
    for k, qs in enumerate(story.quotes):
        for q in qs:
            groups[_norm_quote(q.text)].append((k, q.text, name(q.speaker), q.start))
    quotes: list[tuple[tuple[int, int, int], Quote]] = []
    for items in groups.values():
        variants = Counter(t for _, t, _, _ in items)
        text = max(variants, key=lambda t: (len(story.cite(t)), variants[t], t))
        speakers = Counter(s for _, _, s, _ in items if s)
        speaker = speakers.most_common(1)[0][0] if speakers else None
        cited = story.cite(text, hint=[story.articles[items[0][0]].id])
        first = min((k, start) for k, _, _, start in items)
        quotes.append(((-len(cited), first[0], first[1]), Quote(text, speaker, cited)))
    quotes.sort(key=lambda kv: kv[0])
    top = [q for _, q in quotes[:MAX_QUOTES]]
    top.sort(key=lambda q: (story.articles.index(next(a for a in story.articles if a.id in q.article_ids))
                            if any(a.id in q.article_ids for a in story.articles) else 0))
    return tuple(top)


def _group_key(unit: str | None, qualifier: str | None) -> str:
    unit = (unit or "").strip()
    unit = unit.removeprefix("of ")
    # the head noun: "russian troops" and "troops" count one thing; "people aboard" counts people
    words = [w for w in unit.split() if w not in _NOT_HEAD][-1:]
    if words:
        words[-1] = _singular(_SYNONYMS.get(words[-1], words[-1]))
        if words[-1] in _CONVERT:
            words[-1] = _CONVERT[words[-1]][0]
    base = " ".join(words) or "number"
    return f"{qualifier} {base}" if qualifier else base


def coarse_unit(entry: dict) -> str:
    """What a merged figure counts, with no qualifier nor the noun after a currency: the head noun in the
    singular, units converted to their dimension's ("miles" and "metres" are "km"), the currency, "%"."""
    return _group_key(entry["figure"].unit, None)


def base_value(value: float, unit: str | None) -> float:
    """``value`` in the common unit of its dimension (miles and feet as km, pounds as kg), else as is."""
    head = _unit_head(unit)
    return value * _CONVERT[head][1] if head in _CONVERT else value


def _singular(noun: str) -> str:
    """A plural head noun's singular, enough to join "country"/"countries", "inch"/"inches"."""
    if noun == "feet":
        return "foot"
    if len(noun) <= 3 or not noun.endswith("s") or noun.endswith(("ss", "us", "is", "cies")):
        return noun  # "species", "status", "analysis" stay
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "xes", "sses")):
        return noun[:-2]
    return noun[:-1]


def _fold(target: dict, entry: dict) -> None:
    """Count ``entry``'s figure as ``target``'s (the same value, thing and source)."""
    target["texts"].update(entry["texts"])
    target["first"] = min(target["first"], entry["first"])
    target["in"] |= entry["in"]
    target["units"] |= entry["units"]
    target["at"] |= entry["at"]
    target["hedges"].update(entry["hedges"])
    target["hedge_of"].update(entry["hedge_of"])
    for memo in ("states", "windows", "pair_marks", "verdicts", "sentence_words", "sentence_names"):
        target.pop(memo, None)  # read again over the joined places (:func:`_states`, figure_pairs)


def _disagreeing(story: StoryText, merged: dict, key: tuple[float | None, str, str | None]) -> bool:
    """Whether another source gives a different value for the same thing (:func:`same_thing`).
    Bare numbers (group "number") count nothing known and never disagree."""
    return any(disagree(story, merged, key, other) for other in merged if other != key)


MAX_PAIR_RATIO = 3.0  # two values of one quantity are never further apart (the pairs the scorer was trained on)


def candidate_pair(story: StoryText, ka: tuple, a: dict, kb: tuple, b: dict) -> bool:
    """Whether two merged figures could be a disagreement: known values of one coarse unit (:func:`coarse_unit`:
    what they count, miles and km as one), different once converted, from different givers
    (:func:`different_givers`), in no article together and at most :data:`MAX_PAIR_RATIO` apart."""
    if ka[0] is None or kb[0] is None or "number" in (ka[1], kb[1]) or a["in"] & b["in"]:  # bare numbers count nothing known
        return False
    va, vb = abs(a["base"]), abs(b["base"])
    if min(va, vb) <= 0 or max(va, vb) > MAX_PAIR_RATIO * min(va, vb) or _same_value(a, b):
        return False
    return coarse_unit(a) == coarse_unit(b) and different_givers(story, ka, a, kb, b)


def disagree(story: StoryText, merged: dict, ka: tuple, kb: tuple) -> bool:
    """Whether merged figures ``ka`` and ``kb`` are a disagreement: a candidate pair (:func:`candidate_pair`) of
    one group that :func:`same_thing` joins and that the shipped figure-pair model (``figure_pairs.same_quantity``,
    ``data/figure_pair_scorer.json``) lets through; without a model, the rule alone."""
    if ka[1] != kb[1] and rule_required():
        return False  # the rule (one group) decides first: no pair of two groups is read further
    a, b = merged[ka], merged[kb]
    verdicts = a.setdefault("verdicts", {})
    if kb in verdicts:
        return verdicts[kb]
    verdict = candidate_pair(story, ka, a, kb, b)
    if verdict:
        rule = ka[1] == kb[1] and same_thing(story, a, b)
        scored = same_quantity(story, ka, a, kb, b, rule)
        verdict = rule if scored is None else scored
    verdicts[kb] = verdict
    b.setdefault("verdicts", {})[ka] = verdict
    return verdict


def _same_value(a: dict, b: dict) -> bool:
    """Whether two merged figures give one value: in two units, once converted to a common one and up to
    the rounding of a conversion (75 miles, 120.7 km); in one unit, equal (2,310 and 2,286 metres differ)."""
    va, vb = a["base"], b["base"]
    if _unit_head(a["figure"].unit) != _unit_head(b["figure"].unit):
        return abs(va - vb) <= 0.02 * max(abs(va), abs(vb), 1e-9)
    return abs(va - vb) <= 1e-6 * max(abs(va), abs(vb), 1.0)


def _unit_head(unit: str | None) -> str:
    """The head noun of what a figure counts, in the singular, synonyms joined ("kilometres" -> "km")."""
    words = (unit or "").split()
    return _singular(_SYNONYMS.get(words[-1], words[-1])) if words else ""


def different_givers(story: StoryText, ka: tuple, a: dict, kb: tuple, b: dict) -> bool:
    """Whether two merged figures come from different givers: two named sources that are not one
    (:func:`claims.same_actor`), a named source and an outlet's own voice, or the own voices of
    different outlets."""
    ga, gb = ka[2], kb[2]
    if ga is not None and gb is not None:
        return not same_actor(ga, gb)
    if ga is None and gb is None:
        oa = {story.outlets[story.articles[k].id] for k in a["in"]}
        ob = {story.outlets[story.articles[k].id] for k in b["in"]}
        return oa != ob or len(oa) > 1
    return True


def same_thing(story: StoryText, a: dict, b: dict) -> bool:
    """Whether two merged figures of one group (what they count) are values of one quantity.

    Not when one article prints both (a 17-year-old and a 26-year-old are two people, 30 men and 30
    women and 100 men and 100 women two samples), nor when one value is more than twice the other
    (2 inmates and 1,000 inmates, 15 years and 1,000 years are different things), nor when no two of
    their sentences are alike (similarity under :data:`SAME_FIGURE_SIM`: "52 percent" of a vote and
    "100 percent" certain), unless they are nearly alike (:data:`NEAR_FIGURE_SIM`) and :data:`SHARED_AROUND`
    content words stand around both figures. Chosen on the development half of
    ``bench/gold/figure_disagreements.jsonl`` (the shared words in issue 17: 83.33 % of its flagged pairs are real)."""
    if a["in"] & b["in"]:
        return False
    va, vb = abs(a["base"]), abs(b["base"])
    if max(va, vb) > 2 * min(va, vb):
        return False
    sa, sb = _states(story, a), _states(story, b)
    ba, bb = sa - ONE_SIDED, sb - ONE_SIDED
    if ba and bb and not ba & bb:
        return False  # "10,000 centrifuges running" and "19,000 centrifuges installed" (data/figure_states.json)
    if (sa ^ sb) & ONE_SIDED:
        return False  # "$5 million a year" and "$8 million"; "rose 5%" and "52%": a rate or a change against a level
    best = max((story.sim(i, j) for i in a["units"] for j in b["units"]), default=0.0)
    if best >= SAME_FIGURE_SIM:
        return True
    # Long sentences dilute their similarity: near the threshold, two words shared around both figures (the
    # same places, actors or events: "... 150 miles north of Tokyo", "Tokyo, which is 140 miles south of the
    # plant") say the same quantity.
    return best >= NEAR_FIGURE_SIM and len(_around(story, a) & _around(story, b)) >= SHARED_AROUND


_STATE_DATA = json.loads(resources.files(__package__).joinpath("data/figure_states.json").read_text(encoding="utf-8"))
STATES = {name: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in stems) + ")", re.IGNORECASE)
          for name, stems in _STATE_DATA["classes"].items()}
ONE_SIDED = frozenset(_STATE_DATA["one_sided"])
_CLAUSE_END = re.compile(r"[.;:!?()\n]")


def _places(story: StoryText, entry: dict) -> Iterator[tuple[int, int, FigureSpan]]:
    """(article, start, figure) of each place of a merged figure."""
    spans = {(k, f.start): f for k, _ in entry["at"] for f in story.figures[k]}
    for k, start in entry["at"]:
        f = spans.get((k, start))
        if f is not None:
            yield k, start, f


def _states(story: StoryText, entry: dict) -> set[str]:
    """The state classes (:data:`STATES`) read in the few words around the places of a merged figure, within
    its clause ("centrifuges running", "were killed"); read once per entry."""
    if "states" in entry:
        return entry["states"]
    out: set[str] = set()
    for k, start, f in _places(story, entry):
        text = story.articles[k].text
        before = _CLAUSE_END.split(text[max(0, start - 80) : start])[-1]
        after = _CLAUSE_END.split(text[f.end : f.end + 80])[0]
        window = " ".join(before.split()[-_STATE_DATA["window_before"]:] + [f.text]
                          + after.split()[: _STATE_DATA["window_after"]])
        out |= {name for name, pattern in STATES.items() if pattern.search(window)}
    entry["states"] = out
    return out


NEAR_FIGURE_SIM = 0.25
SHARED_AROUND = 2
_AROUND_WORDS = 10
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _around(story: StoryText, entry: dict) -> set[str]:
    """The content words (cut to six letters) within ten words of the places of a merged figure, in
    its sentence, not counting what it counts."""
    unit = set((entry["figure"].unit or "").lower().split())
    out: set[str] = set()
    for k, start, f in _places(story, entry):
        text = story.articles[k].text
        sentence = next((u for u in story.units if u.article == k and u.start <= start < u.end), None)
        lo, hi = (sentence.start, sentence.end) if sentence else (max(0, start - 300), f.end + 300)
        words = _WORD.findall(text[lo:start])[-_AROUND_WORDS:] + _WORD.findall(text[f.end : hi])[:_AROUND_WORDS]
        out |= {w.lower()[:6] for w in words if len(w) > 2 and w.lower() not in _STOP_WORDS and w.lower() not in unit}
    return out


def _citing(story: StoryText, ks: set[int], text: str) -> tuple[str, ...]:
    """Those of the articles ``ks`` (and their syndicated copies) that print ``text``."""
    ids: list[str] = []
    for k in sorted(ks):
        article = story.articles[k]
        if text in article.text:
            ids.append(article.id)
        ids.extend(c.id for c in story.copies_of.get(article.id, ()) if text in c.text)
    return tuple(ids)


def figure_sentences(story: StoryText) -> dict[tuple[int, int], int]:
    """The unit (sentence) holding each figure, by (article index, figure start); figures past the
    sentences the synthesis reads have none."""
    units_of: dict[int, list[int]] = defaultdict(list)
    for i, u in enumerate(story.units):
        units_of[u.article].append(i)
    found: dict[tuple[int, int], int] = {}
    for k, spans in enumerate(story.figures):
        for f in spans:
            i = next((i for i in units_of[k] if story.units[i].start <= f.start < story.units[i].end), None)
            if i is not None:
                found[k, f.start] = i
    return found


# Who gives a figure, read from its sentence before the claims' general reading (:func:`figure_givers`).
# ``who``: a source as the sentence names it (up to six words after a clause break); the figure must
# follow the verb (``after``) or, for a source named at the end, precede it (``before``).
_WHO = r"(?P<who>(?:(?:the|a|an|its|their|his|her|our)\s+)?(?:[\w.&'’–-]+\s+){0,5}?[\w.&'’–-]+)"
_ASIDE = r"(?:,\s+(?:which|who|released|published|conducted|issued)\b[^,]{0,60},)?"
_DATA = r"(?:(?:the\s+|latest\s+|new\s+|official\s+|preliminary\s+)*(?:estimates?|figures|data|numbers|counts?|tally|tallies|analysis|calculations?))"
GIVER_PATTERNS = (
    # "according to estimates by anti-hunger advocates", "figures from the health ministry"
    ("any", re.compile(rf"\b(?:according\s+to\s+)?{_DATA}\s+(?:by|from|of|compiled by|released by)\s+{_WHO}(?=[,.;]|\s+(?:show|showed|suggest|put|say|said|released|published)\b|$)", re.IGNORECASE)),
    # "the ministry put the toll at", "officials estimated the crowd at"
    ("after", re.compile(rf"(?:^|[,;:]\s+|\bthat\s+|\band\s+){_WHO}\s+(?:put|puts|putting|placed|places|estimated|estimates|estimate|pegged|pegs|pegging)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){{0,4}}?at\s+", re.IGNORECASE)),
    # "the FDA estimates that", "the survey found that", "a court filing shows", "He listed"
    ("after", re.compile(rf"(?:^|[,;:]\s+|\b(?:that|which)\s+|\b(?:In fact|Meanwhile|However|But|And|Also)\s*,?\s+){_WHO}{_ASIDE}\s+(?:also\s+)?(?:estimates?|estimated|found|finds|shows?|showed|shown|listed|lists|reported|reports|puts|put|counted|counts|tallied)\s+(?:that\s+)?", re.IGNORECASE)),
    # "It also said it suspended ...", "He says ...": a pronoun subject of a verb of saying
    ("after", re.compile(r"(?:^|[,;:]\s+|\b(?:that|and|but)\s+)(?P<who>[Ii]t|[Hh]e|[Ss]he)\s+(?:also\s+)?(?:said|says|told|added|announced|reported|claimed)\b")),
    # "..., a court filing shows.", "..., the report found."
    ("before", re.compile(rf"[,;]\s+{_WHO}\s+(?:shows?|showed|found|finds|says|said|reported|reports|estimates?|estimated|indicates?|indicated)\s*[.!]?[\s”\"’]*$", re.IGNORECASE)),
)  # fmt: skip
_PRONOUN = {"he": "person", "she": "person", "it": "organization", "they": None, "we": None}
_CLAUSE_WORDS = frozenset({"after", "before", "when", "while", "because", "if", "since", "as", "it", "he", "she",
                           "they", "we", "that", "which", "who", "but", "was", "were", "is", "are", "had", "has"})
_NOT_GIVER = frozenset({"which", "that", "this", "there", "who", "what", "one", "some", "many", "most", "all", "it's"})


def _pattern_giver(story: StoryText, k: int, unit_start: int, sentence: str, at: int) -> str | None:
    """The source a figure-reading pattern names for the figure at ``at`` (offset in ``sentence``)."""
    for where, pattern in GIVER_PATTERNS:
        for m in pattern.finditer(sentence):
            if where == "after" and not m.end("who") < at:
                continue
            if where == "before" and not at < m.start("who"):
                continue
            who = re.sub(r"^(?:(?:which|that|the|a|an|its|their|his|her|our|another|this|one|new|latest|recent)\s+)+", "",
                         m.group("who"), flags=re.IGNORECASE)
            who = re.sub(r"\s+(?:published|released|conducted|led|funded|carried|issued|filed)\b.*$", "", who).strip(" .,;:")
            low = who.lower()
            if low in _PRONOUN:
                return _antecedent(story, k, unit_start + m.start("who"), _PRONOUN[low])
            if not who or low.split()[0] in _NOT_GIVER or any(ch.isdigit() for ch in who):
                continue
            if set(low.split()[1:]) & _CLAUSE_WORDS:
                continue  # "company suspended dividend payments after it": a clause, not a source
            return clean_actor(who, parsed=True)
    return None


def _antecedent(story: StoryText, k: int, pos: int, kind: str | None) -> str | None:
    """The last person (``he``/``she``) or organisation (``it``) mentioned before ``pos`` in article ``k``."""
    if kind is None:
        return None
    before = [m for m in story.mentions[k] if m.end <= pos and m.kind == kind]
    return before[-1].name if before else None


def figure_givers(
    story: StoryText,
    name: Callable[[str | None], str | None] = lambda n: n,
    sentence_of: dict[tuple[int, int], int] | None = None,
) -> dict[tuple[int, int], str | None]:
    """Who gives each figure, by (article index, figure start): the speaker of the quote it stands
    in, else the actor the claims read in its sentence (:func:`claims.actor_of`: the subject of the
    verb of saying that governs it, the source "according to" names), else None (the article's own
    voice, or a sentence past those the synthesis reads); ``sentence_of``: :func:`figure_sentences`."""
    sentence_of = figure_sentences(story) if sentence_of is None else sentence_of
    givers: dict[tuple[int, int], str | None] = {}
    at: dict[tuple[int, int], int] = {}
    for k, spans in enumerate(story.figures):
        for f in spans:
            givers[k, f.start] = None
            if f.kind == "furniture":
                continue  # page text (a linked headline, an appeal) is nobody's figure
            quote = next((q for q in story.quotes[k] if q.start <= f.start < q.end), None)
            if quote is not None:
                givers[k, f.start] = name(quote.speaker) if _is_name(quote.speaker) else _according_before(story, k, quote.start)
                continue
            if (k, f.start) in sentence_of:
                at[k, f.start] = sentence_of[k, f.start]
    prime_givers([story.units[i].text for i in set(at.values())])
    for (k, start), i in at.items():
        unit = story.units[i]
        f_at = start - unit.start
        reading = read_giver(unit.text, f_at)
        if reading.phrase is not None:
            givers[k, start] = _read_name(story, k, unit.start, reading, name)
            if givers[k, start] is not None:
                continue
        if reading.parsed and not reading.governed:
            # No verb of saying governs it (or its subject holds it): the article's own voice, unless
            # a figure-reading pattern names a source ("estimates by", "figures from", "put ... at").
            givers[k, start] = name(_pattern_giver(story, k, unit.start, unit.text, f_at))
            continue
        if any(unit.start <= q.start < unit.end for q in story.quotes[k]):
            # Beside a quote, not in it ("Royalties from Obama's books, "…", totaled $70,000"; "“…”
            # Davidson, 24, joked"): the quote's speaker does not give it; only a verb of saying does.
            found = reporter(unit.text, story.mentions[k], unit.start, story.articles[k].text)
            givers[k, start] = clean_actor(name(found), parsed=True)
        else:
            found = actor_of(story, i, name)
            read = _pattern_giver(story, k, unit.start, unit.text, f_at)
            if read and (found is None or found.lower() in _WEAK_GIVERS or found.split()[0].lower() in _PRONOUN):
                found = name(read)
            elif found and found.split()[0].lower() in _PRONOUN and len(found.split()) == 1:
                found = _antecedent(story, k, unit.start, _PRONOUN[found.lower()])
            givers[k, start] = found
    for key, giver in givers.items():
        if giver is not None and _GLUED.search(giver):
            givers[key] = None  # "John McCain John Sidney McCainSunday shows preview": linked headlines run into a name
    return givers


# A name run into the next link's words on a page of linked headlines ("McCainSunday").
_GLUED = re.compile(r"[a-z]{3,}[A-Z][a-z]{2,}")
_ACCORDING_BEFORE = re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+|an?\s+)?(?P<who>[^:;,“”\"]{2,60}?)\s*[:,]\s*[“\"‘']?\s*$")


def _is_name(speaker: str | None) -> bool:
    """Whether a quote's speaker is a name and not a word the quote reader took for one ("According")."""
    return speaker is not None and speaker.split()[0].lower() not in {"according", "to", "as", "per"}


def _according_before(story: StoryText, k: int, at: int) -> str | None:
    """The source an "According to X:" right before a quote at ``at`` of article ``k`` names."""
    m = _ACCORDING_BEFORE.search(story.articles[k].text[max(0, at - 100) : at])
    return clean_actor(m.group("who"), parsed=True) if m else None


def _read_name(story: StoryText, k: int, unit_start: int, reading, name: Callable[[str | None], str | None]) -> str | None:
    """The giver :func:`givers.read_giver` read, as the story names it (a pronoun as the person or
    organisation it refers to, a name in its fullest form)."""
    phrase = reading.phrase
    low = phrase.lower()
    if low in _PRONOUN:
        return _antecedent(story, k, unit_start + reading.start, _PRONOUN[low])
    if any(ch.isdigit() for ch in phrase) or low.split()[0] in _NOT_GIVER:
        return None
    if phrase[:1].isupper():  # "Lopez" as the article names her in full before ("Maria Lopez")
        at = unit_start + reading.start
        fuller = [m.name for m in story.mentions[k] if m.kind == "person" and m.start <= at
                  and (m.name == phrase or m.name.endswith(" " + phrase))]
        if fuller:
            phrase = max(fuller, key=len)
    return clean_actor(name(phrase), parsed=True)


def merged_figures(story: StoryText) -> dict[tuple[float | None, str, str | None], dict]:
    """The story's figures merged by (value, what they count, who gives them); each entry holds its
    texts, first place, one figure, the articles (``in``), sentences (``units``) and places (``at``:
    article index and start) where it is given."""
    name = speaker_names(story, _speakers(story))
    sentence_of = figure_sentences(story)
    givers = figure_givers(story, name, sentence_of)
    merged: dict[tuple[float | None, str, str | None], dict] = {}
    for k, article in enumerate(story.articles):
        spans = story.figures[k]
        for n, f in enumerate(spans):
            speaker = givers.get((k, f.start))
            j, last = n, f
            while j + 1 < len(spans) and last.unit == spans[j + 1].unit and _RANGE_GAP.fullmatch(article.text, last.end, spans[j + 1].start):
                j, last = j + 1, spans[j + 1]  # "between $50,001 and $100,000 in royalties": both USD royalties
            context = article.text[last.end : last.end + 40]
            group = _group_key(f.unit, f.qualifier)
            if f.unit == "%":
                of = re.search(r"\bof\s+(.+)$", f.text)
                group = "% of " + _group_key(of.group(1).split()[-1], None) if of else "%"
            elif f.unit in ("USD", "GBP", "EUR", "JPY"):
                noun = re.match(r"\s+(?:in\s+)?([a-z][a-z-]+)", context)  # "$2 billion in aid": USD aid
                group = f"{f.unit} {noun.group(1)}" if noun and noun.group(1) not in _NOT_THING else f.unit
            key = (f.value, group, speaker)
            base = base_value(f.value, f.unit) if f.value is not None else 0.0
            entry = merged.setdefault(
                key, {"texts": Counter(), "first": (k, f.start), "figure": f, "in": set(), "units": set(), "at": set(),
                      "hedges": Counter(), "hedge_of": {}, "base": base, "converted": base != f.value, "kinds": Counter()}
            )
            shown = article.text[f.hedge_start : f.end] if f.hedge and f.hedge_start is not None else f.text
            entry["texts"][shown] += 1
            entry["hedge_of"][shown] = f.hedge
            entry["hedges"][f.hedge] += 1
            entry["kinds"][f.kind] += 1
            entry["in"].add(k)
            entry["at"].add((k, f.start))
            if (k, f.start) in sentence_of:
                entry["units"].add(sentence_of[k, f.start])
    # A figure nobody is credited with joins the same value of the same thing credited to someone.
    for key in [k for k in merged if k[2] is None]:
        credited = [k for k in merged if k[:2] == key[:2] and k[2] is not None]
        if credited:
            _fold(merged[credited[0]], merged.pop(key))
    # "White House official" and "senior White House official" giving one value are one source.
    for key in sorted(merged, key=lambda k: len(k[2] or "")):
        if key[2] is None:
            continue
        words = key[2].lower().split()
        longer = [
            k for k in merged
            if k[:2] == key[:2] and k[2] and len(k[2]) > len(key[2]) and k[2].lower().split()[-len(words):] == words
        ]
        if longer:
            _fold(merged[longer[0]], merged.pop(key))
    # One value given in two units by one giver ("75 miles (120 km)") is one row: the two side by side.
    for key in sorted((k for k in merged if merged[k]["converted"]), key=lambda k: (k[1], str(k[2]), k[0] or 0)):
        twin = next((k for k in merged if k != key and k[1:] == key[1:] and _same_value(merged[k], merged[key])
                     and _side_by_side(merged[k], merged[key])), None)
        if twin is not None and key in merged:
            _fold(merged[twin], merged.pop(key))
    for entry in merged.values():
        # the most given hedge; a tie goes to the hedge of the first place ("40-odd" there, "some 40" elsewhere)
        hedged = [(n, h == entry["figure"].hedge, h) for h, n in entry["hedges"].items() if h]
        entry["qualifier"] = max(hedged)[2] if hedged else None
    return merged


def _side_by_side(a: dict, b: dict, gap: int = 40) -> bool:
    """Whether some place of ``a`` and some place of ``b`` are in one article within ``gap`` characters."""
    return any(ka == kb and abs(sa - sb) <= gap for ka, sa in a["at"] for kb, sb in b["at"])


def _key_figure(story: StoryText, entry: dict) -> bool:
    """Whether a merged figure is a key figure of the story: not a phone number or page furniture, and
    not an age or a price unless the story is about it (at least half its articles, and two, give it)."""
    kinds = entry["kinds"]
    marked = [(n, k) for k, n in kinds.items() if k is not None]
    if not marked or max(marked)[0] < kinds[None]:
        return True  # most places give it as a figure of the story's matter
    kind = max(marked)[1]  # a tie goes to the mark ("she was 33" here, a bare "33" there)
    if kind in _KINDS_ABOUT:
        widely = len(entry["in"]) >= max(2, (len(story.articles) + 1) // 2)
        # an age printed in every article of a person is still an age; a story about one says so ("the oldest")
        return widely and (kind != "age" or any(AGE_TOPIC.search(story.units[i].text) for i in entry["units"]))
    return False


def merge_figures(story: StoryText) -> tuple[Figure, ...]:
    """Figures with who gives them, merged by value and source, grouped by what they count.

    Each figure cites the articles in which that source gives that value, not every article that
    prints the same number for someone else ("the US says 130,000" and "Western estimates put it at
    130,000" are two rows, each with its own outlets)."""
    merged = merged_figures(story)
    figures: list[tuple[tuple[int, int], Figure]] = []
    for (value, group, speaker), entry in merged.items():
        if not _key_figure(story, entry):
            continue
        texts: Counter[str] = entry["texts"]
        qualifier = entry["qualifier"]
        # The words shown: those that every article giving it prints, when its phrasings differ only
        # after the number ("2,000 troops" / "2,000 soldiers" -> "2,000"), else the most cited.
        shown = {t: (entry["hedge_of"].get(t), texts[t]) for t in texts}
        for t in texts:
            words = t.split(" ")
            for n in range(1, len(words)):
                head = " ".join(words[:n])
                if any(ch.isdigit() for ch in words[n - 1]) and head not in shown:
                    shown[head] = (entry["hedge_of"].get(t), 0)
        citing = {t: _citing(story, entry["in"], t) for t in shown}  # where this source gives it, in these words
        # (the row keeps its qualifier in ``qualifier`` when an article giving it drops it from its words)
        text = max(shown, key=lambda t: (len(citing[t]), shown[t][0] == qualifier, shown[t][1], len(t), t))
        f = entry["figure"]
        disagrees = _disagreeing(story, merged, (value, group, speaker))
        cited = citing[text]
        givers = (speaker,) if speaker else tuple(dict.fromkeys(story.outlets[i] for i in cited if i in story.outlets))
        figures.append(
            (
                entry["first"],
                Figure(value, f.unit, text, speaker, cited, group=group, disagrees=disagrees,
                       qualifier=qualifier, givers=givers),
            )
        )
    figures.sort(key=lambda kv: kv[0])
    ranked = sorted(figures, key=lambda kv: (-len(kv[1].article_ids), -(kv[1].attributed_to is not None), kv[0]))
    keep = {id(f) for _, f in ranked[:MAX_FIGURES]}
    return tuple(f for _, f in figures if id(f) in keep)
