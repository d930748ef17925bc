"""Pages that are a service's notice, not an article: web-archive crawl notes, social-embed prompts.

Scraped news corpora (and feeds of archived links) carry captures where the article never loaded and
only the archive's or the embed's own text is left: "These crawls are part of an effort to archive
pages …", "The seed for this crawl was …", "Add a location to your Tweets …". Such a page is the same
everywhere, so the copy detector folds every capture into one "article" that then joins unrelated
stories. A page whose text is short and made of these notices is rejected with its reason.

>>> notice_reason("The seed for this crawl was a list of every host in the Wayback Machine. "
...               "This crawl was run at a level 1 (URLs including their embeds).")
'web-archive notice, not an article'
>>> notice_reason("The Internet Archive said on Monday that its Wayback Machine had saved a trillion "
...               "pages. The archive's founder, Brewster Kahle, said the crawl would go on. "
...               "Publishers have asked it to remove their pages, and a court ruled against it "
...               "last year in a case brought by four book publishers over its lending library.") is None
True
"""

from __future__ import annotations

import re

# A notice page is short: a real article that mentions the archive has more to say.
NOTICE_MAX_WORDS = 150
# Share of the page's words that notice cues must cover (by sentence).
NOTICE_MIN_SHARE = 0.6

_CUES = {
    "web-archive notice": re.compile(
        r"\b(?:wayback\s+machine|internet\s+archive|crawl(?:s|ed|ing)?\b|warc\s+files?|the\s+seed\s+for"
        r"|urls?\s+(?:including|per\s+domain|that\s+have)|inter-domain|embargo\s+period|archive\s+(?:the\s+)?pages|archived\s+pages|broken\s+links?"
        r"|slash\s+pages|ranked\s+(?:urls|pages)|no\s+more\s+404|archive-it|web\s+(?:captures?|collections?))",
        re.IGNORECASE,
    ),
    "social-embed prompt": re.compile(
        r"\b(?:your\s+tweets?|tweet\s+with\s+a\s+location|tweet\s+location|location\s+(?:information|history)"
        r"|twitter\s+stores|switch\s+location|learn\s+more\s*$)",
        re.IGNORECASE,
    ),
}
_PIECES = re.compile(r"(?<=[.!?:])\s+|\n+|(?<=[a-z])\.(?=[A-Z])")


def notice_reason(text: str) -> str | None:
    """Why ``text`` is a service notice rather than an article, or None.

    The page is cut into sentences and lines; when the pieces that carry a cue of one kind hold
    most of its words (and the page is short), the page is that kind of notice."""
    words = len(text.split())
    if not words or words > NOTICE_MAX_WORDS:
        return None
    pieces = [p for p in _PIECES.split(text) if p and p.strip()]
    for kind, cue in _CUES.items():
        covered = sum(len(p.split()) for p in pieces if cue.search(p))
        distinct = {m.group(0).lower() for m in cue.finditer(text)}
        if covered >= NOTICE_MIN_SHARE * words and len(distinct) >= 2:
            return f"{kind}, not an article"
    return None
