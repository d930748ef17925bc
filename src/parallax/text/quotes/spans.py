"""Quote spans: the words inside quotation marks, in any mark style, continued across paragraphs.

Quotes in any quotation-mark style (“…”, "…", ‘…’, «…», „…“), several sentences long and
continued across paragraphs (an English continued quote opens each paragraph and closes only the
last: each paragraph's part is a span of its own, flagged ``continued``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import alternation

MIN_WORDS = 3  # a quote of fewer words without an attribution is a scare quote, not speech
_GAP_VERB = re.compile(rf"\b(?:{alternation('verbs_of_saying')})\b")  # a verb of saying between two quotes
_OPENERS = {"“": "”", "«": "»", "„": "“", "‘": "’", '"': '"'}


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quote: ``text == article_text[start:end]`` (the words inside the marks)."""

    text: str
    start: int
    end: int
    speaker: str | None
    continued: bool = False  # a later paragraph of a quote begun earlier


def _closer_at(text: str, j: int, opener: str, close: str) -> int:
    """Length of the closing mark at ``j`` (0 when none): ”, ’’ and '' close “ and \"."""
    c = text[j]
    if opener == "'":
        if c == "'" and text[j - 1] not in " \t\n" and (j + 1 >= len(text) or not text[j + 1].isalnum()):
            return 1
        return 0
    if c == close and (close != "’" or j + 1 >= len(text) or not text[j + 1].isalpha()):
        return 1
    if opener in "“\"" and text[j : j + 2] in ("’’", "''"):
        return 2
    if opener in "“\"" and c in "”\"″" and c != close and text[j - 1] not in " \t\n":
        # Mixed marks (“…" or "…”, or a double prime “…″): a closer of the other style when the paragraph has none of its own,
        # or when its next mark of the opener's style opens a quote ('"… years,” she said. "Emma …').
        line_end = text.find("\n", j)
        own = text.find(close, j, line_end if line_end >= 0 else len(text))
        if own < 0 or text[own - 1] in " \t\n" and own + 1 < len(text) and text[own + 1].isalnum():
            return 1
        # … or when an attribution follows and the next mark of its own style reopens a quote
        # ('“…,” Grassley said. "There are …”': the " after "examined," closes).
        reopen = text.find(c, j + 1, own)
        opens = 0 <= reopen < j + 80 and text[reopen - 1] in " \t" and text[reopen + 1 : reopen + 2].isalnum()
        if opens and _GAP_VERB.search(text, j + 1, reopen):
            return 1
    return 0


def _pairs(text: str) -> list[tuple[int, int, bool, int]]:
    """(inner start, inner end, continues-previous, after) of every quotation inside ``text``."""
    out: list[tuple[int, int, bool, int]] = []
    i, n = 0, len(text)
    continuing = False
    while i < n:
        ch = text[i]
        close = _OPENERS.get(ch)
        if ch == "'" and (i == 0 or text[i - 1] in " \t\n([") and i + 1 < n and text[i + 1].isalpha():
            close = "'"
        if ch == "”" and (i == 0 or text[i - 1] in " \t\n(") and i + 1 < n and text[i + 1].isalnum():
            close = "”"  # a quote opened with a right mark, as some sites print them: ”Jay’s concern …”
        if close is None or (ch == "‘" and i > 0 and text[i - 1].isalnum()):
            i += 1
            continue
        if ch == '"' and i > 0 and text[i - 1].isalnum() and i + 1 < n and not text[i + 1].isalnum():
            i += 1  # a stray closing straight quote
            continue
        j = i + 1
        end, width = -1, 0
        while j < n:
            width = _closer_at(text, j, ch, close)
            if width:
                end = j
                break
            if text[j] == "\n":
                # A paragraph break inside an open quote: continued if the next paragraph reopens.
                k = j
                while k < n and text[k] in "\n \t\r":
                    k += 1
                if k < n and text[k] == ch and ch not in "‘'":
                    end = j
                end = end if end == j else -2
                break
            j += 1
        if end < 0 or (ch == "'" and (end - i > 300 or len(text[i + 1 : end].split()) < 2)):
            i += 1
            continuing = False
            continue
        if text[end] == "\n":
            k = end
            while k < n and text[k] in "\n \t\r":
                k += 1
            out.append((i + 1, end, continuing, end))
            i = k
            continuing = True
        else:
            out.append((i + 1, end, continuing, end + width))
            i = end + width
            continuing = False
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Inner quote span without edge whitespace and a trailing comma."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


# --- what is not a quote -------------------------------------------------------------------------

_SMALL_WORDS = frozenset(
    ["a", "an", "the", "of", "and", "or", "nor", "but", "in", "on", "at", "to", "for", "with", "by", "from", "as", "vs", "v.", "de", "la", "le", "du", "von", "van"]
)
_WORK_BEFORE = re.compile(
    r"\b(?:film|movie|book|novel|memoir|song|album|single|record|show|series|sitcom|play|musical|opera|documentary|"
    r"article|column|op-ed|essay|poem|episode|podcast|programme|program|headline|report|painting|game|campaign|"
    r"slogan|hashtag|titled|entitled|called|dubbed|named|nicknamed|known\s+as|billed\s+as)\s*[,:]?\s*$",
    re.IGNORECASE,
)
_CLAUSE_PUNCTUATION = ".,!?;:…"
_NAME_BEFORE = re.compile(r"\b[A-Z][\w.'’-]*\s$")  # 'R “Ray” Wang': a nickname between the parts of a name
_NAME_AFTER = re.compile(r"\s[A-Z][\w'’-]+")
_CHANTED = re.compile(r"\b(?i:chant|chanting|chants|chanted|shouted|yelled|sang|cheered|cried|cries|cry|crying|shout|shouting|yell|yelling|sing|singing|cheer|cheering)\b")
# Before the opening mark of a programme's or a work's title: an owner's possessive ("CNN's", "Fox News's")
# or "on", "of", "in" ('said on “State of the Union.”', 'this weekend's broadcast of “Fox News Sunday”').
_PROGRAMME_BEFORE = re.compile(r"(?:[A-Z][\w.-]*['’]s?|\b(?i:on|of|in))\s*$")
_TITLE_LIST_AFTER = re.compile(r"[”\"’']?\s*(?:,\s*)?(?:(?:and|or)\s+)?[“\"]")  # '“Gin & Juice,” “Beautiful,”'
_TITLE_LIST_BEFORE = re.compile(r"[”\"],?\s+(?:(?:and|or)\s+)?$")
_SENTENCE_BREAK = re.compile(r"[.!?][”\"’']?\s+(?=[A-Z“\"‘])|\n")


def title_case(words: list[str]) -> bool:
    """Every word capitalised but the small ones ("The Art of the Deal"), at least one capital."""
    letters = [w.strip("()[]'’‘“”\"-—–:") for w in words]
    letters = [w for w in letters if w and w[0].isalpha()]
    if not letters or not letters[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in letters)


def not_speech(text: str, start: int, end: int, *, explicit: bool) -> str | None:
    """Why the quotation-marked span ``text[start:end]`` is no quote, or None when it is one.

    - ``"title"``: a title of a work or a nickname: all its words capitalised (but small words), at
      most eight of them, no closing punctuation inside the marks ('the film “The Social Network”',
      'R “Ray” Wang'), unless an attribution next to it makes it speech and no work noun or
      "called" / "titled" stands right before it. Also, attribution or not, six such words or fewer
      (a period inside the closing mark allowed) right after an owner's possessive or "on", "of",
      "in": a programme or a work ('told MSNBC's “Morning Joe”', 'said on CNN's “State of the Union.”').
    - ``"scare"``: a scare quote: one to three words inside a sentence (words before it in the
      sentence, no punctuation closing a clause inside the marks), with no verb of saying earlier in
      its sentence or right after it ('called it a “witch hunt”', 'a “historic” deal').

    >>> not_speech('He starred in “The Social Network” in 2010.', 15, 33, explicit=False)
    'title'
    >>> not_speech('They signed a “historic” deal.', 15, 23, explicit=False)
    'scare'
    >>> not_speech('He said he was let go for “telling the truth” about it.', 27, 44, explicit=False) is None
    True
    >>> not_speech('Pence said on CNN’s “State of the Union.”', 21, 40, explicit=True)
    'title'
    """
    inner = text[start:end].strip()
    words = inner.split()
    if not words:
        return "scare"
    before = text[max(0, start - 300) : max(0, start - 1)]
    breaks = list(_SENTENCE_BREAK.finditer(before))
    sentence_before = before[breaks[-1].end() :] if breaks else before
    closes = inner[-1] in _CLAUSE_PUNCTUATION
    if len(words) <= 6 and inner[-1] not in "!?" and title_case(words) and _PROGRAMME_BEFORE.search(text, max(0, start - 40), max(0, start - 1)):
        return "title"  # a programme or a work after an outlet's name or "on": 'told MSNBC's “Morning Joe”', 'On “Face the Nation,”'
    if len(words) <= 8 and not closes and title_case(words):
        nickname = len(words) <= 2 and _NAME_BEFORE.search(text, max(0, start - 40), max(0, start - 1)) and _NAME_AFTER.match(text, end + 1)
        if nickname or not explicit or _WORK_BEFORE.search(sentence_before):
            return "title"
    if 2 <= len(words) <= 12 and inner[-1] in ",." and title_case(inner[:-1].split()):
        # A title printed with the sentence's comma or period inside the marks: after a work noun or
        # "titled" ('his 2005 book, “Symptoms of Withdrawal: A Memoir …,”'), in a list of quoted titles
        # ('include “Gin & Juice,” “Beautiful,” …'), or with no attribution at all.
        listed = _TITLE_LIST_AFTER.match(text, end + 1) or _TITLE_LIST_BEFORE.search(text, max(0, start - 12), max(0, start - 1))
        if (listed or not explicit or _WORK_BEFORE.search(sentence_before)) and not _CHANTED.search(sentence_before):
            return "title"  # (not the chants of a crowd: 'chanted "Death to America," "Death to Karzai"')
    if len(words) <= 3 and not closes and any(c.isalnum() for c in sentence_before):
        after = text[end + 1 : end + 40]
        if not (_GAP_VERB.search(sentence_before) or _CHANTED.search(sentence_before) or _GAP_VERB.search(after[:30])):
            return "scare"
    return None
