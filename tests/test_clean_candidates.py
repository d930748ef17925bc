"""parallax.clean.candidates: page blocks trafilatura left out, added back by a classifier."""

from __future__ import annotations

import sys
from pathlib import Path

import lxml.html
import numpy as np
import pytest

from parallax.clean import candidates
from parallax.clean.candidates import (
    FEATURE_NAMES,
    AddModel,
    add_candidates,
    line_features,
    matched_lines,
    merge,
    page_lines,
)
from parallax.clean.html import extract_html
from parallax.clean.textdump import TreeEnsemble, html_visible_lines

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

PAGE = (
    "<html><head><title>t</title><script>var x = 1;</script></head><body>"
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>World</a></li></ul></nav>"
    "<div class='story'><h1>Harbour reopens</h1>"
    "<p>The harbour reopened on Friday after a week of repairs to the <a href='/q'>north quay</a>.</p>"
    "<p>Fishing boats queued<br>at the gate before dawn.</p>"
    "<div class='aside-note'>Officials said the work cost less than planned, and thanked the crews.</div>"
    "</div><footer><p>Copyright line</p></footer></body></html>"
)


def _constant_model(probability: float) -> AddModel:
    """A model scoring every candidate the same (no trees, only the baseline)."""
    init = float(np.log(probability / (1 - probability)))
    return AddModel(TreeEnsemble({"init": init, "learning_rate": 1.0, "trees": []}), threshold=0.5)


def test_page_lines_gives_the_visible_lines_and_block_lines_in_one_walk():
    tree = lxml.html.document_fromstring(PAGE)
    visible, lines = page_lines(tree)
    assert visible == html_visible_lines(tree)
    assert "Home" in visible and "Copyright line" in visible
    texts = [line.text for line in lines]
    assert texts == [
        "Harbour reopens",
        "The harbour reopened on Friday after a week of repairs to the north quay.",
        "Fishing boats queuedat the gate before dawn.",  # br neither splits a block line nor adds a space
        "Officials said the work cost less than planned, and thanked the crews.",
    ]  # nav, footer and script left out
    assert lines[1].link_chars == len("north quay")
    assert [line.element.tag for line in lines] == ["h1", "p", "p", "div"]


def test_matched_lines_finds_exact_shingle_and_short_matches():
    tree = lxml.html.document_fromstring(PAGE)
    _visible, lines = page_lines(tree)
    paragraphs = [
        "Harbour reopens today",  # holds the two-word heading
        "The harbour reopened on Friday after a week of repairs to the north quay, officials said.",
    ]
    owner, overlap = matched_lines(lines, paragraphs)
    assert owner.tolist() == [0, 1, -1, -1]
    assert overlap[1] == 1.0
    assert overlap[-1] == 0.0


def test_merge_inserts_each_added_line_after_the_body_line_before_it():
    tree = lxml.html.document_fromstring(PAGE)
    _visible, lines = page_lines(tree)
    paragraphs = ["The harbour reopened on Friday after a week of repairs to the north quay."]
    owner = np.array([-1, 0, -1, -1])
    add = np.array([True, False, False, True])
    assert merge(paragraphs, lines, owner, add) == [
        "Harbour reopens",
        paragraphs[0],
        "Officials said the work cost less than planned, and thanked the crews.",
    ]


def test_add_candidates_follows_the_model_and_keeps_the_body_without_one():
    tree = lxml.html.document_fromstring(PAGE)
    _visible, lines = page_lines(tree)
    body = ["The harbour reopened on Friday after a week of repairs to the north quay."]
    everything = add_candidates(lines, body, _constant_model(0.9))
    assert everything[1] == body[0] and len(everything) == 4
    assert add_candidates(lines, body, _constant_model(0.1)) == body
    assert add_candidates(lines, [], _constant_model(0.9)) == []


def test_features_describe_the_relation_to_the_kept_body():
    tree = lxml.html.document_fromstring(PAGE)
    _visible, lines = page_lines(tree)
    body = ["The harbour reopened on Friday after a week of repairs to the north quay."]
    owner, overlap = matched_lines(lines, body)
    x = line_features(lines, owner, overlap)
    f = {name: i for i, name in enumerate(FEATURE_NAMES)}
    assert x.shape == (4, len(FEATURE_NAMES))
    assert not x[1].any()  # a kept line is not scored
    officials = x[3]
    assert officials[f["tag_div"]] == 1 and officials[f["sentence_end"]] == 1
    assert officials[f["lines_to_prev_kept"]] == 2 and officials[f["steps_to_prev_kept"]] == 1
    assert officials[f["parent_kept_share"]] == pytest.approx(1 / 3)
    assert x[0][f["before_first_kept_words"]] == 0  # nothing between the heading and the body
    assert x[0][f["between"]] == 0


def test_extract_html_adds_what_the_model_keeps(monkeypatch):
    html = (
        "<html><head><title>Harbour</title></head><body><article>"
        + "".join(
            f"<p>Paragraph {i} of the report says the harbour reopened on Friday after repairs.</p>"
            for i in range(6)
        )
        + "</article><div class='extra'><span>The mayor thanked the crews who had worked through the "
        "night.</span></div></body></html>"
    )
    monkeypatch.setattr(candidates, "load_add_model", lambda: _constant_model(0.1))
    without = extract_html(html).text
    assert "mayor" not in without
    monkeypatch.setattr(candidates, "load_add_model", lambda: _constant_model(0.9))
    assert extract_html(html).text.endswith("The mayor thanked the crews who had worked through the night.")


def test_snippet_labels_mark_lines_holding_the_snippets():
    from train_html_add import snippet_labels

    lines = ["The harbour  reopened on Friday.", "Sign up now", "Menu"]
    labels = snippet_labels(lines, ["harbour reopened"], ["Sign up"])
    assert labels.tolist() == [1, 0, -1]


def test_drop_trees_remove_body_paragraphs_whose_lines_all_score_as_noise():
    from parallax.clean.candidates import BODY_FEATURE_NAMES, body_features

    tree = lxml.html.document_fromstring(PAGE)
    _visible, lines = page_lines(tree)
    body = [
        "The harbour reopened on Friday after a week of repairs to the north quay.",
        "Fishing boats queuedat the gate before dawn.",
        "Officials said the work cost less than planned, and thanked the crews.",
    ]
    # DROP trees that score the body's last line as noise (split on the last_kept column)
    last = len(FEATURE_NAMES) + BODY_FEATURE_NAMES.index("last_kept")
    drop = TreeEnsemble({"init": 0.0, "learning_rate": 1.0, "trees": [
        {"feature": [last, 0, 0], "threshold": [0.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1],
         "value": [0, 5.0, -5.0]}]})  # fmt: skip
    add_nothing = _constant_model(0.1)
    model = AddModel(add_nothing.trees, threshold=0.5, drop=drop, drop_threshold=0.5)
    assert add_candidates(lines, body, model) == body[:2]  # "Harbour reopens" not added, the last dropped
    assert add_candidates(lines, body, add_nothing) == body  # without DROP trees nothing is dropped
    owner = np.array([-1, 0, 1, 2])
    assert body_features(lines, owner, 3)[:, BODY_FEATURE_NAMES.index("last_kept")].tolist() == [0, 0, 0, 1]


def test_embedded_posts_inside_the_body_are_added_whatever_the_trees_say():
    page = (
        "<html><body><div class='story'>"
        "<p>The ferry company cancelled every crossing on Sunday because of the storm.</p>"
        "<blockquote class='twitter-tweet'><p>All sailings are off today, stay safe everyone.</p>"
        "— Harbour Ferries (@ferries) March 3, 2024</blockquote>"
        "<p>Crossings resumed on Monday morning with long queues at the terminal.</p>"
        "<blockquote class='wp-block-quote'><p>An ordinary quote the trees decide about.</p></blockquote>"
        "</div><blockquote class='instagram-media'><p>A post after the body stays out.</p></blockquote>"
        "</body></html>"
    )
    _visible, lines = page_lines(lxml.html.document_fromstring(page))
    body = [
        "The ferry company cancelled every crossing on Sunday because of the storm.",
        "Crossings resumed on Monday morning with long queues at the terminal.",
    ]
    assert add_candidates(lines, body, _constant_model(0.1)) == [
        body[0],
        "All sailings are off today, stay safe everyone.",
        "— Harbour Ferries (@ferries) March 3, 2024",
        body[1],
    ]


def _root_by_lines(paths, kept, words, kept_words):
    """The body root as found before _body_root: every kept line adds its words to each ancestor."""
    counts: dict[int, float] = {}
    root_depth, root = 0, None
    for i in kept:
        for element in paths[i]:
            counts[id(element)] = counts.get(id(element), 0.0) + words[i]
    for i in kept:
        for depth, element in enumerate(paths[i]):
            if counts[id(element)] >= 0.8 * kept_words and depth >= root_depth:
                root_depth, root = depth, element
    return root_depth, root


def test_body_root_sums_words_bottom_up_as_the_per_line_count_did():
    tree = lxml.html.document_fromstring(
        "<html><body><div class='page'><div class='story'>Lead words in the story div itself"
        "<p>One two three four five six</p><section><p>Seven eight nine</p><p>Ten eleven</p></section>"
        "</div><div class='rail'><p>Twelve thirteen fourteen fifteen</p></div></div><p>Sixteen</p></body></html>"
    )
    _visible, lines = page_lines(tree)
    paths = candidates._depths_and_paths(lines)
    words = [len(line.text.split()) for line in lines]
    assert [line.element.tag for line in lines] == ["div", "p", "p", "p", "p", "p"]  # a div line holds p lines
    for kept in ([0, 1, 2, 3], [1, 2, 3], [2, 3], [3], [4], [0, 4, 5], [0, 1, 2, 3, 4, 5]):
        kept_words = float(sum(words[i] for i in kept))
        assert candidates._body_root(paths, kept, words, kept_words) == _root_by_lines(paths, kept, words, kept_words)
    depth, root = candidates._body_root(paths, [1, 2, 3], words, 11.0)
    assert (root.tag, root.get("class"), depth) == ("div", "story", 3)
    assert candidates._body_root(paths, [], words, 0.0) == (0, None)


def test_text_features_match_their_plain_definitions():
    import re

    texts = [
        'He said "the quay is open."',
        "The works ended (as planned.)",
        "Wait for it…",
        "Harbour News — Latest",
        "「港が再開した。」",
        "The Mayor, the crews and THE council: all agreed (mostly)",
        "Ends in a bracket )",
    ]
    tree = lxml.html.document_fromstring("<html><body>" + "".join(f"<p>{t}</p>" for t in texts) + "</body></html>")
    _visible, lines = page_lines(tree)
    assert [line.text for line in lines] == texts
    owner = np.array([0] + [-1] * (len(lines) - 1))
    x = line_features(lines, owner, np.zeros(len(lines)), np.ones(len(lines), dtype=bool))
    sentence_end = re.compile(r"""[.!?…:;。！？]["'”’»)\]」』）]*$""")
    stop = candidates._STOP
    for row, text in zip(x, texts, strict=True):
        tokens = text.split()
        assert row[FEATURE_NAMES.index("sentence_end")] == float(bool(sentence_end.search(text)))
        assert row[FEATURE_NAMES.index("capital_share")] == sum(t[:1].isupper() for t in tokens) / len(tokens)
        stops = sum(t.casefold().strip(".,;:!?\"'()") in stop for t in tokens)
        assert row[FEATURE_NAMES.index("stop_share")] == stops / len(tokens)
    assert x[:, FEATURE_NAMES.index("sentence_end")].tolist() == [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0]


def test_page_text_counts_the_visible_lines_words_without_making_them():
    from parallax.clean.candidates import page_text, visible_lines_of

    tree = lxml.html.document_fromstring(PAGE.replace("queued<br>", "queued <br> \n  "))
    text, lines = page_text(tree)
    visible, same = page_lines(tree)
    assert visible_lines_of(text) == visible and [x.text for x in lines] == [x.text for x in same]
    assert len(text.split()) == sum(len(line.split()) for line in visible) > 20
