"""The Embedder protocol and the embedder recorded in the story grouper's saved state."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from parallax.models import Article
from parallax.settings import load
from parallax.stories import EmbedderMismatch, StoryGrouper
from parallax.text.embed import DIMENSIONS, Embedder, MiniLMEmbedder, default_embedder


class LetterEmbedder:
    """A toy embedder: letter counts, L2-normalised."""

    def __init__(self, name: str = "letters", dimension: int = 26) -> None:
        self.name, self.dimension = name, dimension

    def embed(self, texts: Sequence[str], *, max_tokens: int = 256) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), np.float32)
        for i, text in enumerate(texts):
            for c in text.lower():
                if "a" <= c <= "z":
                    out[i, (ord(c) - 97) % self.dimension] += 1
        return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)


ARTICLES = [
    Article.create(source="a", title="Volcano erupts", text="Lava from the volcano reached the sea near Grindavik."),
    Article.create(source="b", title="Lava reaches sea", text="Volcano lava reached the sea near the town of Grindavik."),
]


def test_minilm_is_the_default_and_an_embedder() -> None:
    embedder = default_embedder()
    assert isinstance(embedder, MiniLMEmbedder) and isinstance(embedder, Embedder)
    assert embedder.dimension == DIMENSIONS
    assert isinstance(LetterEmbedder(), Embedder)


def test_grouper_runs_on_a_swapped_embedder_and_records_it() -> None:
    settings = load(embeddings=True)
    grouper = StoryGrouper(settings, LetterEmbedder())
    assignments = grouper.add_many(ARTICLES)
    assert assignments[0].story_id == assignments[1].story_id
    restored = StoryGrouper.from_state(grouper.state(), settings, LetterEmbedder())
    assert (restored.model, restored.dimension) == ("letters", 26)
    assert restored.story_of(ARTICLES[1].id) == assignments[1].story_id


@pytest.mark.parametrize("other", [LetterEmbedder("other-model", 26), LetterEmbedder("letters", 13)])
def test_state_of_another_embedder_is_refused(other: LetterEmbedder) -> None:
    settings = load(embeddings=True)
    grouper = StoryGrouper(settings, LetterEmbedder())
    grouper.add_many(ARTICLES)
    with pytest.raises(EmbedderMismatch, match="letters"):
        StoryGrouper.from_state(grouper.state(), settings, other)


def test_hashed_state_is_refused_when_embeddings_are_turned_on() -> None:
    grouper = StoryGrouper(load(embeddings=False))
    grouper.add_many(ARTICLES)
    assert grouper.model == "hashed-terms"
    with pytest.raises(EmbedderMismatch, match="hashed-terms"):
        StoryGrouper.from_state(grouper.state(), load(embeddings=True))
    assert StoryGrouper.from_state(grouper.state(), load(embeddings=False)).story_of(ARTICLES[0].id)


def test_pipeline_build_with_a_mismatched_embedder_fails_clearly(store_url: str) -> None:
    from parallax.models import RawDocument
    from parallax.pipeline import Pipeline
    from parallax.store import open_store

    store = open_store(store_url)
    settings = load(embeddings=True)
    docs = [RawDocument(source=f"d{i}.txt", content=a.text * 3, kind="text") for i, a in enumerate(ARTICLES)]
    Pipeline(store, settings, embedder=LetterEmbedder()).ingest(docs[:1])
    with pytest.raises(EmbedderMismatch, match="build a new database"):
        Pipeline(store, settings, embedder=LetterEmbedder("other", 26)).ingest(docs[1:])
    store.close()
