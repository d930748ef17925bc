"""The result of extracting one page: cleaned body text plus the metadata found in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Page:
    """Body text (paragraphs separated by a blank line) and metadata extracted from one document.

    >>> Page(text="First paragraph.\\n\\nSecond one.", title="A title").paragraphs()
    ['First paragraph.', 'Second one.']
    """

    text: str
    title: str | None = None
    byline: str | None = None
    published: datetime | None = None
    outlet: str | None = None
    language: str | None = None
    #: Fields read from the page's structured data (JSON-LD) or meta tags, which outrank a feed's
    #: fields; the others came from the page itself (h1, <title>, a dump's head lines, the URL).
    marked: frozenset[str] = frozenset()

    def paragraphs(self) -> list[str]:
        """The body paragraphs, in order."""
        return [p for p in self.text.split("\n\n") if p]

    def word_count(self) -> int:
        """Words of body text."""
        return len(self.text.split())
