"""A pickle cache of analysed stories for re-running the contested claims with another pair scorer (outside the repo).

``analyse`` (splitting, tagging, embeddings) costs most of a contested-claims evaluation and does not depend on the
pair scorer; the candidates memoised on the story do (their features follow the model), so they are dropped on load.
Keyed by the articles' ids, sources and outlets (an id hashes the text)."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from pathlib import Path

MODEL_DEPENDENT = ("claim_candidates",)


def cached(analyse: Callable, folder: Path) -> Callable:
    folder.mkdir(parents=True, exist_ok=True)

    def wrapper(articles, *args, **kwargs):
        if args or kwargs:
            return analyse(articles, *args, **kwargs)
        key = hashlib.sha1(json.dumps([(a.id, a.source, a.outlet) for a in articles]).encode()).hexdigest()
        path = folder / f"{key}.pkl"
        if path.exists():
            story = pickle.loads(path.read_bytes())
            for name in MODEL_DEPENDENT:
                story.memo.pop(name, None)
            return story
        story = analyse(articles)
        memo = story.memo
        story.memo = {k: v for k, v in memo.items() if k not in MODEL_DEPENDENT}
        try:
            path.write_bytes(pickle.dumps(story))
        except (pickle.PicklingError, TypeError, AttributeError):
            pass
        story.memo = memo
        return story

    return wrapper
