"""Figures: numbers with what they count ("150,000 troops", "60% of ground forces", "$2.5 billion").

Digits and written-out numbers ("seven thousand", "two dozen") with scales, currencies and
percentages; calendar dates, years, clock times, ordinals, numbers inside names ("Article 5",
"COVID-19") and the word "one" alone are not figures.

>>> [(f.value, f.unit, f.text) for f in extract_figures("Biden put the force at 150,000 troops.")]
[(150000.0, 'troops', '150,000 troops')]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

_UNITS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "mn": 1e6, "bn": 1e9, "m": 1e6, "k": 1e3, "dozen": 12,
}  # fmt: skip
_CURRENCY = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WORD_NUM = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:one|{'|'.join(k for k in _UNITS if k != 'zero')})\b)?|"
    rf"{'|'.join(sorted(_UNITS, key=len, reverse=True))}|one(?=[ -](?:hundred|thousand|million|billion|trillion)\b)|a(?= (?:hundred|thousand|million|billion|dozen)\b))"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:[ -](?:hundred|thousand|million|billion|trillion|dozen)|\s?(?:bn|mn|m|k)\b)"
_NUMBER = re.compile(
    rf"(?P<cur>US\$|[$£€¥])?\s?(?P<num>{_DIGITS}|\b{_WORD_NUM})(?P<scale>{_SCALE}(?:[ -](?:thousand|million|billion))?)?"
    rf"(?P<pct>\s?(?:%|percent\b|per cent\b|percentage points?\b))?",
    re.IGNORECASE,
)
_STOP = frozenset(
    ["the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "and", "or", "but", "with", "as", "is", "was", "were", "are", "be", "been", "that", "this", "these", "those", "it", "its", "their", "his", "her", "them", "they", "he", "she", "we", "you", "i", "than", "more", "less", "about", "around", "some", "per", "each", "which", "who", "whom", "what", "when", "where", "while", "after", "before", "since", "until", "into", "over", "under", "between", "among", "has", "have", "had", "will", "would", "could", "should", "may", "might", "can", "must", "not", "no", "nor", "so", "if", "then", "there", "here", "also", "just", "only", "even", "still", "yet", "ago", "later", "earlier", "were", "was",
     "beneath", "below", "above", "across", "along", "inside", "outside", "toward", "towards", "near", "behind",
     "within", "through", "during", "against", "underneath", "beyond", "via", "first", "last", "next", "up", "down", "out", "off"]
)
STOP_WORDS = _STOP  # function words, also for the words around a figure (synthesis/attributed.py)
_QUALIFIERS = frozenset({"more", "additional", "extra", "new", "other", "fewer", "further"})
_POSTPOSED = frozenset({"long", "high", "wide", "deep", "old", "away", "tall", "apart", "ago", "later"})
_UNIT_WORD = re.compile(r"[a-z][a-z'’-]*")


@dataclass(frozen=True, slots=True)
class FigureSpan:
    """A figure: ``text == article_text[start:end]``; ``unit`` is what it counts or measures."""

    value: float | None
    unit: str | None
    text: str
    start: int
    end: int
    qualifier: str | None = None  # "more", "additional": a change, not a total
    hedge: str | None = None  # "about", "well over", "up to", "between": how the text bounds the value
    hedge_start: int | None = None  # where the hedge's words start (``text`` is the number alone)
    kind: str | None = None  # "age", "price", "phone", "furniture": not a key figure of a story by itself


def _word_value(token: str) -> float | None:
    """The value of a written-out number ("seventy-five" -> 75)."""
    token = token.lower().replace("-", " ")
    if token in ("a", "one"):
        return 1.0
    total = 0
    for part in token.split():
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        elif part == "one" and total:  # "thirty-one"
            total += 1
        else:
            return None
    return float(total)


def _unit_after(text: str, pos: int) -> tuple[str | None, str | None, int]:
    """(unit, qualifier, end) of the noun phrase after a number at ``pos``."""
    rest = text[pos : pos + 80]
    m = re.match(r"(?:-year-old|-years?-old)\b", rest)
    if m:
        return "year-old", None, pos + m.end()
    m = re.match(r"(?:km|cm|mm|kg|mg|ml|mph|kph|ft|mi|lbs?|kW|MW|GW|GB|TB)\b", rest)
    if m:
        return m.group(0).lower(), None, pos + m.end()  # "4km", "70mph": a unit glued to its number
    m = re.match(r"[ -]", rest)
    if not m:
        return None, None, pos
    words = list(re.finditer(r"[^\s,.;:!?()“”\"]+", rest))
    qualifier = None
    unit_words: list[str] = []
    end = pos
    k = 0
    if words and words[0].group(0).lower() == "of" and len(words) > 1:
        k = 1  # "60% of ground forces", "thousands of people"
    for w in words[k:]:
        token = w.group(0)
        low = token.lower().strip("’'")
        if not unit_words and qualifier is None and low in _QUALIFIERS:
            qualifier = low
            end = pos + w.end()
            continue
        if not _UNIT_WORD.fullmatch(low) or (token[0].isupper() and unit_words and not low.endswith(("'s", "’s"))):
            break
        if low in _STOP:
            break
        if unit_words and (low.endswith(("ed", "ing", "ly")) or low in _POSTPOSED):
            break
        unit_words.append(low)
        end = pos + w.end()
        if len(unit_words) == 3 or rest[w.end() : w.end() + 1] != " ":
            break
        if low.endswith(("'s", "’s")):
            continue  # a possessive modifies what follows: "60% of Russia's ground forces"
        if low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(low) > 3:
            break  # a plural noun ends the phrase: "troops", "people's" handled above
    if not unit_words:
        return None, qualifier, end if qualifier else pos
    if len(unit_words) == 1 and not unit_words[0].endswith("s") and _PARTICLE.match(text, end):
        return None, qualifier, end if qualifier else pos  # "those under 35 rack up": a verb, not what it counts
    return " ".join(unit_words), qualifier, end


_PARTICLE = re.compile(r" (?:up|down|out|off)\b")
# Between the two values of a range: "between 5,000 and 7,000 troops", "from 20 to 30 people", "10 or 15 minutes".
RANGE_GAP = re.compile(r"\s*(?:and|to|or|-|–)\s*")


def _range_units(out: list[FigureSpan], text: str) -> list[FigureSpan]:
    """The first value of a range counts what its last one counts ("between 5,000 and 7,000 troops": 5,000
    troops); its text stays the number alone. The hedge of an approximate range holds for both its values
    ("About 10 or 15 minutes": about 15 minutes too)."""
    for i in range(len(out) - 2, -1, -1):
        f, g = out[i], out[i + 1]
        if f.unit is None and g.unit is not None and RANGE_GAP.fullmatch(text, f.end, g.start):
            qualifier = f.qualifier or g.qualifier
            out[i] = FigureSpan(f.value, g.unit, f.text, f.start, f.end, qualifier, f.hedge, f.hedge_start, f.kind)
    for i in range(len(out) - 1):
        f, g = out[i], out[i + 1]
        if f.hedge and f.hedge not in ("between", "from") and g.hedge is None and _APPROX_GAP.fullmatch(text, f.end, g.start):
            out[i + 1] = FigureSpan(g.value, g.unit, g.text, g.start, g.end, g.qualifier, f.hedge, f.hedge_start, g.kind)
    return out


_APPROX_GAP = re.compile(r"\s*(?:or|to|-|–)\s*")
# Hedges after the number: "40-odd times", "a 60-plus crowd", "10 minutes or so", "500 people or more".
_POST_HEDGE = re.compile(r"(?:-|\s(?=odd\b))(?P<hedge>odd|plus|some(?:thing)?)\b")
_TRAILING_HEDGE = re.compile(r"\s+(?P<hedge>or\s+so|or\s+more|or\s+fewer|or\s+less|or\s+over)\b(?!\s*\d)")


# A house number: digits before a capitalised street name ("12127 Indio Avenue", "10 Downing Street").
_ADDRESS = re.compile(
    r"\s+(?:[A-Z][\w'’.-]*\s+){1,3}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Drive|"
    r"Way|Place|Court|Highway|Parkway|Terrace|Square)(?![\w-])"
)


def _excluded(text: str, start: int, end: int, digits: bool, value: float, has_scale: bool) -> bool:
    """Dates, years, times, ordinals, identifiers and numbers inside names."""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 12]
    if re.search(rf"\b{_MONTHS}\s*$", before) or re.match(rf"\s*(?:{_MONTHS})\b", after):
        return True  # Feb. 16 / 16 February
    if digits and not has_scale:
        if re.match(r"(?:st|nd|rd|th)\b", after) or re.match(r"\s?[:/]\d", after) or re.search(r"[:/]\s*$", before):
            return True  # ordinals, 10:30, 2/3 dates
        if re.match(r"\s?(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|ET|EST|BST|UTC)", after, re.IGNORECASE):
            return True
        if re.match(r"-\d", after) or re.search(r"\d-$", before):
            return True  # scores, phone numbers, ranges handled as two figures elsewhere
        if _ADDRESS.match(text, end):
            return True  # 12127 Indio Avenue
        if 1800 <= value <= 2100 and float(value).is_integer() and not re.match(r"\s?%", after):
            raw = text[start:end]
            if "," not in raw and not re.match(r"\s(?:people|troops|soldiers|men|women|jobs|km|miles)\b", after):
                return True  # a year
        if re.search(r"(?:[A-Z][\w.]*|No\.|#)[ -]?$", before) and not re.search(r"\b(?:[A-Z][a-z]+)\s+$", before[-3:]):
            last = re.search(r"(\S+)[ -]?$", before)
            if last and _name_word(last.group(1)):
                return True  # Article 5, COVID-19, Apollo 11, No. 10, "(No. 4)"
        listed = _LISTED_ID.search(text[max(0, start - 40) : start])
        if listed and _name_word(listed.group("name")):
            return True  # "Seasons 1 and 2", "Class 10 and 12": the second identifier of a pair
    return False


# Words that start a sentence before a number without naming anything ("About 10", "In 2 weeks").
_NOT_NAME = frozenset({
    "about", "around", "some", "nearly", "almost", "over", "only", "just", "roughly", "the", "at", "by", "to", "of",
    "with", "for", "from", "in", "all", "up", "than", "and", "but", "between", "under", "above", "below", "more",
    "less", "fewer", "at least", "approximately", "another", "those", "these", "its", "his", "her", "their",
    "our", "after", "before", "since", "until", "during", "on", "as", "if", "when", "while", "or", "nor",
})  # fmt: skip
_LISTED_ID = re.compile(r"(?P<name>\S+)[ -]\d+\s*(?:and|or|&|,|through)\s*$")


def _name_word(word: str) -> bool:
    """Whether ``word`` (right before a number) names something ("Article", "Seasons", "(No."), not a
    sentence's opening word ("About")."""
    word = word.lstrip("(\"“‘'[")
    return word[:1].isupper() and word.lower().rstrip(".") not in _NOT_NAME


# "rose by 7,000", "increased its presence along the border by as many as 7,000": the number is a
# change, not a total (no sentence end between the verb and "by").
_CHANGE_BY = re.compile(
    r"\b(?:increas|rais|ris|rose|grow|grew|boost|expand|bolster|reinforc|swell|cut|reduc|decreas|lower|"
    r"fell|fall|drop|shrank|shrink|trimm|slash)\w*\b(?:(?!\b(?:and|but|while|which|who)\b)[^.!?;,]){0,80}\bby\s+"
    r"(?:up to\s+|as many as\s+|about\s+|some\s+|nearly\s+|almost\s+|around\s+|roughly\s+|more than\s+)?$",
    re.IGNORECASE,
)


# After "400m" with no currency: a distance ("400m away", "the 100m final", "a 30m drop"), not millions
# ("lost 40m." stays 40 million).
_METRES_AFTER = re.compile(
    r"(?:\s+(?:away|long|high|deep|tall|wide|from|below|above|under|up|down|across|sprint|race|final|freestyle|"
    r"hurdles|dash|relay|drop|fall)\b)"
)


# Words that bound or approximate a figure, as the text gives them (matched right before the number,
# longest first); "just", "only", "a mere" weigh a figure and are not hedges.
HEDGES = (
    "well over", "well above", "well under", "just over", "just under", "just above", "just below",
    "more than", "less than", "fewer than", "greater than", "no more than", "no fewer than", "no less than",
    "not more than", "at least", "at most", "up to", "as many as", "as much as", "as few as", "as little as",
    "in excess of", "upwards of", "upward of", "a maximum of", "a minimum of", "close to", "nearly", "almost",
    "about", "around", "roughly", "approximately", "some", "an estimated", "estimated", "over", "under",
    "above", "below", "possibly", "perhaps", "maybe", "between", "from",
)  # fmt: skip
_HEDGE_WORDS = "|".join(h.replace(" ", r"\s+") for h in sorted(HEDGES, key=len, reverse=True))
_HEDGE = re.compile(
    r"(?<![\w-])(?P<hedge>" + _HEDGE_WORDS
    + r")\s+(?:(?:only|just|a mere|the(?:\s+age\s+of)?|the\s+ages?\s+of)\s+)?$",
    re.IGNORECASE,
)
_TIME_UNIT = re.compile(r"(?:second|minute|hour|day|week|month|year|decade|centur)", re.IGNORECASE)
_NUM_AHEAD = rf"(?:US\$|[$£€¥])?\s?(?:{_DIGITS}|{_WORD_NUM})"


def _hedge(text: str, start: int, end: int, unit: str | None) -> tuple[str | None, int | None]:
    """The hedge the text gives the figure at ``start`` ("about", "well over", "between"), and where it
    starts; the upper bound of "between 5 and 7" gets "between" too."""
    before = text[max(0, start - 40) : start]
    m = _HEDGE.search(before)
    if m:
        word = re.sub(r"\s+", " ", m.group("hedge").lower())
        at = start - len(before) + m.start("hedge")
        ahead = text[end : end + 60]
        if word == "from" and not re.match(rf"[^.;:!?]{{0,20}}?\bto\s+(?:\w+\s+){{0,3}}?{_NUM_AHEAD}", ahead, re.IGNORECASE):
            return None, None  # "from 5 to 10" is a range; "from 5 people" is not
        if word == "between" and not re.match(rf"\S*\s+and\s+{_NUM_AHEAD}", ahead, re.IGNORECASE):
            return None, None
        if word in ("over", "under", "above", "below") and unit and _TIME_UNIT.match(unit):
            lead = re.search(r"(\w+)\s+$", text[max(0, at - 20) : at])
            if not lead or lead.group(1).lower() not in {"for", "of", "in", "than", "after", "took", "spent", "lasted", "lasting", "has", "had", "have", "with", "aged", "age"}:
                return None, None  # "cuts over 10 years": a period, not a bound
        return word, at
    m = re.search(rf"\bbetween\s+{_NUM_AHEAD}\S*(?:\s+\w+){{0,3}}?\s+and\s+$", text[max(0, start - 60) : start], re.IGNORECASE)
    if m:
        return "between", start - len(text[max(0, start - 60) : start]) + m.start()
    if unit and _TIME_UNIT.match(unit):
        # "about 3 minutes and 40 seconds": one duration, its hedge on both parts
        before = text[max(0, start - 60) : start]
        m = re.search(rf"(?<![\w-])(?P<hedge>{_HEDGE_WORDS})\s+{_NUM_AHEAD}\s+{_TIME_UNIT.pattern}\w*\s+and\s+$", before, re.IGNORECASE)
        if m and m.group("hedge").lower() not in ("between", "from"):
            return re.sub(r"\s+", " ", m.group("hedge").lower()), start - len(before) + m.start("hedge")
    return None, None


# Figures that are not key figures of a story by themselves (:func:`figure_kind`).
_AGE_BEFORE = re.compile(
    r"(?:\b(?:aged?|ages? of|the age of|at age)\s+(?:about\s+|around\s+|just\s+)?|"
    r"\b(?:he|she|who|they)\s+(?:was|is|were|are|had been|would have been|turned|turns)\s+(?:only\s+|just\s+)?)$",
    re.IGNORECASE,
)
_AGE_BARE = re.compile(r"(?:(?:\b(?:[Hh]e|[Ss]he|[Ww]ho|I|[A-Z][a-z]+)|,)\s+(?:is|was)|\b(?i:turning|turned|turns|aged|age|ages))\s+(?:only\s+|just\s+|now\s+)?(?:\d+\s+(?:or|and|to)\s+)?$")
_AGE_RANGE = re.compile(r"\b(?:aged?|ages)\s+(?:of\s+|from\s+|between\s+)?(?:\d+\s+(?:to|and|or|-)\s+)?$|\bin\s+age\s+from\s+(?:\d+\s+to\s+)?$", re.IGNORECASE)
_APPOSITION = re.compile(r"\b[A-Z][\w'’.-]+,\s*$")  # "Davidson, 24, joked"
_PRICE_BEFORE = re.compile(
    r"\b(?:costs?|costing|priced at|price of|prices? start at|sells? for|sold for|selling for|retails? for|"
    r"for just|for only|fee of|fees? of|membership|subscription|tickets?(?: cost| are)?|starting at|starts at|"
    r"donate|donation of|give|pledge)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_PRICE_AFTER = re.compile(
    r"^\s*(?:(?:a|an|per|each|/)\s*(?:month|year|week|day|night|ticket|person|head|issue|copy|gallon|hour|"
    r"member|subscriber)\b|(?:monthly|annual|yearly)?\s*(?:membership|subscription|donation|gift|ticket|fee)\b|"
    r"(?:or more|and up)\b)",
    re.IGNORECASE,
)
_PHONE = re.compile(r"^(?:\)\s?-?\s?(?:\d{3}|[A-Z]{2,})|-[A-Z]{2,}|\s?[-.]\s?\d{3}[-.]\d{4})")
_URLISH = re.compile(r"(?:https?://|www\.|[=/?&#@])\S*$")
_APPEAL = re.compile(
    r"\b(?:donat\w*|support (?:our|us|independent)|become a (?:member|subscriber|patron)|subscri\w+|newsletter|"
    r"membership|free trial|paywall)\b",
    re.IGNORECASE,
)
# A line that reports ("Biden also reported making $25,000 donations") is the story's, not a page's appeal.
_REPORTED = re.compile(r"\b(?:said|says|according|reported|reports|told|announced|disclosed|listed|estimated)\b")
_COUNTER = re.compile(r"^\s*(?:comments?|shares?|photos?|images?|slides?|retweets?|likes?)\b", re.IGNORECASE)
_COUNTER_BEFORE = re.compile(r"\b(?:image|photo|slide|picture|page)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NotKeyRule:
    """One rule of ``data/figure_not_key.json``: a kind and the conditions that must all hold."""

    kind: str
    before: re.Pattern[str] | None = None
    unless_before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    text: re.Pattern[str] | None = None
    units: frozenset[str | None] | None = None
    low: float | None = None
    high: float | None = None
    whole: bool = False

    def applies(self, text: str, start: int, end: int, unit: str | None, value: float | None, number_end: int) -> bool:
        if self.units is not None and unit not in self.units:
            return False
        if (self.low is not None or self.high is not None or self.whole) and value is None:
            return False
        if value is not None and (
            (self.low is not None and value < self.low) or (self.high is not None and value > self.high)
            or (self.whole and not float(value).is_integer())
        ):
            return False
        before = text[max(0, start - 80) : start]
        if self.before is not None and not self.before.search(before):
            return False
        if self.unless_before is not None and self.unless_before.search(before):
            return False
        if self.after is not None and not self.after.match(text[number_end : number_end + 40]):
            return False
        return self.text is None or bool(self.text.search(text[start:end]))


def load_not_key_rules(raw: dict) -> tuple[NotKeyRule, ...]:
    """The rules of a ``figure_not_key.json``-shaped mapping, patterns compiled."""
    def pattern(rule: dict, key: str) -> re.Pattern[str] | None:
        return re.compile(rule[key]) if rule.get(key) is not None else None

    return tuple(
        NotKeyRule(
            r["kind"], pattern(r, "before"), pattern(r, "unless_before"), pattern(r, "after"), pattern(r, "text"),
            frozenset(r["units"]) if "units" in r else None, r.get("min"), r.get("max"), bool(r.get("whole")),
        )
        for r in raw["rules"]
    )


_NOT_KEY = json.loads((resources.files("parallax") / "data" / "figure_not_key.json").read_text(encoding="utf-8"))
NOT_KEY_RULES = load_not_key_rules(_NOT_KEY)
AGE_TOPIC = re.compile(_NOT_KEY["age_topic"])  # a sentence about an age itself ("the oldest", "voting age")


def figure_kind(
    text: str, start: int, end: int, unit: str | None, value: float | None, number_end: int | None = None
) -> str | None:
    """Whether the figure at ``text[start:end]`` is an age, a price, a phone number or page furniture
    (a number in a URL, an amount or count of an appeal or a page's own counters), or another kind that is
    no key figure by itself (``data/figure_not_key.json``: ages such as "in their 70s", decades, ranks,
    numbers in names and titles, idioms; ``number_end``: where the number itself ends); else None."""
    kind = _page_kind(text, start, end, unit, value)
    if kind is None:
        at = end if number_end is None else number_end
        kind = next((r.kind for r in NOT_KEY_RULES if r.applies(text, start, end, unit, value, at)), None)
    return kind


def _page_kind(text: str, start: int, end: int, unit: str | None, value: float | None) -> str | None:
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    if _URLISH.search(before) or before.endswith(("(", "+")) and _PHONE.match(after) or _PHONE.match(after):
        return "furniture" if _URLISH.search(before) else "phone"
    number = text[start:end].split(" ")[0]
    if number in _EMERGENCY and (number != "112" or unit in (None, "call", "calls", "dispatcher", "operator", "operators")):
        return "phone"  # "called 911", "a 911 call"
    if _CAMEL.search(text[max(0, start - 250) : start]) and _MORE_LINK.search(text[end : end + 300]):
        return "furniture"  # a run of linked headlines: "...CollinsSunday shows preview: ... 'a million other people' ... MORE (Maine)"
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if unit in ("USD", "GBP", "EUR", "JPY"):
        scaled = re.search(r"(?:million|billion|trillion|bn|mn|m)\b", text[start:end], re.IGNORECASE)
        if not scaled and (_PRICE_BEFORE.search(before) or _PRICE_AFTER.match(after) or re.search(r"\b(?:a|an)\s+$", before)):
            return "price"
        if not scaled and len(line) < 300 and _APPEAL.search(line) and not _REPORTED.search(line):
            return "furniture"
    if unit is not None and ("year-old" in unit or unit.startswith(("years old", "year old"))):
        return "age"
    if unit in (None, "years", "year") and value is not None and 0 < value < 125:
        if _AGE_BEFORE.search(before) or re.match(r"\s*(?:years?[ -]old|yrs? old)\b", after):
            return "age"
        if unit is None and float(value).is_integer() and (
            _AGE_BARE.search(before) and re.match(r"\s*(?:[,.;:!?)]|or\s+\d|and\s+\d|$)", after)
            or _AGE_RANGE.search(before)
        ):
            return "age"  # "she was 33.", "Ginsburg, for instance, is 85,", "turning 30 or 40", "age from 22 to 75"
        if unit is None and _APPOSITION.search(before) and re.match(r"\s*[,)]", after):
            return "age"
    if len(line) < 200 and _APPEAL.search(line) and not _REPORTED.search(line):
        return "furniture"
    if (_COUNTER.match(after) or _COUNTER_BEFORE.search(before)) and len(line) < 120:
        return "furniture"  # "12 comments", "Image 3 of 10" on a line of their own
    if _GALLERY.search(line) or re.search(r"\bRead more\s*$", line):
        return "furniture"  # "1 of 14 Full Screen Autoplay Close Skip Ad", "... shooting Read more"
    if len(line) < 150 and not re.search(r"[.!?”\"]\s*$", line) and _LINK_HEAD.search(text[max(0, line_start - 400) : line_start]):
        return "furniture"  # a headline listed under "ALSO:" or "Related"
    return None


_EMERGENCY = frozenset({"911", "999", "112"})
_CAMEL = re.compile(r"[a-z]{2}[A-Z][a-z]+\s")  # "McCainSunday shows preview": names glued to linked headlines
_MORE_LINK = re.compile(r"\bMORE\s*\(")
_GALLERY = re.compile(r"\b(?:Full Screen|Autoplay|Skip Ad|View Photos|Next Slide|Previous Slide)\b")
_LINK_HEAD = re.compile(r"(?:^|\n)\s*(?:ALSO|Also|RELATED|Related(?: Stories| Articles| Coverage)?|More|MORE|Read more|READ MORE|See also|SEE ALSO)\s*:?\s*(?:\n[^\n]{0,150}){0,4}\n\s*$")


# "one in five children", "1 in 14 Americans": a share, not a count of five children.
_RATIO = re.compile(rf"(?<![\w,.-])(?P<n>\d{{1,3}}(?:,\d{{3}})*|one|a|{'|'.join(k for k in _UNITS if k != 'zero')})\s+(?:in|out of)(?:\s+every)?\s+$", re.IGNORECASE)


def extract_figures(text: str) -> list[FigureSpan]:
    """The figures of ``text`` in order, each with its value, unit and exact text span."""
    out: list[FigureSpan] = []
    for m in _NUMBER.finditer(text):
        num = m.group("num")
        digits = num[0].isdigit()
        start = m.start("cur") if m.group("cur") else m.start("num")
        glued = start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-.,/")
        if digits and glued and not (text[start - 1] == "-" and start > 1 and text[start - 2] == " "):
            continue
        if not digits and start > 0 and text[start - 1].isalnum():
            continue
        after_num = text[m.end("num") : m.end("num") + 2]
        if (not digits or m.group("scale")) and not m.group("pct") and text[m.end() : m.end() + 1].isalpha():
            continue  # "one thirty-thousandth": a written ordinal
        if digits and re.match(r"[DGK](?![\w])", after_num) and not m.group("cur"):
            continue  # "3D glasses", "5G", "4K": a name, not a count
        value = float(num.replace(",", "")) if digits else _word_value(num)
        if value is None:
            continue
        scale_text = (m.group("scale") or "").strip(" -").lower()
        metres = scale_text == "m" and not m.group("cur") and _METRES_AFTER.match(text, m.end())
        if metres:
            scale_text = ""  # "400m away": metres, not millions
        for part in scale_text.split():
            value *= _SCALES.get(part, 1)
        end = m.end()
        if _excluded(text, m.start("num"), m.end("num"), digits, value, bool(scale_text)):
            continue
        if metres:
            unit: str | None = "m"
            qualifier = None
        elif m.group("pct"):
            unit = "%"
            u, qualifier, u_end = _unit_after(text, end)
            if u and text[end : u_end].lstrip().lower().startswith("of "):
                end = u_end
        elif m.group("cur"):
            unit = _CURRENCY[m.group("cur").upper() if m.group("cur") != "US$" else "US$"]
            qualifier = None
        else:
            post = _POST_HEDGE.match(text, end) if digits else None  # "40-odd times", "40-plus years"
            unit, qualifier, u_end = _unit_after(text, post.end() if post else end)
            if unit is not None or qualifier is not None:
                end = u_end
            elif post:
                end = post.end()
        if not digits and unit is not None and text[u_end - len(unit.split()[-1]) : u_end][:1].isupper():
            continue  # "Seventy Robin Linkhart": a written number before a name is not a count
        if not digits and unit is None and not scale_text:
            continue  # "two of them": a written number needs what it counts
        if re.match(r"\s+ago\b", text[end : end + 6]):
            continue  # "three years ago" is a date, not a figure
        if qualifier is None and re.search(r"\b(?:added|adding|adds|sent|sending|deployed|deploying)\s+(?:up to\s+|as many as\s+|about\s+|some\s+|another\s+|a further\s+)?$", text[max(0, start - 40) : start]):
            qualifier = "more"
        if qualifier is None and _CHANGE_BY.search(text[max(0, start - 120) : start]):
            qualifier = "more"  # "increased its presence ... by as many as 7,000 troops": a change
        ratio = _RATIO.search(text[max(0, start - 30) : start])
        if ratio and value:
            top = ratio.group("n")
            share = float(top.replace(",", "")) if top[0].isdigit() else _word_value(top)
            if share is not None and 0 < share < value:
                if out and out[-1].end > start - len(text[max(0, start - 30) : start]) + ratio.start("n"):
                    out.pop()  # "1" of "1 in 14 Americans" was read on its own
                start = start - len(text[max(0, start - 30) : start]) + ratio.start("n")
                value, unit = round(100 * share / value, 2), "%"  # "one in five children": 20 % of children
        number_end = m.end()
        hedge, hedge_start = _hedge(text, start, end, unit)
        if hedge is None:
            after = _POST_HEDGE.match(text, number_end) or _TRAILING_HEDGE.match(text, end)
            if after:
                hedge, hedge_start = re.sub(r"\s+", " ", after.group("hedge").lower()), start
        kind = figure_kind(text, start, end, unit, value, number_end)
        out.append(FigureSpan(value, unit, text[start:end], start, end, qualifier, hedge, hedge_start, kind))
    return _range_units(out, text)
