"""Sentence splitting with character offsets into the original text.

Paragraph breaks (a blank line, or a line break followed by a capitalised or quoted line) always
end a sentence; inside a paragraph, pysbd's rule-based English segmenter decides.

>>> [s.text for s in split_sentences("Troops left. Mr. Biden doubts it.\\n\\nNATO agreed")]
['Troops left.', 'Mr. Biden doubts it.', 'NATO agreed']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache

from ..models import Sentence

log = logging.getLogger(__name__)

# A blank line (possibly holding spaces), or a single line break before a line that starts a new
# block (capital letter, digit, quotation mark, bullet); a lower-case continuation is a wrapped line.
_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*|\n(?=[ \t]*[A-Z0-9\"'“‘«\-–—•*(\[])")
_MAX_PARAGRAPH = 20_000  # characters handed to pysbd at once; longer runs are cut at whitespace


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    """The pysbd English segmenter (its quadratic steps made linear: :mod:`.segmenter`), built once."""
    from .segmenter import LinearSegmenter

    return LinearSegmenter(clean=False, char_span=False)


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) spans of the paragraphs of ``text``."""
    start = 0
    for match in _BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut an overlong paragraph into pieces of at most ``_MAX_PARAGRAPH`` characters."""
    while end - start > _MAX_PARAGRAPH:
        cut = text.rfind(" ", start, start + _MAX_PARAGRAPH)
        cut = cut if cut > start else start + _MAX_PARAGRAPH
        yield start, cut
        start = cut
    yield start, end


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, limit: int | None = None) -> list[Sentence]:
    """The sentences of ``text``, stripped, with ``text[s.start:s.end] == s.text``.

    With ``limit``, only the first ``limit`` sentences, and the text after the paragraph piece that
    holds the last of them is never segmented (pysbd cost most of a very long article's analysis
    for sentences nobody reads). Pieces are segmented independently, so the first ``limit``
    sentences are the same as without it.

    >>> [s.text for s in split_sentences("One. Two.\\n\\nThree. Four.", limit=3)]
    ['One.', 'Two.', 'Three.']
    """
    sentences: list[Sentence] = []
    for p_start, p_end in _paragraphs(text):
        if limit is not None and len(sentences) >= limit:
            break
        p_start, p_end = _strip_span(text, p_start, p_end)
        if p_start >= p_end:
            continue
        for c_start, c_end in _chunks(text, p_start, p_end):
            if limit is not None and len(sentences) >= limit:
                break
            piece = text[c_start:c_end]
            try:
                segments = _segmenter().segment(piece)
            except (ValueError, IndexError, TypeError, RuntimeError) as exc:  # pysbd can fail on odd input: keep the piece whole
                log.debug("pysbd failed on a paragraph (%s); kept it as one sentence", exc)
                segments = [piece]
            cursor = 0
            for segment in segments:
                seg = segment.strip()
                if not seg:
                    continue
                found = piece.find(seg, cursor)
                if found < 0:  # pysbd altered the text: fall back to the rest of the piece
                    log.debug("pysbd segment not found verbatim; kept the rest of the paragraph")
                    found = cursor
                    seg_end = len(piece)
                else:
                    seg_end = found + len(seg)
                s, e = _strip_span(text, c_start + found, c_start + seg_end)
                if s < e:
                    sentences.append(Sentence(text[s:e], s, e))
                cursor = seg_end
                if cursor >= len(piece):
                    break
    return sentences if limit is None else sentences[:limit]
