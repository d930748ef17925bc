"""The parallel stages of a build on a Dask cluster (``parallax build PATH… --workers N | --scheduler ADDR``).

Read, clean, featurise (with each article's analysis: sentences and their vectors, entities, quotes,
figures, sent back to be stored with the article) and the synthesis of the touched stories (each job
carries its articles' stored analyses) are Dask tasks over picklable inputs, run by the module-level
functions below on the workers. De-duplication, the online grouping in time order and the write stay
in the :class:`~parallax.pipeline.Pipeline` in this process, through the same code as an in-process
build; the result is the same stories and the same syntheses.

Cleaning learns each outlet's repeated lines across a window of documents
(:func:`parallax.clean.clean_documents`); here the extraction runs on the workers, the (cheap)
counting of lines runs here in input order, and the workers finish each document with the lines
found repeated at its window, as the in-process run does.

``dask[distributed]`` is an optional dependency: ``pip install 'parallax-news[dask]'``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from ..errors import ConfigError
from ..models import Article, RawDocument, Rejected
from . import Analyses, SynthesisJob, run_synthesis

if TYPE_CHECKING:
    from ..models import Synthesis
    from ..settings import Settings
    from ..stories import ArticleFeatures
    from ..text.embed import Embedder

log = logging.getLogger(__name__)

INSTALL_HINT = "the Dask runner needs dask.distributed: pip install 'parallax-news[dask]'"
#: Documents per read/clean task and articles per featurise task: enough tasks to keep every
#: worker busy, few enough that the scheduler's cost per task (about 1 ms) stays small.
FILES_PER_TASK = 16
DOCUMENTS_PER_TASK = 32
ARTICLES_PER_TASK = 64
TASKS_PER_WORKER = 2  # at least this many tasks per worker in a stage, when the batch allows (chunk_size)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        raise ConfigError(INSTALL_HINT) from error
    # distributed logs every cluster event at INFO on its own handler: keep a build's output quiet.
    for name in ("distributed", "distributed.scheduler", "distributed.worker"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # at close, a worker whose embedding thread is still parked is killed after 4 s: nothing is lost
    logging.getLogger("distributed.nanny").setLevel(logging.ERROR)
    return distributed


# -- worker functions (module level: pickled by reference) -------------------------------------


def read_files(files: Sequence[str], settings: Settings) -> list[RawDocument | Rejected]:
    """Read a few files (every record of a JSONL or WARC archive)."""
    from ..sources.files import read_paths

    return list(read_paths(files, settings))


def prepare_documents(docs: Sequence[RawDocument]) -> list[Any]:
    """Decode and extract documents (the first half of cleaning); stays on the worker."""
    from ..clean import _prepare

    return [_prepare(doc) for doc in docs]


def outlet_lines(prepared: Sequence[Any]) -> list[tuple[str | None, tuple[str, ...]]]:
    """What the boilerplate learner counts of each prepared document (its outlet and its lines)."""
    return [(p.outlet_key if p.rejected is None else None, p.units) for p in prepared]


def finish_documents(prepared: Sequence[Any], repeated: Sequence[frozenset[str]],
                     settings: Settings) -> list[Article | Rejected]:
    """Finish cleaning each prepared document with its outlet's repeated lines."""
    from ..clean import _finish

    return [_finish(p, lines, settings) for p, lines in zip(prepared, repeated)]


def featurize_articles(articles: Sequence[Article], settings: Settings,
                       embedder: Embedder) -> tuple[list[ArticleFeatures], Analyses]:
    """Grouping features of a few articles (embeddings, terms, entities), with their per-article
    analysis (sentences and their vectors, mentions, quotes…), encoded to be stored and reused by
    every synthesis of their stories."""
    from ..stories import featurize
    from ..synthesis.stored import encode_many

    features = featurize(articles, settings, embedder)
    return features, encode_many(articles, embeddings=settings.embeddings)


def analyse_articles(articles: Sequence[Article], settings: Settings) -> Analyses:
    """The per-article analysis of a few articles, encoded to be stored."""
    from ..synthesis.stored import encode_many

    return encode_many(articles, embeddings=settings.embeddings)


def warm_models() -> bool:
    """Load MiniLM and spaCy's model in this process (a worker's first task would otherwise pay it)."""
    from ..text.embed import default_embedder
    from ..text.entities import extract_entities, parse

    default_embedder().embed(["Warm up."])
    extract_entities(["Warm up in Paris."])
    parse("Warm up in Paris.")  # the parser model of the quote reader, loaded apart from the recogniser
    return True


def synthesize_story(job: SynthesisJob) -> Synthesis | Exception:
    """Synthesise one story (from its articles' stored analyses, which the job carries); a failure
    comes back as a value (one story never fails the batch)."""
    try:
        return run_synthesis(job)
    except Exception as error:  # noqa: BLE001
        return error


# -- the runner ---------------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def chunk_size(count: int, most: int, workers: int) -> int:
    """Items per task: at most ``most``, and small enough that every worker gets work twice over.

    A batch smaller than ``workers × most`` in chunks of ``most`` would leave workers idle: 52
    articles in chunks of 64 made one featurise task, so a second worker waited through the costliest
    stage. Two tasks per worker also let a fast worker take over from a slow one.

    >>> chunk_size(52, 64, 2), chunk_size(1000, 64, 2), chunk_size(3, 64, 4), chunk_size(0, 64, 2)
    (13, 64, 1, 1)
    """
    return max(1, min(most, -(-count // max(1, TASKS_PER_WORKER * workers))))


def balanced(weights: Sequence[int], most: int, workers: int) -> list[list[int]]:
    """Indices of the items, in tasks of about equal cost: as many tasks as :func:`chunk_size` makes,
    each item (heaviest first) onto the lightest task with room; the heaviest task comes first.

    Chunks in article order left one worker idle through the end of a stage: the cost of an article
    grows with its length, and four chunks of 13 Multi-News articles differed by more than 2x.

    >>> balanced([5, 1, 1, 1, 4, 4], 64, 1)
    [[4, 5, 3], [0, 1, 2]]
    >>> balanced([], 64, 2), balanced([3], 64, 2)
    ([], [[0]])
    """
    if not weights:
        return []
    size = chunk_size(len(weights), most, workers)
    tasks: list[tuple[int, list[int]]] = [(0, []) for _ in range(-(-len(weights) // size))]
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        k = min((k for k, (_, items) in enumerate(tasks) if len(items) < size), key=lambda k: tasks[k][0])
        load, items = tasks[k]
        tasks[k] = (load + weights[i], [*items, i])
    return [items for _, items in sorted(tasks, key=lambda t: -t[0])]


def _cost(article: Article) -> int:
    """What an article's analysis costs, roughly: its length (spaCy and MiniLM read at most 100,000
    characters)."""
    return min(len(article.text), 100_000) + len(article.title or "")


class DaskRunner:
    """Runs the parallel stages on a ``distributed.Client``.

    Use :meth:`local` (a ``LocalCluster`` of processes with one thread each) or :meth:`connect`
    (an existing scheduler), as a context manager so the cluster is closed afterwards.
    """

    parallel = True

    def __init__(self, client: Any, *, cluster: Any = None) -> None:
        self.client = client
        self._cluster = cluster
        self._analyses: Analyses = {}  # made by the featurise tasks, until the pipeline asks for them

    @classmethod
    def local(cls, workers: int) -> DaskRunner:
        """A LocalCluster of ``workers`` processes, one thread each (the NLP libraries hold the GIL)."""
        if workers < 1:
            raise ConfigError(f"--workers must be at least 1 (got {workers})")
        distributed = _distributed()
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.ERROR)
        return cls(distributed.Client(cluster), cluster=cluster)

    @classmethod
    def connect(cls, address: str) -> DaskRunner:
        """A client of an existing scheduler (``tcp://host:8786``)."""
        distributed = _distributed()
        try:
            client = distributed.Client(address, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise ConfigError(f"cannot reach the Dask scheduler at {address}: {error}") from error
        return cls(client)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def warm(self) -> None:
        """Load the models on every worker now (before the first batch; optional)."""
        self.client.run(warm_models)

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    # -- stages ----------------------------------------------------------------------------

    def read(self, paths: Iterable[str | os.PathLike[str]], settings: Settings) -> Iterator[RawDocument | Rejected]:
        """Every document under the paths, in the in-process order; files are read by the workers."""
        from ..sources.files import _walk, read_paths

        files: list[str] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(str(f) for f in _walk(path))
            elif path.is_file():
                files.append(str(path))
            else:  # missing or not a regular file: the in-process reader words the rejection
                if files:
                    yield from self._read(files, settings)
                    files = []
                yield from read_paths([path], settings)
        yield from self._read(files, settings)

    def _read(self, files: list[str], settings: Settings) -> Iterator[RawDocument | Rejected]:
        if not files:
            return
        settings_f = self.client.scatter(settings, broadcast=True)
        futures = [self.client.submit(read_files, list(chunk), settings_f, pure=False)
                   for chunk in _chunks(files, FILES_PER_TASK)]
        for future in futures:
            yield from future.result()

    def clean(self, raw: Sequence[RawDocument], settings: Settings) -> Iterator[Article | Rejected]:
        """:func:`parallax.clean.clean_documents` with the extraction and the finish on the workers."""
        from ..clean import BATCH_WINDOW
        from ..clean.boilerplate import OutletBoilerplate

        if not raw:
            return
        client = self.client
        size = chunk_size(len(raw), DOCUMENTS_PER_TASK, self.workers)
        prepared = [client.submit(prepare_documents, list(chunk), pure=False)
                    for chunk in _chunks(list(raw), size)]
        lines = client.gather([client.submit(outlet_lines, p, pure=False) for p in prepared])
        # The learner, in input order, exactly as clean_documents feeds it.
        keys = [item for chunk in lines for item in chunk]
        learner = OutletBoilerplate()
        repeated: list[frozenset[str]] = []
        for start in range(0, len(keys), BATCH_WINDOW):
            window = keys[start : start + BATCH_WINDOW]
            for outlet, units in window:
                if outlet:
                    learner.add(outlet, units)
            memo: dict[str, frozenset[str]] = {}
            for outlet, _ in window:
                key = outlet or ""
                if key not in memo:
                    memo[key] = learner.repeated(key)
                repeated.append(memo[key])
        settings_f = client.scatter(settings, broadcast=True)
        finished = [client.submit(finish_documents, p, repeated[i * size : (i + 1) * size],
                                  settings_f, pure=False)
                    for i, p in enumerate(prepared)]
        for future in finished:
            yield from future.result()

    def featurize(self, articles: Sequence[Article], settings: Settings, embedder: Embedder) -> list[ArticleFeatures]:
        if not articles:
            return []
        tasks = balanced([_cost(a) for a in articles], ARTICLES_PER_TASK, self.workers)
        futures = [self.client.submit(featurize_articles, [articles[i] for i in task], settings, embedder,
                                      pure=False) for task in tasks]
        out: list[ArticleFeatures | None] = [None] * len(articles)
        for task, (features, analyses) in zip(tasks, self.client.gather(futures)):
            for i, feature in zip(task, features):
                out[i] = feature
            self._analyses.update(analyses)
        return [f for f in out if f is not None]

    def analyse(self, articles: Sequence[Article], settings: Settings) -> Analyses:
        """The analyses the featurise tasks made; those of other articles are made by new tasks."""
        found = {a.id: self._analyses.pop(a.id) for a in articles if a.id in self._analyses}
        missing = [a for a in articles if a.id not in found]
        if missing:
            tasks = balanced([_cost(a) for a in missing], ARTICLES_PER_TASK, self.workers)
            futures = [self.client.submit(analyse_articles, [missing[i] for i in task], settings, pure=False)
                       for task in tasks]
            for made in self.client.gather(futures):
                found.update(made)
        self._analyses.clear()
        return found

    def synthesize(self, jobs: Sequence[SynthesisJob]) -> Iterator[Synthesis | Exception]:
        """One task per story, largest first (the long ones start early); results in job order."""
        order = sorted(range(len(jobs)), key=lambda i: -sum(len(a.text) for a in jobs[i].canonical))
        futures: dict[int, Any] = {i: self.client.submit(synthesize_story, jobs[i], pure=False,
                                                         priority=len(jobs) - rank)
                                   for rank, i in enumerate(order)}
        for i in range(len(jobs)):
            try:
                yield futures.pop(i).result()
            except Exception as error:  # noqa: BLE001 - a lost worker fails one story, not the batch
                yield error


__all__ = ["INSTALL_HINT", "DaskRunner"]
