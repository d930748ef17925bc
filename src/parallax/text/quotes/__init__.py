"""Direct quotes and who said them, as a pipeline of small parts.

- :mod:`.spans`: the words inside quotation marks (any mark style, continued across paragraphs);
- :mod:`.sieves`: the ordered attribution rules (patterns around the quote, the parse, pronouns and
  descriptions resolved in the article), whose answer is the first vote for each quote's speaker;
- :mod:`.candidates`: the candidate speakers of a quote (person and organisation mentions around it,
  and the sieves' answer) with their features;
- :mod:`.ranker`: a learned ranker over the candidates (trees run in numpy, ``data/speaker_ranker.json``,
  trained by ``bench/train_speakers.py`` on PolNeAR train);
- :mod:`.xenc`: an optional MiniLM cross-encoder (int8 ONNX, ``data/speaker_xenc.onnx``, trained by
  ``bench/train_speaker_xenc.py``) that re-scores the ranker's top candidates of a quote; its score
  is blended with the trees' (``data/speaker_xenc.json``). Not shipped: on PolNeAR dev it gained one
  quote of 157 over the trees for about 0.34 s of CPU per article (a 20-article story: +7 s on
  4.9 s), so the trees rank alone unless both files are put in ``data/``;
- :mod:`.lexicon`: the word lists as data files in ``data/``, shared with ``synthesis/claims.py``.

>>> q = extract_quotes('“We see no withdrawal,” NATO chief Jens Stoltenberg said.')[0]
>>> q.text, q.speaker
('We see no withdrawal', 'Jens Stoltenberg')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..entities import Mention
from . import sieves
from .candidates import quote_candidates
from .ranker import load_cross_scorer, load_ranker
from .sieves import (
    REPORTING,
    attribution,
    name_completer,
    name_from_phrase,
    persons_relabelled,
    prime_reporters,
    reporter,
    tidy_speaker,
)
from .spans import MIN_WORDS, QuoteSpan


def extract_quotes(text: str, persons: Sequence[Mention] = (), *, parser: bool = True, rank: bool = True) -> list[QuoteSpan]:
    """The direct quotes of ``text`` with their speakers; ``persons`` (spaCy mentions) help names.

    The sieves (:func:`.sieves.extract_quotes`) find the quotes and vote a speaker for each (the
    dependency parse where their patterns fail: ``parser``); the learned ranker (``rank``) then
    picks each quote's speaker among its candidates (:mod:`.candidates`, :mod:`.ranker`).

    >>> [q.speaker for q in extract_quotes('Biden said: "They are still coming, I think."')]
    ['Biden']
    """
    quotes = sieves.extract_quotes(text, persons, parser=parser)
    ranker = load_ranker() if rank else None
    if ranker is not None and quotes:
        quotes = ranker.apply(quotes, quote_candidates(text, persons, quotes), text, load_cross_scorer())
    return [q if tidy_speaker(q.speaker) == q.speaker else replace(q, speaker=tidy_speaker(q.speaker)) for q in quotes]


__all__ = [
    "MIN_WORDS",
    "REPORTING",
    "QuoteSpan",
    "attribution",
    "extract_quotes",
    "name_completer",
    "name_from_phrase",
    "persons_relabelled",
    "prime_reporters",
    "reporter",
]
