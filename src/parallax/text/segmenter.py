"""pysbd's English segmenter without its two quadratic steps, giving the same sentences.

pysbd 0.3.4 spends time that grows with the square of a paragraph's length in two places:

- ``AbbreviationReplacer.search_for_abbreviations_in_string`` runs a substitution over the whole
  text once for *every occurrence* of an abbreviation ('p', 'v', 'al', 'no' ... match the start of
  any word beginning with them). A substitution depends only on the occurrence's stripped text and
  applying it again changes nothing (its lookbehind needs the abbreviation before the dot, and the
  dot it replaces is never in another match's context), so each distinct one is applied once, in
  the order of first occurrence. The patterns, compiled once here, are pysbd's own.
- ``Segmenter.sentences_with_char_spans`` compiles a regular expression for every sentence and scans
  the text from its start for each: here the sentence is looked up with ``str.find`` (the same
  non-overlapping matches of the sentence plus its trailing whitespace), from the start of the
  previous sentence's match; only when nothing is found from there is the whole text scanned, as
  pysbd does.

``tests/test_text_sentences.py`` checks both against pysbd's own code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pysbd
from pysbd.lang.english import English
from pysbd.utils import TextSpan


@lru_cache(maxsize=4096)
def _pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(source, flags)


def _prepositive(txt: str, abbr: str) -> str:
    # pysbd's replace_prepositive_abbr (the abbreviation is not escaped there either)
    pattern = _pattern(rf"(?<=\s{abbr.strip()})\.(?=(\s|:\d+))")
    return pattern.sub("∯", " " + txt)[1:]


def _pre_number(txt: str, abbr: str) -> str:
    # pysbd's replace_pre_number_abbr
    pattern = _pattern(rf"(?<=\s{abbr.strip()})\.(?=(\s\d|\s+\())")
    return pattern.sub("∯", " " + txt)[1:]


def _period(txt: str, abbr: str) -> str:
    # pysbd's AbbreviationReplacer.replace_period_of_abbr
    pattern = _pattern(rf"(?<=\s{re.escape(abbr.strip())})\.(?=((\.|\:|-|\?|,)|(\s([a-z]|I\s|I'm|I'll|\d|\())))")
    return pattern.sub("∯", " " + txt)[1:]


class _AbbreviationReplacer(English.AbbreviationReplacer):  # type: ignore[misc]
    def search_for_abbreviations_in_string(self, text: str) -> str:
        lowered = text.lower()
        prepositive = self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS
        number_abbr = self.lang.Abbreviation.NUMBER_ABBREVIATIONS
        for abbr in self.lang.Abbreviation.ABBREVIATIONS:
            stripped = abbr.strip()
            if stripped not in lowered:
                continue
            abbrev_match = _pattern(rf"(?:^|\s|\r|\n){stripped}", re.IGNORECASE).findall(text)
            if not abbrev_match:
                continue
            char_array = _pattern(r"(?<={" + str(re.escape(stripped)) + "} ).{1}").findall(text)
            applied: set[str] = set()
            for ind, match in enumerate(abbrev_match):
                char = char_array[ind] if ind < len(char_array) else ""
                key = match.strip()
                lower = key.lower()
                if str(char).isupper() and lower not in prepositive:
                    continue
                if key in applied:
                    continue  # the same substitution again: a no-op
                applied.add(key)
                if lower in prepositive:
                    text = _prepositive(text, match)
                elif lower in number_abbr:
                    text = _pre_number(text, match)
                else:
                    text = _period(text, match)
        return text


class _English(English):  # type: ignore[misc]
    AbbreviationReplacer = _AbbreviationReplacer


def _whitespace_end(text: str, end: int) -> int:
    while end < len(text) and text[end].isspace():  # what ``\s*`` takes after the sentence
        end += 1
    return end


def _first_match_after(text: str, sent: str, start: int, prior_end: int) -> TextSpan | None:
    """The first of the non-overlapping matches of ``sent`` + whitespace found from ``start``
    whose end is past ``prior_end`` (``re.finditer(re.escape(sent) + r'\\s*', text)`` from there)."""
    at = text.find(sent, start)
    while at >= 0:
        end = _whitespace_end(text, at + len(sent))
        if end > prior_end:
            return TextSpan(text[at:end], at, end)
        at = text.find(sent, end)
    return None


class LinearSegmenter(pysbd.Segmenter):  # type: ignore[misc]
    """``pysbd.Segmenter(language="en")`` whose cost grows linearly with the text."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(language="en", **kwargs)
        self.language_module = _English

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        spans: list[TextSpan] = []
        prior_start = prior_end = 0
        for sent in sentences:
            if not sent:  # an empty pattern matches everywhere: keep pysbd's own handling
                found = next((TextSpan(m.group(), *m.span()) for m in re.finditer(r"\s*", self.original_text)
                              if m.end() > prior_end), None)
            else:
                found = _first_match_after(self.original_text, sent, prior_start, prior_end)
                if found is None and prior_start > 0:
                    found = _first_match_after(self.original_text, sent, 0, prior_end)
            if found is not None:
                spans.append(found)
                prior_start, prior_end = found.start, found.end
        return spans
