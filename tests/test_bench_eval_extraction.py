"""The text-dump cross-validation of bench/eval_extraction.py: fold splits by page."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_each_seed_partitions_the_pages_into_folds():
    from eval_extraction import FOLD_SEEDS, fold_split

    splits = [fold_split(23, seed, 5) for seed in FOLD_SEEDS]
    for folds in splits:
        assert len(folds) == 5
        assert sorted(i for held in folds for i in held) == list(range(23))  # every page held out once
        assert {len(held) for held in folds} == {4, 5}
    assert splits[0] == fold_split(23, FOLD_SEEDS[0], 5)  # reproducible
    assert len({tuple(sorted(map(tuple, map(sorted, folds)))) for folds in splits}) == len(FOLD_SEEDS)
