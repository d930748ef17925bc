"""Synthesis: the attributed view of one story across its outlets.

What happened (an extractive summary), who says what (quotes), which numbers are given by whom
(figures), what outlets agree on and what is contested (claims), when things happened (timeline),
who is involved (entities) and who covered what (coverage). Every text is verbatim in each article
it cites, which :func:`check_substrings` verifies.

>>> from parallax.models import Article, Story
>>> a = Article.create(source="a", outlet="Wire", text="NATO said on Tuesday that 150,000 troops remain near the border.")
>>> s = synthesize(Story("s1", "Troops", (a.id,)), [a], summary_words=20)
>>> s.summary[0].article_ids == (a.id,), check_substrings(s, {a.id: a})
(True, [])
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ..models import Article, Story, Synthesis
from .analysis import analyse
from .attributed import _speakers, merge_figures, merge_quotes, speaker_names
from .check import check_substrings
from .claims import find_claims
from .coverage import outlet_coverage, story_entities
from .names import canonical_headings, story_names
from .summary import score_units, summarize
from .timeline import build_timeline

__all__ = ["check_substrings", "synthesize"]

log = logging.getLogger(__name__)


def synthesize(
    story: Story,
    articles: Sequence[Article],
    *,
    copies: Sequence[Article] = (),
    summary_words: int = 120,
    embeddings: bool = True,
) -> Synthesis:
    """The synthesis of ``story`` from its canonical ``articles`` and their syndicated ``copies``.

    ``embeddings=False`` (or an unavailable embedder) uses TF-IDF similarity alone.
    """
    wanted = set(story.article_ids)
    canon = [a for a in articles if not wanted or a.id in wanted] or list(articles)
    text = analyse(canon, copies, embeddings=embeddings)
    scores = score_units(text)
    speakers = _speakers(text)
    name = speaker_names(text, speakers)
    names = story_names(text, speakers)
    all_ids = tuple(a.id for a in canon) + tuple(c.id for c in copies if c.id not in {a.id for a in canon})
    outlets = tuple(dict.fromkeys(text.outlets[i] for i in all_ids))
    log.debug("synthesising story %s: %d articles, %d copies, %d sentences", story.id, len(canon), len(copies), len(text.units))
    claims = find_claims(text, scores, name)
    synthesis = Synthesis(
        story_id=story.id,
        title=story.title,
        article_ids=tuple(a.id for a in canon),  # copies are reached through duplicate_of
        outlets=outlets,
        summary=summarize(text, summary_words, scores, claims),
        quotes=merge_quotes(text),
        figures=merge_figures(text),
        claims=claims,
        timeline=build_timeline(text, scores),
        entities=story_entities(text, names),
        coverage=outlet_coverage(text, scores),
        keywords=story.keywords,
    )
    return canonical_headings(synthesis, names)  # quotes, claims and figures under the entities' names
