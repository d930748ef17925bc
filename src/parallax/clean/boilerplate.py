"""Page-noise rules shared by HTML post-cleaning and text dumps, and boilerplate learned per outlet.

A *noise line* is a call to action ("Sign up to read this article"), a caption credit
("… (Agency/REX/Shutterstock)", "… / TASS"), a copyright line, a share/tag/comment prompt, a
menu crumb. The rules only fire on short lines, so a body sentence that mentions a newsletter
stays.

>>> noise_reason("Already a member? Sign in here")
'call to action'
>>> noise_reason("The date of the footage is also unclear.") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

# Longest line (in words) a call-to-action rule may remove.
CTA_MAX_WORDS = 18
# Longest line (in words) a caption-credit rule may remove.
CREDIT_MAX_WORDS = 45
# Longest item (in words) of a menu crumb ("Home | News | Sport").
MENU_ITEM_WORDS = 3
# A line repeated in at least this many documents of one outlet (and this share of them) is boilerplate.
REPEAT_MIN_DOCS = 3
REPEAT_MIN_SHARE = 0.3

_CTA = re.compile(
    r"""^(?:
      (?:please\s+)?(?:sign|log)\s*(?:up|in|on)\b.{0,80}$
    | (?:already\s+(?:a\s+)?(?:member|subscriber|registered|have\s+an\s+account))\b.*$
    | (?:not\s+a\s+(?:member|subscriber))\b.*$
    | (?:subscribe|subscribing|subscription|register|create\s+(?:a\s+)?(?:free\s+)?account)\b.{0,120}$
    | .{0,80}\b(?:newsletters?|inbox|e-?mail\s+alerts?)\b.{0,60}$
    | (?:get|receive|sign\s+up\s+for)\s+(?:our|the|free|daily|weekly)\b.{0,80}$
    | (?:read|see|view|watch|show|load|click|tap|find\s+out)\s+(?:more|all|the\s+full|full|here|now|next|less|this|on)\b.{0,60}$
    | (?:continue|keep)\s+reading\b.*$
    | (?:click|tap)\s+(?:here|to|on)\b.*$
    | (?:share|tweet|email|print|save|copy\s+link|pin|whatsapp|facebook|twitter|linkedin|reddit)\b(?:\s*(?:this|on|via|to|article|story|link|page|it|post|/|,|\|))*\s*\W*$
    | share\s+(?:this|on|via)\b.{0,60}$
    | (?:follow|like)\s+(?:us|@|\w+\s+on)\b.{0,80}$
    | (?:leave|post|add|write|view|show|hide|load)\s+(?:a\s+|\d+\s+|your\s+|all\s+)?(?:reply|comments?|responses?)\b.*$
    | \d*\s*(?:comments?|replies|responses)\s*(?:\(\d+\))?\W*$
    | (?:advertisement|advertising|sponsored(?:\s+content)?|ad|promoted|paid\s+content|story\s+continues\s+below(?:\s+advertisement)?)\W*$
    | (?:skip\s+to|jump\s+to|back\s+to\s+top|scroll\s+to|go\s+to)\b.{0,60}$
    | (?:related|recommended|more|latest|trending|popular|top)\s*(?:articles?|stories|posts?|news|videos?|reading|content|links?|coverage|from|on|in)?\b.{0,50}:?\s*$
    | (?:most\s+(?:read|popular|viewed|shared|commented))\b.{0,40}$
    | (?:you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested))\b.*$
    | (?:tags?|topics?|filed\s+under|categories|category|keywords|posted\s+in|labels?)\s*[:\-–].{0,200}$
    | (?:donate|support\s+(?:us|our|independent)|make\s+a\s+(?:donation|contribution)|become\s+a\s+(?:member|patron|supporter))\b.{0,160}$
    | (?:we\s+use\s+cookies|this\s+(?:site|website)\s+uses\s+cookies|by\s+(?:using|continuing)\b.{0,40}\b(?:cookies|agree)|accept(?:\s+all)?\s+cookies?|cookie\s+(?:policy|settings|preferences))\b.*$
    | (?:privacy\s+(?:policy|notice)|terms\s+(?:of\s+(?:use|service)|and\s+conditions)|contact\s+us|about\s+us|site\s*map|accessibility|careers|help\s+cent(?:er|re))\W*$
    | (?:main\s+area\s+(?:top|bottom|middle)|see\s+all\s+\w+|view\s+all\s+\w+|all\s+videos?|more\s+videos?)\W*.{0,4}$
    | (?:loading|please\s+wait|javascript\s+is\s+(?:disabled|required)|enable\s+javascript|your\s+browser)\b.{0,120}$
    | (?:this\s+(?:article|story|content)\s+(?:is|was)\s+(?:more\s+than|over)\s+\d+\s+\w+\s+old)\W*$
    | (?:to\s+(?:continue|read)\s+(?:reading|this|the\s+full))\b.{0,80}$
    | (?:the\s+rest\s+of\s+this\s+(?:article|story)|this\s+(?:article|content)\s+is\s+(?:for|only\s+available\s+to)\s+(?:subscribers|members))\b.*$
    | (?:listen\s+to\s+(?:this|the)\s+(?:article|story|podcast)|play\s+video|watch\s+(?:the\s+)?video|video\s+(?:player|loading)|now\s+playing|up\s+next)\b.{0,60}$
    | (?:image|photo|picture|video|graphic)s?\s*(?:\d+\s*(?:of|/)\s*\d+)?\s*$
    | (?:next|previous|prev)\s+(?:article|story|post|page|slide|image)\b.{0,80}$
    | (?:open\s+in\s+app|download\s+(?:the|our)\s+app|get\s+the\s+app)\b.{0,60}$
    | (?:report\s+(?:an?\s+)?(?:error|typo|correction|abuse)|send\s+(?:us\s+)?(?:a\s+)?(?:tip|feedback|correction))\b.{0,60}$
    | (?:home|news|menu|search|close|open|toggle\s+navigation|navigation|sections?)\W*$
    | (?:order\s+reprints|text\s+size|reprints?\s+(?:&|and)\s+permissions|tell\s+us\s+what\s+you\s+think)\W*$
    | (?:an\s+error\s+(?:has\s+)?occurred|something\s+went\s+wrong|this\s+(?:article|story)\s+has\s+been\s+sent\s+to)\b.{0,60}$
    | (?:thanks?(?:\s+you)?\s+for\s+(?:signing\s+up|subscribing|registering))\b.{0,60}$
    | write\s+to\s+[\w .'’-]{2,60}\s+at\s+\S+@\S+\W*$
    | (?:lesen\s+sie\s+(?:auch|hier|mehr)|auch\s+(?:interessant|lesen)|mehr\s+(?:zum\s+thema|themen|dazu)
        |weitere\s+(?:artikel|themen|beiträge|nachrichten|meldungen|aktuelle\s+themen)|schon\s+gelesen|(?:zum\s+)?weiterlesen
        |jetzt\s+(?:abonnieren|anmelden|registrieren|teilen)|kommentare\s+(?:sind\s+geschlossen|insgesamt)|keine\s+kommentare
        |sie\s+sind\s+(?:aktuell\s+)?nicht\s+eingeloggt|du\s+musst\s+eingeloggt|inhaltsverzeichnis|anzeige|werbung
        |alle\s+rechte\s+vorbehalten|das\s+(?:thema|könnte)\b.{0,30}\binteressieren)\b.{0,120}$
    | (?:lea\s+(?:también|más)|(?:le|te)\s+puede\s+interesar|vea\s+también|notas?\s+relacionadas?|noticias\s+relacionadas
        |más\s+sobre|s[ií]guenos\s+en|suscr[ií]bete)\b.{0,120}$
    | (?:(?:à\s+)?lire\s+aussi|voir\s+aussi|pour\s+(?:lire\s+la\s+suite|accéder)|abonnez-vous|inscrivez-vous)\b.{0,120}$
    | (?:czytaj\s+(?:też|także|również|więcej)|zobacz\s+(?:też|także|również)|dowiedz\s+się\s+więcej)\b.{0,120}$
    | (?:leggi\s+anche|potrebbe\s+interessarti|leia\s+(?:também|mais)|veja\s+também|saiba\s+mais)\b.{0,120}$

    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Text of embedded widgets that scrapers keep (Wayback captures of tweets), at any length.
_WIDGET = re.compile(
    r"^(?:\[(?:button|caption|embed|gallery|video|audio|ad)\b[^\]]*\]"
    r"|(?:this\s+copy\s+is\s+for\s+your\s+personal,?\s+non-commercial\s+use"
    r"|tweet\s+with\s+a\s+location|you\s+can\s+add\s+location\s+information\s+to\s+your\s+tweets"
    r"|this\s+(?:tweet|video|content)\s+is\s+(?:unavailable|not\s+available)|the\s+seed\s+for\s+\w+\s+was)\b)",
    re.IGNORECASE,
)

_COPYRIGHT = re.compile(
    r"^(?:.{0,60}(?:©|\(c\)|copyright\b).{0,160}|.{0,120}\ball\s+rights\s+reserved\b.{0,80})$",
    re.IGNORECASE,
)

_CREDIT_AGENCIES = (
    r"getty(?:\s+images)?|afp|reuters|ap(?:\s+photo)?|associated\s+press|epa(?:-efe)?|efe|"
    r"shutterstock|rex|alamy|pa(?:\s+(?:wire|media|images))?|tass|ria\s+novosti|sputnik|xinhua|"
    r"anadolu(?:\s+agency)?|bloomberg|nurphoto|sipa|ddp|dpa|imago|ansa|zuma(?:\s+press)?|"
    r"corbis|istock(?:photo)?|wikimedia(?:\s+commons)?|handout|file|supplied|courtesy[^)]{0,60}|"
    r"agency|press\s+association|pool|twitter|instagram|youtube|facebook"
)
_CREDIT = re.compile(
    rf"""(?:
        \((?:[^()]*/)?\s*(?:via\s+)?(?:{_CREDIT_AGENCIES})(?:\s*/\s*[^()]*)?\)\.?\s*$
      | \((?:image|photo|picture|pic|credit|source|video|footage|illustration|foto|bild)s?\s*(?::|by)\s*[^()]*\)\.?\s*$
      | (?:^|[.\s])(?:image|photo|picture|pic|credit|photograph|illustration|video|footage|(?:titel|beitrags)?bild|foto)s?\s*(?::|by)\s*[^.]{{0,80}}$
      | [/|©]\s*(?:{_CREDIT_AGENCIES})(?:\s*(?:/|via)\s*[\w .-]{{0,40}})?\s*$
      | (?:^|\s)(?:{_CREDIT_AGENCIES})\s*/\s*(?:{_CREDIT_AGENCIES})\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Each alternative of _CREDIT needs one of these (same flags), so a line without any cannot match
# it; this scan is cheap, while _CREDIT's search tries its alternatives at every position.
_CREDIT_HINT = re.compile(r"[()/|©:]|by", re.IGNORECASE)

_DATELINE_ONLY = re.compile(
    r"^(?:(?:published|updated|posted|last\s+(?:updated|modified)|aktualisiert|veröffentlicht|letzte\s+änderung"
    r"|veröffentlichung|stand|publié|mis\s+à\s+jour|publicado|actualizado)(?:\s+(?:am|on|le|el))?\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s*)?"
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\w{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+\w{3,9}\.?,?\s+\d{4})"
    r"(?:\s*(?:at|,|-|–|\|)?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|GMT[+-]?\d*|UTC[+-]?\d*)?)?\W*$",
    re.IGNORECASE,
)
_TIME_AGO = re.compile(
    r"^(?:(?:updated\s+)?\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago"
    r"|(?:updated|posted|published)\s+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)\W*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 16)
def normalize_line(line: str) -> str:
    """Whitespace-collapsed, NFC, case-folded form used to compare lines across documents."""
    return " ".join(unicodedata.normalize("NFC", line).split()).casefold()


@lru_cache(maxsize=1 << 16)
def noise_reason(line: str) -> str | None:
    """Why a line is page noise (a short reason), or None when it may be body text."""
    text = " ".join(line.split())
    if not text:
        return "empty"
    words = len(text.split())
    if _WIDGET.match(text):
        return "embedded widget"
    if words <= CTA_MAX_WORDS and _CTA.match(text):
        return "call to action"
    if words <= 40 and _COPYRIGHT.match(text):
        return "copyright"
    if words <= CREDIT_MAX_WORDS and _CREDIT_HINT.search(text) and _CREDIT.search(text):
        return "caption credit"
    if words <= 12 and (_DATELINE_ONLY.match(text) or _TIME_AGO.match(text)):
        return "date line"
    return None


_MENU_SEPARATOR = re.compile(r"\s+[|»›•·]\s+")


def is_menu(line: str) -> bool:
    """A menu crumb: three or more items of at most MENU_ITEM_WORDS words between separators.

    Text-dump decoding vetoes such lines; it is not one of noise_reason's rules, because as a
    classifier feature it made the cross-validated text-dump figure worse (0.919 -> 0.913).

    >>> is_menu("Home | News | Sport"), is_menu("Rain | a report from the coast, on Monday | BBC")
    (True, False)
    """
    items = _MENU_SEPARATOR.split(" ".join(line.split()))
    return len(items) >= 3 and all(0 < len(item.split()) <= MENU_ITEM_WORDS for item in items)


class OutletBoilerplate:
    """Lines that repeat across many documents of one outlet, learned from the corpus at hand.

    >>> learner = OutletBoilerplate()
    >>> for body in ("Story one.\\nRead our newsletter", "Story two.\\nRead our newsletter",
    ...              "Story three.\\nRead our newsletter"):
    ...     learner.add("example.com", body.splitlines())
    >>> sorted(learner.repeated("example.com"))
    ['read our newsletter']
    """

    def __init__(self, min_docs: int = REPEAT_MIN_DOCS, min_share: float = REPEAT_MIN_SHARE) -> None:
        self.min_docs = min_docs
        self.min_share = min_share
        self._counts: dict[str, Counter[str]] = defaultdict(Counter)
        self._docs: dict[str, set[int]] = defaultdict(set)

    def add(self, outlet: str, lines: Iterable[str]) -> None:
        """Count each distinct line of one document of ``outlet`` (identical documents count once)."""
        keys = {normalize_line(line) for line in lines if line.strip()}
        fingerprint = hash(frozenset(keys))
        if fingerprint in self._docs[outlet]:
            return
        self._docs[outlet].add(fingerprint)
        self._counts[outlet].update(keys)

    def repeated(self, outlet: str) -> frozenset[str]:
        """Normalised lines that count as boilerplate for ``outlet``."""
        docs = len(self._docs.get(outlet, ()))
        if docs < self.min_docs:
            return frozenset()
        need = max(self.min_docs, self.min_share * docs)
        return frozenset(line for line, n in self._counts[outlet].items() if n >= need)


def drop_repeated(paragraphs: Sequence[str], repeated: frozenset[str], max_share: float = 0.5) -> list[str]:
    """Paragraphs without the outlet's repeated lines, unless that would remove most of the text."""
    if not repeated:
        return list(paragraphs)
    kept = [p for p in paragraphs if normalize_line(p) not in repeated]
    total = sum(len(p.split()) for p in paragraphs) or 1
    if sum(len(p.split()) for p in kept) < (1 - max_share) * total:
        return list(paragraphs)
    return kept
