"""Canonical names of a story: one name per person, organisation and place, its variants kept as aliases.

:class:`StoryNames` is fitted on the entity mentions of a story's articles (and the speaker names its
quotes give); then :meth:`StoryNames.name` maps any heading (an entity, a quote speaker, a claim
actor, a figure source) to the story's one name for that referent, and :meth:`StoryNames.aliases`
gives the variants it stands for. The passes, most precise first:

1. the alias table (``data/aliases.txt``): "UK", "U.K.", "Britain" -> "United Kingdom"; "AFP" ->
   "Agence France-Presse". Its names are the same in every story, so the site merges them too;
2. persons: spellings of one full name ("Zelenskiy" / "Zelenskyy"), a surname or a first name that
   ends or starts exactly one full name of the story, titles dropped ("Mr. Biden" -> "Joe Biden");
3. organisations and places: spellings up to case, dots and "the" ("U.N." / "UN"), and an acronym
   that spells exactly one longer name of the story ("NHS" -> "National Health Service");
4. roles: a role written before a full name in any article ("NATO Secretary-General Jens
   Stoltenberg") names that person when the story ties the role to no one else ("the
   secretary-general"); a role tied to no name, or to two, stays as written.

Types: publications (``data/outlets.txt``, and the known outlets of ``clean/data/outlets.tsv`` that
are no plain word) are organisations; a name of the alias table takes its row's type; a person's
surname typed otherwise joins the person; a mention after a role, kin or relation word ("his
girlfriend, Chanel") is a person's; a known place that is not part of a person's name is a place,
whatever its last word ("West Bank"); links of a menu bar ("Share | Email | Print") and units run
into a number ("32GB") are no names.

>>> from parallax.text.entities import Mention
>>> text = "NATO Secretary-General Jens Stoltenberg met UK officials. Britain and the U.K. press (AFP) said Stoltenberg left."
>>> ms = [Mention("NATO", "organization", 0, 4), Mention("Jens Stoltenberg", "person", 23, 39),
...       Mention("UK", "place", 44, 46), Mention("Britain", "place", 58, 65), Mention("U.K.", "place", 74, 78),
...       Mention("AFP", "person", 86, 89), Mention("Stoltenberg", "organization", 96, 107)]
>>> names = StoryNames().fit([ms], [text], extra=["the secretary-general"])
>>> [names.name(n) for n in ("U.K.", "Britain", "Stoltenberg", "the secretary-general", "AFP")]
['United Kingdom', 'United Kingdom', 'Jens Stoltenberg', 'Jens Stoltenberg', 'Agence France-Presse']
>>> names.kind("Agence France-Presse"), names.kind("Jens Stoltenberg"), names.aliases("United Kingdom")
('organization', 'person', ('Britain', 'U.K.', 'UK'))
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from ..clean.outlets import outlet_key
from ..clean.outlets import table as outlet_table
from ..models import Figure, Synthesis
from ..text.entities import TITLES, Mention, MentionKind, _token_key, canonical_names, name_key, strip_titles
from ..text.places import is_place
from ..text.quotes.lexicon import KIN_GENDER, RELATIONS, ROLES, VERBS_OF_SAYING
from .analysis import StoryText

_STOP = frozenset({"of", "the", "and", "for", "&", "de", "du", "la", "le", "des", "on", "in", "at"})
_ROLE_WORDS = TITLES | frozenset(
    {"secretary-general", "spokesman", "spokeswoman", "press", "attorney", "lawyer", "coach", "manager",
     "founder", "executive", "chief", "president-elect", "senior", "adviser", "advisor", "aide", "envoy",
     "negotiator", "economist", "analyst", "researcher", "scientist", "author", "co-founder", "owner",
     "actor", "actress", "singer", "rapper", "star", "host", "anchor", "reporter", "editor", "columnist"}
)  # fmt: skip
# Offices one person holds at a time: a bare "the president" may name the one the story ties it to.
_OFFICES = frozenset(
    {"president", "vice-president", "secretary-general", "chancellor", "premier", "governor", "mayor", "pope",
     "king", "queen", "commissioner", "sheriff", "superintendent", "ceo", "chairman", "chairwoman", "coach"}
)  # fmt: skip
_SAYING = frozenset(VERBS_OF_SAYING)
_ROLE_GLUE = frozenset({"of", "the", "for", "and", "&"})
_WORD = re.compile(r"[\w'’.-]+")
_PLAIN_WORD = re.compile(r"\w+")
_WORDS_DIGITS = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?;:\n\"“”(]\s")
_PLAIN = re.compile(r"[\s.'’]+")
# Page furniture spaCy takes for a name: "Justin Sink - Tweet Jon Huntsman", "AP Photo/Eric Gay, File".
# "Julia Roberts‘ half-sister": a name run into the words after a possessive is no name of its own.
_TRAILING_WORDS = re.compile(r"[‘’'`]\s+[a-z]")
_KIN = frozenset({"mom", "dad", "mommy", "daddy", "mum", "grandma", "grandpa", "granny", "mother", "father"})
MENU_BARS = 2  # "|" in the line within MENU_REACH characters of a name that one of them touches: a bar of links
MENU_REACH = 60


def _in_menu(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is an item of a bar of links ("Share | Email | Print"): a "|" next
    to it (spaces aside) and :data:`MENU_BARS` of them in its line within :data:`MENU_REACH` characters.

    >>> _in_menu("Share | Email | Print", 16, 21), _in_menu("Print this | it said.", 0, 5)
    (True, False)
    """
    before, after = text[max(0, start - 8) : start].rstrip(" \t"), text[end : end + 8].lstrip(" \t")
    if not (before.endswith("|") or after.startswith("|")):
        return False
    lo = max(text.rfind("\n", 0, start) + 1, start - MENU_REACH)
    hi = text.find("\n", end)
    hi = min(hi if hi >= 0 else len(text), end + MENU_REACH)
    return text.count("|", lo, hi) >= MENU_BARS


_PAGE_TEXT = re.compile(r"\b(?:Tweet|Newsletter|Latest|Photo)\b|[/|]|^&", re.IGNORECASE)


# Role, kin and relation words that, written just before a name ("his girlfriend, Chanel", "co-host
# Ainsley Earhardt"), say it names a person.
_PERSON_CUES = (_ROLE_WORDS | frozenset(KIN_GENDER) | RELATIONS | frozenset(ROLES)) - frozenset(
    {"police", "authorities", "sources", "source", "state", "first", "former", "press", "head", "family", "parents",
     "foreign", "interior", "finance", "defence", "defense", "deputy", "acting", "officials", "officers", "investigators",
     "prosecutors", "witnesses", "experts", "analysts", "researchers", "scientists", "diplomats", "ministers", "aides",
     "lawyers", "attorneys", "star", "host"}
) | {"host", "co-host"}
_WORD_BEFORE = re.compile(r"([A-Za-z][\w-]*)\s*,?\s*$")


def _person_by_role(m: Mention, text: str) -> Mention:
    """``m`` as a person when a role, kin or relation word (in lower case, or capitalised at the start
    of a sentence) stands just before it
    ("his girlfriend, Chanel": spaCy's "organisation"), unless it is a known place, an outlet, a
    name of the alias table or holds a word that types names (``data/name_heads.txt``: "Institute")."""
    if m.kind == "person" or m.start == 0:
        return m
    window = text[max(0, m.start - 30) : m.start]
    found = _WORD_BEFORE.search(window)
    if found is None:
        return m
    word = found.group(1)
    opens = not window[: found.start()].strip() or window[: found.start()].rstrip()[-1] in ".!?\"“"
    if not (word.islower() or (opens and word[1:].islower())):
        return m  # "the Attorney Consumer Assistance Program": a capitalised word inside a sentence is part of a name
    if word.lower() not in _PERSON_CUES and word.lower().rsplit("-", 1)[-1] not in _PERSON_CUES:
        return m
    if is_known_place(m.name) or is_outlet(m.name) or table_name(m.name) is not None:
        return m
    if any(_heads().get(w.casefold()) for w in m.name.split()):
        return m  # "scientist, Feinstein Institute for Medical Research"
    return replace(m, kind="person")


@lru_cache(maxsize=65536)
def _fold(name: str) -> str:
    """Case, dots, apostrophes, spaces and a leading "the" folded: "the U.K." -> "uk"."""
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    return _PLAIN.sub(" ", name.casefold()).replace(" ", "") if len(name) <= 6 else " ".join(
        _PLAIN.sub(" ", name.casefold()).split()
    )


def _short_caps(alias: str) -> bool:
    letters = alias.replace(".", "")
    return len(letters) <= 4 and letters.isupper()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, MentionKind]], dict[str, tuple[str, MentionKind]], frozenset[str]]:
    """(capitals-only aliases, folded aliases, folded outlet names) from the package's data files."""
    exact: dict[str, tuple[str, MentionKind]] = {}
    folded: dict[str, tuple[str, MentionKind]] = {}
    data = resources.files("parallax") / "data"
    for line in (data / "aliases.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, names = line.partition(":")
        forms = [n.strip() for n in names.split("|") if n.strip()]
        row = (forms[0], kind.strip())  # type: ignore[assignment]
        for form in forms:
            if _short_caps(form):
                exact[form.replace(".", "")] = row  # type: ignore[assignment]
            else:
                folded.setdefault(_fold(form), row)  # type: ignore[arg-type]
    return exact, folded, _names_of("outlets.txt")


@lru_cache(maxsize=8)
def _names_of(filename: str) -> frozenset[str]:
    """The folded names of one "|"-separated list of the package's data (``#`` lines are comments)."""
    found: set[str] = set()
    text = (resources.files("parallax") / "data" / filename).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            found.update(_fold(n) for n in line.split("|") if n.strip())
    return frozenset(found)


@lru_cache(maxsize=1)
def _heads() -> dict[str, str]:
    """Last word -> type, from ``data/name_heads.txt``."""
    heads: dict[str, str] = {}
    text = (resources.files("parallax") / "data" / "name_heads.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, words = line.partition(":")
            for word in words.split("|"):
                heads.setdefault(word.strip().casefold(), kind.strip())
    return heads


def head_kind(name: str) -> str | None:
    """The type the last word of a multi-word name gives ("Great Recession" -> "other"), or None."""
    words = name.split()
    return _heads().get(words[-1].casefold()) if len(words) >= 2 else None


def is_group(name: str) -> bool:
    """Whether ``name`` is a group of people by nationality, religion or ethnicity (``data/groups.txt``)."""
    return _fold(name) in _names_of("groups.txt")


def is_known_place(name: str) -> bool:
    """A country, capital or region of :mod:`parallax.text.places`, or a state, province, city or
    region of ``data/places.txt``."""
    return is_place(name) or _fold(name) in _names_of("places.txt")


def table_name(name: str) -> tuple[str, MentionKind] | None:
    """The alias table's canonical name and type for ``name`` ("U.K." -> ("United Kingdom", "place"))."""
    exact, folded, _ = _tables()
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    if len(name.replace(".", "")) <= 4:
        # "US" and "U.S." match as written only; "us" or "Us" is not the country
        return exact.get(name.replace(".", "")) if _short_caps(name) else None
    return folded.get(_fold(name))


def is_outlet(name: str) -> bool:
    """Whether ``name`` is a publication of ``data/outlets.txt`` (a newspaper, agency, network, site)
    or a name of the known outlets' table (``clean/data/outlets.tsv``, :func:`_table_outlets`)."""
    return _fold(name) in _tables()[2] or (len(name) > 2 and outlet_key(name) in _table_outlets())


@lru_cache(maxsize=1)
def _table_outlets() -> frozenset[str]:
    """The comparison keys of the outlet names of ``clean/data/outlets.tsv`` that are no plain word:
    names of two words or more, or written otherwise than a capitalised word ("MarketWatch", "RFI").
    "Time", "Metro" or "Express" alone are words more often than the outlet ("Time's Up")."""
    names = set(outlet_table().values())
    return frozenset(outlet_key(n) for n in names if len(n.split()) >= 2 or not (n.istitle() and n.isalpha()))


def acronym(name: str) -> str:
    """The capitals a multi-word name is abbreviated to ("National Health Service" -> "NHS")."""
    words = [w for w in re.split(r"[\s\-–/]+", name) if w and w.lower() not in _STOP]
    return "".join(w[0] for w in words if w[:1].isalpha()).upper() if len(words) >= 2 else ""


def _role_before(text: str, start: int) -> str:
    """The role written just before a name ("NATO Secretary-General " before "Jens Stoltenberg"),
    lower-case, without a leading "the"; "" when none."""
    window = text[max(0, start - 80) : start]
    cut = max((m.end() for m in _SENTENCE_END.finditer(window)), default=0)
    words = _WORD.findall(window[cut:])
    role: list[str] = []
    for word in reversed(words):
        low = word.lower().strip(".")
        if low in _ROLE_WORDS or (word[:1].isupper() and low not in _STOP) or (role and low in _ROLE_GLUE):
            role.insert(0, low)
            continue
        break
    while role and role[0] in _ROLE_GLUE:
        role.pop(0)
    if not any(w in _ROLE_WORDS for w in role):
        return ""
    return " ".join(role)


def _role_key(heading: str) -> str:
    """A heading as a role: lower-case, "the" and possessive "'s" dropped ("The alliance's chief" ->
    "alliance chief")."""
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(heading)]
    return " ".join(w for w in words if w not in ("the", "a", "an"))


class StoryNames:
    """One canonical name per referent of one story (fit on mentions, then map any heading)."""

    def __init__(self) -> None:
        self._canonical: dict[str, str] = {}
        self._kinds: dict[str, Counter[str]] = defaultdict(Counter)
        self._forms: dict[str, Counter[str]] = defaultdict(Counter)
        self._roles: dict[str, set[str]] = defaultdict(set)
        self._fixed_kind: dict[str, MentionKind] = {}
        self._common: frozenset[str] = frozenset()
        self._furniture: frozenset[str] = frozenset()
        self._rules: dict[str, tuple[str, str]] = {}  # rule() of each display, once fitting has set its inputs
        self._words: Counter[str] = Counter()

    # -- fitting ---------------------------------------------------------------------------------

    def fit(
        self, mentions: Sequence[Sequence[Mention]], texts: Sequence[str] = (), extra: Iterable[str] = ()
    ) -> StoryNames:
        """Learn the story's names from its mentions (``texts[k]`` holds ``mentions[k]``; it gives the
        roles written before names) and ``extra`` headings (quote speakers)."""
        if len(texts) == len(mentions):
            mentions = [[_person_by_role(m, text) for m in ms] for ms, text in zip(mentions, texts)]
        flat = [m for ms in mentions for m in ms]
        extra = [e for e in extra if e and e[:1].isupper()]
        table = {m.name: table_name(m.name) for m in flat}
        people = [m.name for m in flat if m.kind == "person" and table[m.name] is None and not is_outlet(m.name)
                  and not _TRAILING_WORDS.search(m.name)]
        self._words = Counter(w for text in texts for w in _PLAIN_WORD.findall(text))  # one pass over the story
        clean = _edge_cleaner(people, self._words)
        plain = [clean(n) for n in [*people, *extra]]
        merged = _merge_full_names(canonical_names(plain), Counter(plain))
        person_map = {n: merged[c] for n, c in zip([*people, *extra], plain)}
        displays = {person_map[n] for n in people}
        firsts = self._first_names(displays)
        person_map = {
            n: firsts.get(name_key(d), d) if " " not in d else d for n, d in person_map.items()
        }
        person_map = _initials(person_map)
        person_map = _title_votes(person_map, mentions, texts)
        person_map = _introduced_votes(person_map, mentions, texts)
        person_keys = {name_key(d): d for d in set(person_map.values()) if " " in d}
        weights = Counter(person_map[n] for n in people)
        by_last: dict[str, dict[str, int]] = defaultdict(dict)
        for display in person_keys.values():
            for last in _lasts(display):
                by_last[last][display] = weights[display]
        surnames = {last: owner for last, fulls in by_last.items() if (owner := surname_owner(fulls))}
        # organisations and places: spellings, then acronyms of one longer name of the story
        others = [m.name for m in flat if m.kind != "person" and table[m.name] is None]
        other_map = _spellings([_unshout(n) for n in others])
        other_map = {n: other_map.get(_unshout(n), _unshout(n)) for n in others}
        by_fold: dict[str, str] = {}
        for display in Counter(other_map.values()):
            by_fold.setdefault(_fold(display), display)
        expansions: dict[str, set[str]] = defaultdict(set)
        for display in set(other_map.values()):
            if " " in display:
                expansions[acronym(display)].add(display)

        for m in flat:
            kind: str = m.kind
            row = table[m.name]
            if row is not None:
                display, kind = row
                self._fixed_kind[display] = row[1]
            elif is_outlet(m.name) and not (m.kind == "person" and " " in person_map.get(m.name, "")):
                display = other_map.get(m.name) or _unshout(m.name)
                display = by_fold.get(_fold(display), display)
                self._fixed_kind[display] = "organization"
                kind = "organization"
            elif m.kind == "person":
                display = person_map.get(m.name, m.name)
            else:
                key = name_key(m.name)
                display = by_fold.get(_fold(other_map.get(m.name, m.name)), other_map.get(m.name, m.name))
                compact = m.name.replace(".", "")
                if key in person_keys:
                    display, kind = person_keys[key], "person"  # a person's name tagged as an organisation
                elif key and " " not in key and key in surnames:
                    display, kind = surnames[key], "person"  # "Trump" tagged as an organisation
                elif key and " " not in key and key in firsts and not is_place(m.name):
                    display, kind = firsts[key], "person"
                elif compact.isupper() and 2 <= len(compact) <= 6 and len(expansions.get(compact, ())) == 1:
                    display = next(iter(expansions[compact]))  # "NHS" -> "National Health Service"
            self._add(m.name, display, kind)
        for name in extra:
            if name not in self._canonical:
                row = table_name(name)
                self._canonical[name] = row[0] if row else person_map.get(name, name)
        self._common = self._common_words(texts)
        self._furniture = self._furniture_names(mentions, texts)
        self._rules = {}
        self._fit_roles(mentions, texts)
        return self

    def _common_words(self, texts: Sequence[str]) -> frozenset[str]:
        """One-word names the story writes in lower case at least as often as capitalised
        ("Neighbors", "Personality", "Mom" at the start of a sentence or a headline): words, not names."""
        single = [d for d in self._forms if " " not in d and d[:1].isupper() and not d.isupper()
                  and d not in self._fixed_kind]
        if not single or not texts:
            return frozenset()
        words = self._words
        found = {w for w in single if words[w.lower()] and words[w.lower()] >= words[w]}
        return frozenset(found)

    def _furniture_names(self, mentions: Sequence[Sequence[Mention]], texts: Sequence[str]) -> frozenset[str]:
        """Names every mention of which is page furniture or a unit, not a name: an item of a bar of
        links (:func:`_in_menu`: "Share | Email | Print") or run into a number before it ("32GB")."""
        seen: Counter[str] = Counter()
        furniture: Counter[str] = Counter()
        for ms, text in zip(mentions, texts):
            for m in ms:
                display = self._canonical.get(m.name, m.name)
                seen[display] += 1
                if _in_menu(text, m.start, m.end) or (m.start > 0 and text[m.start - 1].isdigit()):
                    furniture[display] += 1
        return frozenset(d for d, n in furniture.items() if n == seen[d] and d not in self._fixed_kind)

    @staticmethod
    def _first_names(displays: set[str]) -> dict[str, str]:
        """A lone first name that starts exactly one full name of the story ("Kristian")."""
        firsts: dict[str, set[str]] = defaultdict(set)
        for display in displays:
            words = display.split()
            if len(words) >= 2:
                firsts[name_key(words[0])].add(display)
        return {first: next(iter(full)) for first, full in firsts.items() if len(full) == 1}

    def _add(self, written: str, display: str, kind: str) -> None:
        self._canonical[written] = display
        self._kinds[display][kind] += 1
        self._forms[display][written] += 1

    def _fit_roles(self, mentions: Sequence[Sequence[Mention]], texts: Sequence[str]) -> None:
        for ms, text in zip(mentions, texts):
            for m in ms:
                display = self._canonical.get(m.name, m.name)
                if self.kind(display) != "person" or " " not in display:
                    continue
                role = _role_before(text, m.start)
                if role:
                    self._roles[role].add(display)
                    last = role.rsplit(" ", 1)[-1]
                    if last in _OFFICES:
                        self._roles[last].add(display)  # "secretary-general" alone; not "official" alone

    # -- mapping ---------------------------------------------------------------------------------

    def name(self, value: str | None) -> str | None:
        """The story's name for ``value`` (an entity name, speaker, actor or source), else ``value``."""
        if value is None:
            return None
        if value in self._canonical:
            return self._canonical[value]
        row = table_name(value)
        if row is not None:
            return row[0]
        stripped = strip_titles(value)
        if stripped in self._canonical:
            return self._canonical[stripped]
        role = _role_key(value)
        if " " not in role and role not in _OFFICES:
            return value  # "official", "spokesman": a role many people hold stays as written
        tied = self._roles.get(role, ())
        if len(tied) == 1:
            return next(iter(tied))
        return value

    def kind(self, display: str) -> str:
        """The type of a canonical name (:meth:`rule`)."""
        return self.rule(display)[0]

    def rule(self, display: str) -> tuple[str, str]:
        """The rules' type of a canonical name and the rule that gave it: the alias table's or the
        outlet list's ("table"), "none" for a word that is no name (:meth:`_common_words`, page text,
        kin words: "word"; links of a menu bar, units run into a number: "furniture"), a group of people ("group"), the last word of the name ("head"), a
        country or capital ("place") or a place of the lists ("places"), else the majority of its
        mentions' types ("majority")."""
        found = self._rules.get(display)
        if found is None:
            found = self._rules[display] = self._rule(display)
        return found

    def _rule(self, display: str) -> tuple[str, str]:
        if display in self._fixed_kind:
            return self._fixed_kind[display], "table"
        kinds = self._kinds.get(display)
        if not kinds:
            return "other", "majority"
        if display in self._common or _PAGE_TEXT.search(display) or display.casefold() in _KIN:
            return "none", "word"
        if display in self._furniture:
            return "none", "furniture"
        kind = kinds.most_common(1)[0][0]
        if is_group(display):
            return "other", "group"
        # a listed place before the last word: "West Bank" is no bank, "Soviet Union" no union
        if kind != "place" and is_place(display):  # a lone place name: full names took their surnames
            return "place", "place"
        if kind != "person" and is_known_place(display):
            return "place", "places" if kind != "place" else "majority"
        head = head_kind(display)
        if head is not None and kind != "person":
            return head, "head"
        if head in ("organization", "place") and kind == "person" and len(self._forms[display]) == 1:
            return head, "head"  # "James Fort", "Tree of Life Congregation": a person's name has no such last word
        return kind, "majority"

    def aliases(self, display: str) -> tuple[str, ...]:
        """The other spellings and short forms the story writes for ``display``."""
        return tuple(sorted(f for f in self._forms.get(display, ()) if f != display and name_key(f)))

    def mentions(self) -> dict[str, int]:
        """Each canonical name with its number of mentions."""
        return {display: sum(forms.values()) for display, forms in self._forms.items()}


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, str]:
    """First-name key -> the key of its full form, from ``data/nicknames.txt``."""
    table: dict[str, str] = {}
    text = (resources.files("parallax") / "data" / "nicknames.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            forms = [name_key(f.strip()) for f in line.split("|") if f.strip()]
            for form in forms:
                table.setdefault(form, forms[0])
    return table


def _same_first(a: str, b: str) -> bool:
    """First-name keys of one person: equal, one beginning the other ("doug"/"douglas"), or short
    and full forms of one name ("joe"/"joseph")."""
    if a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a))):
        return True
    nick = _nicknames()
    return nick.get(a, a) == nick.get(b, b)


def _lasts(display: str) -> list[str]:
    """The surname keys of a full name: its last token's, and without an Arabic article ("al-Assad"
    is also "Assad")."""
    last = name_key(display).rsplit(" ", 1)[-1]
    return [last, last[2:]] if last[:2] in ("al", "el") and len(last) > 5 else [last]


DOMINANT = 3  # a surname shared by several full names goes to one mentioned this many times more


def surname_owner(fulls: dict[str, int]) -> str | None:
    """Of the full names sharing one surname (with their mentions), the one a bare surname means:
    the only one, or one mentioned :data:`DOMINANT` times as often as all others together."""
    if len(fulls) == 1:
        return next(iter(fulls))
    ranked = sorted(fulls.items(), key=lambda kv: (-kv[1], kv[0]))
    top, rest = ranked[0][1], sum(n for _, n in ranked[1:])
    return ranked[0][0] if top >= DOMINANT * max(rest, 1) else None


def _merge_full_names(mapping: dict[str, str], counts: Counter[str]) -> dict[str, str]:
    """Full names of one person written two ways join the longer: the same first and last name
    ("Luka Magnotta" / "Luka Rocco Magnotta"), or the same last name and first names of one person
    (:func:`_same_first`: "Doug Owsley" / "Douglas Owsley", "Joe Biden" / "Joseph R. Biden Jr.");
    then a surname alone joins the person it means (:func:`surname_owner`)."""
    weight: Counter[str] = Counter()
    for name, display in mapping.items():
        weight[display] += counts[name]
    full = sorted({d for d in mapping.values() if len(name_key(d).split()) >= 2},
                  key=lambda d: (-len(name_key(d).split()), -weight[d], d))
    into: dict[str, str] = {}
    heads: list[tuple[str, str, str]] = []  # (first key, last key, display) of each kept full name
    for display in full:
        tokens = name_key(display).split()
        first, last = tokens[0], tokens[-1]
        for f, l_, kept in heads:
            if l_ == last and _same_first(f, first):
                into[display] = kept
                break
        else:
            heads.append((first, last, display))
    kept_weight: Counter[str] = Counter()
    for display, w in weight.items():
        kept_weight[into.get(display, display)] += w
    by_last: dict[str, dict[str, int]] = defaultdict(dict)
    for _, _, kept in heads:
        for last in _lasts(kept):
            by_last[last][kept] = kept_weight[kept]
    owners = {last: surname_owner(fulls) for last, fulls in by_last.items()}
    out = {}
    for name, display in mapping.items():
        display = into.get(display, display)
        key = name_key(display)
        if key and " " not in key and owners.get(key):
            display = owners[key]  # type: ignore[assignment]
        out[name] = display
    return out


def _spelling_key(name: str) -> str:
    """A key equal for spellings of one organisation's or place's name: every word kept (titles
    too: "First Amendment", "St. Cecilia"), digits too ("A320" is not "A321"), each word folded as
    person names are (:func:`parallax.text.entities.name_key`'s tokens)."""
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    if re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,}", name):
        return name.replace(".", "").lower()  # "U.S.G.S." and "USGS"
    words = _WORDS_DIGITS.findall(name)
    if len(words) > 2 and [w.lower() for w in words[:2]] in (["u", "s"], ["u", "k"]):
        words = words[2:]  # "U.S. Senate" is the Senate of a story that names it both ways
    elif len(words) > 1 and words[0] in ("US", "UK"):
        words = words[1:]
    return " ".join(w.lower() if any(c.isdigit() for c in w) else _token_key(w) for w in words)


def _spellings(names: Sequence[str]) -> dict[str, str]:
    """Each organisation or place name -> the most frequent, then longest, spelling of its key."""
    counts = Counter(n.strip() for n in names if n.strip())
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for form, count in counts.items():
        by_key[_spelling_key(form)][form] += count
    def rank(kv: tuple[str, int]) -> tuple:
        return (kv[1], not re.match(r"(?:U\.?S\.?|U\.?K\.?)\s", kv[0]), len(kv[0]), kv[0])

    display = {key: max(forms.items(), key=rank)[0] for key, forms in by_key.items()}
    return {n: display[_spelling_key(n.strip())] if n.strip() else n for n in names}


def canonical_headings(synthesis: Synthesis, names: StoryNames) -> Synthesis:
    """``synthesis`` with every quote speaker, claim actor and figure source under its canonical
    name; figures that then name one source for one value twice are one row (their articles joined)."""
    quotes = tuple(replace(q, speaker=names.name(q.speaker)) for q in synthesis.quotes)
    claims = tuple(
        replace(c, positions=tuple(replace(p, actor=names.name(p.actor)) for p in c.positions))
        for c in synthesis.claims
    )
    figures: dict[tuple, Figure] = {}
    for f in synthesis.figures:
        f = replace(f, attributed_to=names.name(f.attributed_to))
        key = (f.value, f.unit, f.group, f.attributed_to, f.text)
        if key in figures:
            held = figures[key]
            f = replace(held, article_ids=tuple(dict.fromkeys(held.article_ids + f.article_ids)))
        figures[key] = f
    return replace(synthesis, quotes=quotes, claims=claims, figures=tuple(figures.values()))


def story_names(story: StoryText, extra: Iterable[str] = ()) -> StoryNames:
    """The story's :class:`StoryNames` (fitted once per story and kept in its memo); ``extra``:
    speaker names of its quotes."""
    extra = tuple(extra)
    key = ("story_names", extra)
    names = story.memo.get(key)
    if names is None:
        names = story.memo[key] = StoryNames().fit(story.mentions, [a.text for a in story.articles], extra)
    return names


def _initials(person_map: dict[str, str]) -> dict[str, str]:
    """Initials written as a name ("KD", "JFK") join the one full name of the story they abbreviate."""
    spelled: dict[str, set[str]] = defaultdict(set)
    for display in set(person_map.values()):
        tokens = name_key(display).split()
        if len(tokens) >= 2:
            spelled["".join(t[0] for t in tokens).upper()].add(display)
            spelled[(tokens[0][0] + tokens[-1][0]).upper()].add(display)
    out = dict(person_map)
    for name, display in person_map.items():
        if name == display and name.isalpha() and name.isupper() and 2 <= len(name) <= 3 and len(spelled.get(name, ())) == 1:
            out[name] = next(iter(spelled[name]))
    return out


def _title_votes(person_map: dict[str, str], mentions: Sequence[Sequence[Mention]], texts: Sequence[str]) -> dict[str, str]:
    """A surname that several full names of the story share ("Kennedy": "Anthony Kennedy", "John
    Kennedy") joins the one the story gives the same title ("Justice Kennedy", "Justice Anthony
    Kennedy"): the title words written before its mentions name one of them, and none names another."""
    titles: dict[str, Counter[str]] = defaultdict(Counter)  # written name -> title words before it
    for ms, text in zip(mentions, texts):
        for m in ms:
            if m.name in person_map:
                before = _WORD.findall(text[max(0, m.start - 40) : m.start])
                word = before[-1].lower().strip(".") if before else ""
                if word in _ROLE_WORDS and word not in ("mr", "mrs", "ms", "miss", "dr", "former"):
                    titles[m.name][word] += 1
    held: dict[str, set[str]] = defaultdict(set)  # full display -> its titles
    by_last: dict[str, set[str]] = defaultdict(set)
    for name, display in person_map.items():
        if " " in name_key(display):
            held[display].update(titles.get(name, ()))
            by_last[name_key(display).rsplit(" ", 1)[-1]].add(display)
    out = dict(person_map)
    for name, display in person_map.items():
        key = name_key(name)
        if name != display or not key or " " in key or len(by_last.get(key, ())) < 2:
            continue
        votes = {d for t in titles.get(name, ()) for d in by_last[key] if t in held[d]
                 and sum(t in held[o] for o in by_last[key]) == 1}
        if len(votes) == 1:
            out[name] = next(iter(votes))
    return out


MIN_VOTES = 1  # mentions of a shared surname that must point to one full name, none to another
_FAMILY = re.compile(r"\bthe\s+$", re.IGNORECASE)  # "the Savopoulos family", "the Kennedys": no one person


def _introduced_votes(person_map: dict[str, str], mentions: Sequence[Sequence[Mention]], texts: Sequence[str]) -> dict[str, str]:
    """A surname that several full names of the story share joins one of them when, in every article
    that writes it after a full name of that surname, exactly one of them is written before it, and
    always the same one ("Scout Willis ... Willis tweeted", while "Bruce Willis" comes only in
    another article or after). Where two come before ("Hillary Clinton and Bill Clinton met.
    Clinton spoke") the mention gives no vote, nor does one written after "the" ("the Savopoulos
    family"); :data:`MIN_VOTES` votes are needed. The full names are looked up in the article's
    text, so one the recogniser missed there still counts."""
    fulls: dict[str, set[str]] = defaultdict(set)  # full display -> its written forms of two words or more
    by_last: dict[str, set[str]] = defaultdict(set)  # surname key of a written full name -> displays
    for name, display in person_map.items():
        key = name_key(name)
        if " " in name_key(display) and " " in key:
            fulls[display].add(name)
            by_last[key.rsplit(" ", 1)[-1]].add(display)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for ms, text in zip(mentions, texts):
        first: dict[str, int] = {}
        for m in ms:
            key = name_key(m.name)
            if person_map.get(m.name) != m.name or not key or " " in key or len(by_last.get(key, ())) < 2:
                continue
            if _FAMILY.search(text[max(0, m.start - 8) : m.start]):
                continue
            for display in by_last[key]:
                if display not in first:
                    found = [i for i in (text.find(f) for f in fulls[display]) if i >= 0]
                    first[display] = min(found, default=len(text) + 1)
            before = [d for d in by_last[key] if first[d] < m.start]
            if len(before) == 1:
                votes[m.name][before[0]] += 1
    out = dict(person_map)
    for name, chosen in votes.items():
        if len(chosen) == 1 and sum(chosen.values()) >= MIN_VOTES:
            out[name] = next(iter(chosen))
    return out


_QUOTE_MARKS = re.compile(r"[“”\"]")


def _edge_cleaner(people: Sequence[str], words: Counter[str]) -> Callable[[str], str]:
    """A cleaner of the person names of one story: quote marks inside a name dropped ("“Miner Gary”
    Thomas"), and words run into a name at its edges dropped when the rest is a name the story
    writes on its own and the word next to it is one the story also writes in lower case ("Meet
    Kate Gosselin", "Scout Willis Goes Topless"); a verb of saying before a lone first name of one of its full
    names ("Said Kate") likewise. ``words``: the story's word counts."""
    forms = {" ".join(_QUOTE_MARKS.sub(" ", p).split()) for p in people}
    firsts = {f.split()[0] for f in forms if len(f.split()) >= 2}

    def clean(name: str) -> str:
        name = " ".join(_QUOTE_MARKS.sub(" ", name).split())
        parts = name.split()
        if len(parts) == 2 and parts[0].lower() in _SAYING and parts[1] in firsts and words[parts[0].lower()]:
            return parts[1]
        n = len(parts)
        for size in range(n - 1, 1, -1):  # the longest rest of two words or more
            for lo in (0, n - size):  # words dropped after it, or before it
                rest, dropped = " ".join(parts[lo : lo + size]), parts[:lo] + parts[lo + size :]
                touching = dropped[-1] if lo else dropped[0]  # the dropped word next to the rest
                if rest in forms and words[touching.lower()] and not any(w.lower() in _STOP for w in dropped):
                    return rest
        return name

    return clean


def _unshout(name: str) -> str:
    """A dateline's capitals as a name is written ("WASHINGTON" -> "Washington"); acronyms stay."""
    if name.isupper() and len(name) > 3 and (" " in name or is_place(name)):
        return name.title()
    return name
