"""Tests of parallax.text.embed (MiniLM int8 ONNX, no torch)."""

from __future__ import annotations

import numpy as np

from parallax.text.embed import DIMENSIONS, embed


def test_shape_dtype_and_norm() -> None:
    vectors = embed(["The council approved the budget.", "Rain is expected tomorrow.", "x"])
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input() -> None:
    assert embed([]).shape == (0, DIMENSIONS)


def test_paraphrases_close_unrelated_far() -> None:
    v = embed(
        [
            "A strong earthquake hit southern Chile on Monday.",
            "On Monday a powerful quake struck the south of Chile.",
            "The central bank left interest rates unchanged.",
            "Real Madrid won the cup final after extra time.",
        ]
    )
    sims = v @ v.T
    assert sims[0, 1] > 0.7
    assert sims[0, 2] < 0.3 and sims[0, 3] < 0.3
    assert sims[0, 1] > sims[2, 3] + 0.4


def test_batching_and_order_do_not_change_vectors() -> None:
    texts = ["short one", "a much longer sentence about the economy and jobs " * 4, "middle length text here"]
    together = embed(texts, batch_size=2)
    alone = np.vstack([embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_long_text_is_truncated_not_rejected() -> None:
    v = embed(["word " * 2000])
    assert v.shape == (1, DIMENSIONS) and np.isfinite(v).all()


def test_max_tokens_keeps_the_first_word_pieces() -> None:
    long = "the council approved the budget today after a long and heated debate in the chamber"
    cut = embed([long], max_tokens=6)  # [CLS] + four words + [SEP]
    assert np.allclose(cut, embed(["the council approved the"]), atol=1e-4)
    assert not np.allclose(cut, embed([long]), atol=1e-2)
    short = "Rain is expected tomorrow."
    assert np.allclose(embed([short], max_tokens=64), embed([short]), atol=1e-5)
