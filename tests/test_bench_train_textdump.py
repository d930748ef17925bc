"""The text-dump trainer's sample weights (bench/train_textdump.py)."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_each_page_weighs_the_same_shared_by_root_of_words():
    from train_textdump import PAGE_WEIGHT, page_weights

    long_page = np.log1p(np.array([[1.0]] * 50 + [[40.0]]))  # 50 one-word menu lines, one paragraph
    short_page = np.log1p(np.array([[20.0], [2.0]]))
    for page in (long_page, short_page):
        assert np.isclose(page_weights(page).sum(), PAGE_WEIGHT)
    weights = page_weights(long_page)
    assert np.isclose(weights[-1] / weights[0], np.sqrt(41 / 2))
    assert page_weights(np.zeros((0, 3))).shape == (0,)
