"""The filterable facts of every stored article, in memory, for the front page's filters.

A language or an excluded outlet has no index in the store, so asking SQLite which stories have an
article passing such a filter reads every article (about a second at 100,000 articles). Instead the
front page keeps four small columns of every article (story, outlet, publication time, language) as
numpy arrays, read once per change of the stories and refreshed in a background thread while
requests keep the previous copy (as the ranking is), and answers any filter in a few milliseconds.
``Store.stories_matching`` is the same test in SQL (the tests check that both agree).

>>> from parallax.store.queries import ArticleFilter
>>> facts = ArticleFacts([("s1", "BBC", "2022-02-14T10:00:00+00:00", "en"), ("s2", "DW", None, "de")])
>>> sorted(facts.match(ArticleFilter(exclude=("bbc",)))), sorted(facts.match(ArticleFilter(published_from="2022")))
(['s2'], ['s1'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..store.queries import ArticleFilter


class ArticleFacts:
    """``(story_id, outlet, published, language)`` of each article as arrays; ``match`` filters them."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        stories: dict[str, int] = {}
        outlets: dict[str, int] = {}
        languages: dict[str, int] = {}
        story_codes: list[int] = []
        outlet_codes: list[int] = []
        lang_codes: list[int] = []
        published: list[str] = []
        for story_id, outlet, when, language in rows:
            story_codes.append(stories.setdefault(story_id, len(stories)))
            outlet_codes.append(outlets.setdefault(outlet.lower(), len(outlets)) if outlet else -1)
            lang_codes.append(languages.setdefault(language.lower(), len(languages)) if language else -1)
            published.append(when or "")
        self.story_ids = np.array(list(stories), dtype=object)
        self.outlets, self.languages = outlets, languages
        self.story = np.array(story_codes, dtype=np.int32)
        self.outlet = np.array(outlet_codes, dtype=np.int32)
        self.language = np.array(lang_codes, dtype=np.int32)
        self.published = np.array(published, dtype=str)

    def __len__(self) -> int:
        return len(self.story)

    def match(self, flt: ArticleFilter) -> set[str]:
        """The ids of stories with at least one article passing ``flt`` (as ``Store.stories_matching``)."""
        mask = np.ones(len(self.story), dtype=bool)
        if flt.published_from or flt.published_to:
            mask &= self.published != ""
        if flt.published_from:
            mask &= self.published >= flt.published_from
        if flt.published_to:
            mask &= self.published <= flt.published_to
        if flt.outlets:
            mask &= np.isin(self.outlet, [self.outlets.get(o.lower(), -2) for o in flt.outlets])
        if flt.exclude:
            left_out = [self.outlets[o.lower()] for o in flt.exclude if o.lower() in self.outlets]
            mask &= (self.outlet == -1) | ~np.isin(self.outlet, left_out)
        if flt.language:
            mask &= self.language == self.languages.get(flt.language.lower(), -2)
        return set(self.story_ids[np.unique(self.story[mask])].tolist())


def read_facts(store: Any) -> ArticleFacts:
    """Every article's facts from the store (one read of the articles table)."""
    return ArticleFacts(store.article_facts())
