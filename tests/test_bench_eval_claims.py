"""The claim-actor scorer of bench/eval_claims.py (see "Claim actors" in bench/gold/README.md)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_an_actor_names_the_gold_by_its_words_and_head():
    from eval_claims import names_actor

    assert names_actor("Hospital officials", "hospital officials")
    assert names_actor("officials", "Hospital officials")  # one inside the other, same head
    assert names_actor("top nuclear experts", "the region's top nuclear experts")
    assert names_actor("Dennis", "Alan R. Dennis")  # a capitalised name inside the output
    assert not names_actor("report", "Windy Blackwell")
    assert not names_actor("officials", "officials' lawyers")  # another head
    assert not names_actor("business owner", "owner of the business")


def test_none_is_right_only_against_none():
    from eval_claims import names_actor

    assert names_actor(None, None)
    assert not names_actor(None, "North Korea")
    assert not names_actor("police", None)


def test_contested_pairs_are_scored_against_labels_at_any_citing_article():
    from datetime import datetime

    from eval_claims import contested_eval, contested_pairs

    from parallax.models import Article, Story
    from parallax.synthesis import synthesize

    day = datetime(2021, 3, 2, 9, 0)
    texts = [
        "Regulators said Acme hid losses of $40 million from its investors last year. Shares fell on Monday.",
        (
            "Acme hid losses of $40 million from investors, regulators said on Monday. "
            "Acme denied the allegations in a statement on Monday and said its accounts were sound."
        ),
    ]
    articles = [
        Article.create(source=f"doc#{k}", text=t, outlet=f"Outlet {k}", published=day) for k, t in enumerate(texts)
    ]
    story = Story("s", "s", tuple(a.id for a in articles))
    pairs = contested_pairs(synthesize(story, articles, embeddings=False), articles)
    assert len(pairs) == 1 and pairs[0]["dispute_actor"] == "Acme"
    claim, dispute = pairs[0]["claims"][-1], pairs[0]["disputes"][0]  # any article printing the claim will do
    start = texts[1].index("Acme denied")
    assert dispute == f"doc#1@{start}-{len(texts[1])}"
    gold = [{"part": "dev", "claim": claim, "dispute": dispute, "answers": True}]
    metrics = contested_eval({"dev": [articles]}, gold)
    assert metrics["contested_precision_dev"] == 100.0 and metrics["contested_unlabelled_dev"] == 0
    metrics = contested_eval({"dev": [articles]}, [])
    assert metrics["contested_unlabelled_dev"] == 1 and metrics["contested_precision_lower_dev"] == 0.0


def test_recall_counts_found_and_paired_disputes_per_part():
    from eval_claims import recall_eval

    clusters = {"c1": ["Acme hid losses, regulators said. Acme denied it.", "Acme denied the report."]}
    gold = [
        # found and paired: its dispute position and an assertion position overlap the gold spans
        {"part": "dev", "doc": "c1#0", "start": 35, "end": 50, "dispute": True, "asserts": ["c1#0@0-34"]},
        # found but set against another assertion
        {"part": "dev", "doc": "c1#1", "start": 0, "end": 23, "dispute": True, "asserts": ["c1#1@30-40"]},
        # no assertion apart from it: not scored; not a dispute: not scored
        {"part": "dev", "doc": "c1#0", "start": 35, "end": 50, "dispute": True, "asserts": []},
        {"part": "dev", "doc": "c1#0", "start": 0, "end": 34, "dispute": False},
        # another part, missed and outside the sentences read
        {"part": "heldout", "doc": "c1#1", "start": 0, "end": 23, "dispute": True, "asserts": ["c1#0@0-34"]},
    ]

    def story_of(articles):
        assert [a.source for a in articles] == ["c1#0", "c1#1"]
        contested = [{"asserts": [("c1#0", 0, 34)], "disputes": [("c1#0", 35, 50), ("c1#1", 0, 23)], "positions": ()}]
        return [("c1#0", 0, 34), ("c1#0", 35, 50)], contested

    m = recall_eval(clusters, gold, ("dev",), story_of=story_of)
    assert (m["contested_recall_disputes_dev"], m["contested_recall_found_dev"], m["contested_recall_paired_dev"]) == (2, 2, 1)
    assert m["contested_recall_paired_dev_pct"] == 50.0 and m["contested_recall_unread_dev"] == 1
    assert "contested_recall_disputes_heldout" not in m  # a part not asked for is not scored

    m = recall_eval(clusters, gold, ("heldout",), story_of=lambda arts: ([], []))
    assert (m["contested_recall_found_heldout"], m["contested_recall_unread_heldout"]) == (0, 1)


def test_recall_also_counts_a_pair_labelled_as_answering():
    from eval_claims import recall_eval

    clusters = {"c1": ["Acme hid losses, regulators said. Acme denied it.", "Acme denied the report."]}
    gold = [{"part": "dev", "doc": "c1#1", "start": 0, "end": 23, "dispute": True, "asserts": ["c1#1@30-40"]}]
    contested = [{"asserts": [("c1#0", 0, 34)], "disputes": [("c1#1", 0, 23)], "positions": (), "lead": [("c1#0", 0, 34)]}]
    story_of = lambda articles: ([("c1#1", 0, 23)], contested)
    m = recall_eval(clusters, gold, ("dev",), story_of=story_of)
    assert (m["contested_recall_paired_dev"], m["contested_recall_paired_or_labelled_dev"]) == (0, 0)
    m = recall_eval(clusters, gold, ("dev",), story_of=story_of, labels={("c1#0@0-34", "c1#1@0-23"): True})
    assert (m["contested_recall_paired_dev"], m["contested_recall_paired_or_labelled_dev"]) == (0, 1)
    m = recall_eval(clusters, gold, ("dev",), story_of=story_of, labels={("c1#0@0-34", "c1#1@0-23"): False})
    assert m["contested_recall_paired_or_labelled_dev"] == 0


def test_blind_labels_of_shown_pairs_give_precision_by_text_key(tmp_path):
    from eval_claims import pair_key, shown_precision, write_pool, write_shown_labels

    base = {"claim_actor": "Regulators", "dispute_actor": "Acme", "claim_context": ["Before."], "dispute_context": []}
    pairs = [
        {**base, "story": "s1", "claim_text": "Acme hid losses.", "dispute_text": "Acme denied hiding losses.",
         "key": pair_key("Acme hid losses.", "Acme denied hiding losses."), "gold_answers": True},
        {**base, "story": "s1", "claim_text": "Acme hid  losses.", "dispute_text": "Acme denied hiding losses.",
         "key": pair_key("Acme hid  losses.", "Acme denied hiding losses."), "gold_answers": True},  # a copy
        {**base, "story": "s2", "claim_text": "Shares fell.", "dispute_text": "Acme denied hiding losses.",
         "key": pair_key("Shares fell.", "Acme denied hiding losses."), "gold_answers": False},
    ]
    pool = tmp_path / "pool.jsonl"
    assert write_pool(pairs, pool) == 2  # whitespace folded: one pair per story and texts
    rows = [__import__("json").loads(line) for line in pool.read_text().splitlines()]
    assert all("gold_answers" not in r and "score" not in r for r in rows)
    labelled = tmp_path / "labelled.jsonl"
    lines = [__import__("json").dumps({**r, "answers": r["story"] == "s1"}) for r in rows] + ["not json", '{"key": "x"}']
    labelled.write_text("\n".join(lines) + "\n")
    out = tmp_path / "labels.jsonl"
    assert write_shown_labels(labelled, out) == 0  # bad lines are skipped, not raised
    assert "Acme" not in out.read_text()  # keys only, no text
    from eval_claims import load_shown_labels

    labels = load_shown_labels(out)
    got = shown_precision(pairs, labels, "p")
    assert got["p_shown_distinct"] == 2 and got["p_shown_labelled"] == 2 and got["p_shown_precision"] == 50.0
    assert shown_precision(pairs, {}, "p")["p_shown_precision_lower"] == 0.0
