"""bench/eval_dump_metadata.py and eval_appeals.py: split rule, gold matching, scoring on fixtures."""

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_split_rule_is_the_recorded_hash_rule():
    import hashlib

    from eval_dump_metadata import split_of

    for page_id in ("aeb:abc", "tv:1", "tv:2", "tv:3"):
        bucket = hashlib.sha1(page_id.encode()).digest()[0] % 10
        assert split_of(page_id) == ("train" if bucket < 6 else "dev" if bucket < 8 else "test")


def test_gold_from_markup_and_scoring_of_a_dump():
    from eval_dump_metadata import gold_of, score

    page = (
        '<html><head><meta property="og:title" content="Storm hits the coast | Daily Bugle">'
        '<meta property="og:site_name" content="Daily Bugle"><meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2024-03-12T08:00:00Z"></head><body>'
        "<p>Daily Bugle</p><h1>Storm hits the coast</h1><p>By Jane Doe</p><p>12 March 2024</p></body></html>"
    )
    gold = gold_of(page)
    assert gold["titles"] == ["storm hits the coast"] and gold["site"] == "Daily Bugle"
    dump = "Daily Bugle\nStorm hits the coast\nBy Jane Doe\n12 March 2024\nRain fell."

    class Read:
        title, outlet, byline, published = "Storm hits the coast", "The Daily Bugle", "Jane Doe", datetime(2024, 3, 12)

    figures = score([{"gold": gold, "dump": dump}], read=lambda _dump: Read)
    assert figures["title_accuracy"] == figures["outlet_accuracy"] == figures["byline_accuracy"] == 1.0
    assert figures["date_accuracy"] == 1.0

    class Wrong(Read):
        title, outlet = "Rain fell.", None

    figures = score([{"gold": gold, "dump": dump}], read=lambda _dump: Wrong)
    assert figures["title_accuracy"] == figures["outlet_accuracy"] == 0.0


def test_appeal_removal_check():
    from eval_appeals import removed

    assert removed("Newsletter", "The council voted.\n\nIts newsletter was late.")
    assert not removed("Newsletter", "The council voted.\n\nNewsletter")
    assert not removed("Sign up for our daily newsletter today", "Body. Sign up for our daily newsletter today")
