"""Where the parallel stages of a build run: in this process (default) or on a Dask cluster.

A runner computes the stages that treat each document, article or story on its own: read, clean,
featurise (grouping features and the per-article analysis stored with each article), and the
synthesis of the touched stories (from those stored analyses). The
sequential stages (de-duplication, online grouping in time order, the write) always run in the
:class:`~parallax.pipeline.Pipeline` itself, through the same code whatever the runner, so a build
gives the same stories and syntheses in-process and on a cluster.

>>> from parallax.settings import load
>>> runner = InProcessRunner()
>>> runner.parallel, list(runner.read([], load()))
(False, [])
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..models import Article, RawDocument, Rejected, Story

if TYPE_CHECKING:
    from ..models import Synthesis
    from ..settings import Settings
    from ..stories import ArticleFeatures
    from ..text.embed import Embedder


@dataclass(frozen=True, slots=True)
class SynthesisJob:
    """One story to synthesise, from one snapshot of its members (picklable)."""

    story: Story
    canonical: tuple[Article, ...]
    copies: tuple[Article, ...]
    summary_words: int
    embeddings: bool
    #: ``(article id, blob)`` of the stored per-article analyses (``synthesis/stored.py``) to reuse.
    analyses: tuple[tuple[str, bytes], ...] = ()


#: ``article id -> (analysis version, embedder, blob)``: per-article analyses to store (``synthesis/stored.py``).
Analyses = dict[str, tuple[str, "str | None", bytes]]


def run_synthesis(job: SynthesisJob) -> Synthesis:
    """Synthesise one job (the function every runner calls, in-process or on a worker), reading the
    stored analyses it carries instead of analysing those articles again."""
    from ..synthesis import synthesize

    if job.analyses:
        from ..synthesis.stored import seed_blobs

        seed_blobs(job.canonical, dict(job.analyses))
    return synthesize(job.story, list(job.canonical), copies=list(job.copies),
                      summary_words=job.summary_words, embeddings=job.embeddings)


class Runner(Protocol):
    """The parallel stages of a build."""

    #: Whether :meth:`synthesize` computes many stories at once (else the pipeline synthesises one
    #: story at a time, saving each before computing the next).
    parallel: bool

    def read(self, paths: Iterable[str | os.PathLike[str]], settings: Settings) -> Iterator[RawDocument | Rejected]: ...

    def clean(self, raw: Sequence[RawDocument], settings: Settings) -> Iterator[Article | Rejected]: ...

    def featurize(self, articles: Sequence[Article], settings: Settings,
                  embedder: Embedder) -> list[ArticleFeatures]: ...

    def analyse(self, articles: Sequence[Article], settings: Settings) -> Analyses:
        """The per-article analysis of each article, encoded to be stored (after :meth:`featurize`,
        which makes part of it on the way)."""
        ...

    def synthesize(self, jobs: Sequence[SynthesisJob]) -> Iterator[Synthesis | Exception]: ...


class InProcessRunner:
    """Every stage in this process, one item after another (the default)."""

    parallel = False

    def read(self, paths: Iterable[str | os.PathLike[str]], settings: Settings) -> Iterator[RawDocument | Rejected]:
        from ..sources.files import read_paths

        return read_paths(paths, settings)

    def clean(self, raw: Sequence[RawDocument], settings: Settings) -> Iterator[Article | Rejected]:
        from ..clean import clean_documents

        return clean_documents(raw, settings)

    def featurize(self, articles: Sequence[Article], settings: Settings, embedder: Embedder) -> list[ArticleFeatures]:
        from ..stories import featurize

        return featurize(articles, settings, embedder)

    def analyse(self, articles: Sequence[Article], settings: Settings) -> Analyses:
        from ..synthesis.stored import encode_many

        return encode_many(articles, embeddings=settings.embeddings)

    def synthesize(self, jobs: Sequence[SynthesisJob]) -> Iterator[Synthesis | Exception]:
        for job in jobs:
            try:
                yield run_synthesis(job)
            except Exception as error:  # noqa: BLE001 - one story never fails the batch
                yield error


__all__ = ["Analyses", "InProcessRunner", "Runner", "SynthesisJob", "run_synthesis"]
