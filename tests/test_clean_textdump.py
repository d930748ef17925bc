"""parallax.clean.textdump: noisy plain-text dumps to clean bodies and metadata."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from parallax.clean.textdump import clean_text_dump, html_visible_lines, split_units

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
BODY = [
    (
        "A powerful storm flooded several coastal towns on Monday night, forcing hundreds of residents to leave "
        "their homes as the sea broke through defences."
    ),
    (
        "Emergency services said more than 300 people had been moved to temporary shelters in schools and sports "
        "halls across the region."
    ),
    "The date of the footage is also unclear.",
    "Warnings ignored",
    (
        "Local officials had warned for years that the sea wall was too low, but repairs were delayed twice because "
        "of budget disputes between the council and the national government."
    ),
    (
        '"We told them this would happen," said the mayor, Tom Baker, standing in water up to his knees outside the '
        "town hall."
    ),
    (
        "Forecasters expect the weather to calm by Wednesday, although more rain is likely at the weekend and rivers "
        "remain high."
    ),
]


@pytest.fixture(scope="module")
def page():
    return clean_text_dump(
        (FIXTURES / "dump.txt").read_text(encoding="utf-8"), url="https://www.bbc.co.uk/news/1"
    )


def test_every_body_line_kept_in_order(page):
    assert page.paragraphs() == BODY


def test_masthead_byline_and_date_become_metadata(page):
    assert page.title == "Storm floods coastal towns"
    assert page.byline == "Jane Doe"
    assert page.published == datetime(2024, 3, 5)
    assert page.outlet == "BBC"
    assert page.language == "en"


def test_wayback_style_dump_with_blank_line_paragraphs():
    text = (FIXTURES / "wayback.txt").read_text(encoding="utf-8")
    paragraphs = clean_text_dump(text).paragraphs()
    assert paragraphs[0].startswith("The city council voted on Tuesday")
    assert "Tweet with a location" not in "\n".join(paragraphs)
    assert "The vote is final." in paragraphs
    assert not any("newsletter" in p.lower() for p in paragraphs)


def test_hard_wrapped_paragraphs_are_joined():
    para = (
        "The committee met for six hours on Thursday and agreed\nthat the new rules would take effect in "
        "January, after a\nshort consultation with the unions and employers.\n"
    )
    units = split_units((para + "\n") * 4)
    assert len(units) == 4
    assert units[0].text.startswith("The committee met") and units[0].text.endswith("employers.")


def test_nothing_but_noise_gives_empty_text():
    assert clean_text_dump("Home | News | Sport\nSign in\nSubscribe\nCopyright 2024 Example Ltd").text == ""


def test_visible_lines_drop_scripts_and_styles():
    from lxml import html

    tree = html.fromstring(
        "<html><head><style>p{}</style></head><body><div>Top <b>bold</b><script>var x;</script> end"
        "<!-- note --> tail</div><p>Second <i>line</i></p></body></html>"
    )
    assert html_visible_lines(tree) == ["Top bold end tail", "Second line"]


def test_cjk_lines_count_words_without_spaces():
    from parallax.clean.textdump import word_count

    assert word_count("The council met on Monday.") == 5
    assert word_count("先日、不正に改造したiPhoneを販売した") >= 8


def test_tree_ensemble_follows_each_tree():
    import numpy as np

    from parallax.clean.textdump import TreeEnsemble

    # tree 1: x0 <= 0.5 ? -1 : (x1 <= 2 ? 0.5 : 2); tree 2: a single leaf 0.25
    spec = {
        "init": 0.1,
        "learning_rate": 1.0,
        "trees": [
            {
                "feature": [0, 0, 1, 0, 0],
                "threshold": [0.5, 0, 2.0, 0, 0],
                "left": [1, -1, 3, -1, -1],
                "right": [2, -1, 4, -1, -1],
                "value": [0, -1.0, 0, 0.5, 2.0],
            },
            {"feature": [0], "threshold": [0.0], "left": [-1], "right": [-1], "value": [0.25]},
        ],
    }
    x = np.array([[0.0, 9.0], [1.0, 1.0], [1.0, 3.0]])
    expected = 1 / (1 + np.exp(-(0.1 + np.array([-1.0, 0.5, 2.0]) + 0.25)))
    assert np.allclose(TreeEnsemble(spec).predict_proba(x), expected)


def test_second_stage_sees_first_stage_probabilities():
    import numpy as np

    from parallax.clean.textdump import FEATURE_NAMES, LineModel, feature_matrix, split_units

    lines = split_units("Menu\nThe council approved the budget on Tuesday after a long debate.")
    width = feature_matrix(lines).shape[1]
    assert width > len(FEATURE_NAMES)
    first = {"init": 0.0, "learning_rate": 1.0, "trees": [
        {"feature": [1, 0, 0], "threshold": [3.0, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1],
         "value": [0, -2.0, 2.0]}]}  # fmt: skip
    # the second stage splits on the column right after the features: the first stage's probability
    second = {"init": 0.0, "learning_rate": 1.0, "trees": [
        {"feature": [width, 0, 0], "threshold": [0.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1],
         "value": [0, -5.0, 5.0]}]}  # fmt: skip
    model = LineModel.from_spec({"trees": first, "second": second})
    expected = 1 / (1 + np.exp(-np.array([-5.0, 5.0])))
    assert np.allclose(model.probabilities(lines), expected)


def test_headline_and_byline_kept_above_the_lead_are_metadata() -> None:
    from parallax.clean.textdump import clean_text_dump

    lines = ["Home | World | Politics", "Storm hits the coast", "By Jane Doe",
             "A storm hit the coast on Monday, cutting power to thousands of homes across the region.",
             "The date of the footage is also unclear.",
             "Officials said repairs would take several days, and urged people to stay indoors."]
    page = clean_text_dump("\n".join(lines))
    assert (page.title, page.byline) == ("Storm hits the coast", "Jane Doe")
    assert page.paragraphs()[0].startswith("A storm hit the coast") and "The date of the footage is also unclear." in page.text


def test_second_stage_knows_the_largest_region_of_likely_body_lines() -> None:
    import numpy as np

    from parallax.clean.textdump import region_features, stacked_features

    # a teaser line, a gap, then the article: four long lines the first stage believes
    first = np.array([0.9, 0.1, 0.1, 0.1, 0.1, 0.8, 0.9, 0.7, 0.9, 0.2])
    words = np.array([12.0, 2, 2, 2, 2, 30, 40, 25, 35, 3])
    inside, share, distance = region_features(first, words, 2).T
    assert inside.tolist() == [1, 0, 0, 0, 0, 1, 1, 1, 1, 0]
    assert share[5:9].tolist() == [1.0] * 4 and 0 < share[0] < 0.15  # the teaser is a small region
    assert distance[0] < 0 < distance[9] and not distance[5:9].any()  # signed distance to the article
    assert not region_features(np.zeros(3), np.ones(3), 2).any()  # no likely body, no region
    x = np.log1p(words)[:, None].repeat(3, axis=1)
    assert stacked_features(x, first).shape[1] > x.shape[1] + 6  # the region columns reach the second stage


def test_decoding_keeps_weak_lines_inside_the_body_and_drops_a_lone_strong_line(monkeypatch) -> None:
    import numpy as np

    from parallax.clean.textdump import LineModel, TreeEnsemble, classify_lines, smooth_mask, split_units

    texts = [
        "The council voted on Tuesday to close the old bridge to all traffic from next month.",
        "Engineers found cracks in two of its supports during an inspection in the spring.",
        "Repairs were estimated at four million pounds, more than the council can spend this year.",
        "Residents on both banks said the closure would add an hour to their daily journeys.",
        "Local shops fear losing customers who cross the river to reach the market square.",
        "A temporary ferry will run every twenty minutes while the council looks for funding.",
        "The first crossing is planned for the second week of June, officials said.",
        "Most read",
        "Weather",
        "The picture shows the harbour",
        "Contact us",
    ]
    # lines 3-4 are body the model doubts; line 9 is a short line the model wrongly likes
    p = np.array([0.9, 0.9, 0.9, 0.4, 0.4, 0.9, 0.9, 0.05, 0.05, 0.6, 0.05])
    monkeypatch.setattr(LineModel, "probabilities", lambda self, lines, repeated=frozenset(): p)
    model = LineModel(TreeEnsemble({"init": 0.0, "learning_rate": 1.0, "trees": []}))
    keep = classify_lines(split_units("\n".join(texts)), model=model)
    assert keep.astype(int).tolist() == [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    words = np.array([len(t.split()) for t in texts], dtype=float)
    assert (smooth_mask(p, words, 0.5, penalty=0.0) == (p >= 0.5)).all()  # no switch cost: line by line


def test_tree_ensemble_matches_a_walk_down_each_tree_on_uneven_depths():
    import numpy as np

    from parallax.clean.textdump import TreeEnsemble

    def chain(depth: int, feature: int) -> dict:
        """A tree going left at each of ``depth`` levels on x[feature] <= level; leaf value = level."""
        nodes = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}
        for level in range(depth):
            inner = len(nodes["feature"])
            nodes["feature"] += [feature, 0]
            nodes["threshold"] += [float(level), 0.0]
            nodes["left"] += [inner + 2 if level < depth - 1 else -1, -1]
            nodes["right"] += [inner + 1, -1]
            nodes["value"] += [float(depth), float(level)]
        return nodes

    spec = {"init": -0.2, "learning_rate": 0.5, "trees": [chain(5, 0), chain(1, 1), chain(3, 1)]}

    def walk(tree: dict, row: np.ndarray) -> float:
        i = 0
        while tree["left"][i] >= 0:
            i = tree["left"][i] if row[tree["feature"][i]] <= tree["threshold"][i] else tree["right"][i]
        return tree["value"][i]

    x = np.array([[9.0, 9.0], [-1.0, 0.5], [2.5, -3.0], [4.0, 1.0], [np.nan, 2.0]])
    expected = [
        1 / (1 + np.exp(-(spec["init"] + spec["learning_rate"] * sum(walk(t, row) for t in spec["trees"]))))
        for row in x
    ]
    ensemble = TreeEnsemble(spec)
    assert ensemble._depth == 4  # chain(5): four inner levels, its last node a leaf
    assert np.allclose(ensemble.predict_proba(x), expected)


def test_tree_ensemble_matches_a_walk_on_deep_random_trees_and_scores_rows_alone():
    """Deeper than TreeEnsemble.COMPACT_AFTER, so the pairs at a leaf are set aside mid-way; NaN goes right."""
    import numpy as np

    from parallax.clean.textdump import TreeEnsemble

    rng = np.random.default_rng(5)

    def grow(nodes: dict, depth: int) -> int:
        at = len(nodes["feature"])
        for field in nodes:
            nodes[field].append(0 if field in ("feature", "left", "right") else 0.0)
        if depth == 0 or rng.random() < 0.2:  # a leaf
            nodes["left"][at] = nodes["right"][at] = -1
            nodes["value"][at] = float(rng.normal())
            return at
        nodes["feature"][at] = int(rng.integers(3))
        nodes["threshold"][at] = float(rng.normal())
        nodes["left"][at] = grow(nodes, depth - 1)
        nodes["right"][at] = grow(nodes, depth - 1)
        return at

    trees = []
    for depth in (0, 3, 9, 12, 12):
        nodes = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}
        grow(nodes, depth)
        trees.append(nodes)
    spec = {"init": 0.3, "learning_rate": 0.7, "trees": trees}

    def walk(tree: dict, row: np.ndarray) -> float:
        i = 0
        while tree["left"][i] >= 0:
            i = tree["left"][i] if row[tree["feature"][i]] <= tree["threshold"][i] else tree["right"][i]
        return tree["value"][i]

    x = rng.normal(size=(40, 3))
    x[::7, 1] = np.nan
    expected = [1 / (1 + np.exp(-(0.3 + 0.7 * sum(walk(t, row) for t in trees)))) for row in x]
    ensemble = TreeEnsemble(spec)
    assert ensemble._depth > ensemble.COMPACT_AFTER
    p = ensemble.predict_proba(x)
    assert np.allclose(p, expected)
    assert np.array_equal(ensemble.predict_proba(x[5:9]), p[5:9])  # a row's score does not depend on the others
