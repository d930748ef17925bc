"""parallax.clean.html: HTML pages to clean body text and metadata."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from parallax.clean.html import decode_html, extract_html, post_clean

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
BODY = [
    "A powerful storm flooded several coastal towns on Monday night",
    "Emergency services said more than 300 people",
    "The date of the footage is also unclear.",
    "Warnings ignored",
    "Local officials had warned for years that the sea wall was too low",
    "We told them this would happen",
    "Forecasters expect the weather to calm by Wednesday",
]
NOISE = [
    "We use cookies",
    "Sign up to our daily newsletter",
    "Already a member?",
    "REX/Shutterstock",
    "Related stories",
    "Ten tips for keeping your home dry",
    "Leave a Reply",
    "Great article",
    "Tags:",
    "All rights reserved",
    "Privacy policy",
    "Sign up to read this article",
]


@pytest.fixture(scope="module")
def page():
    return extract_html(
        (FIXTURES / "article.html").read_bytes(), url="https://www.harbourherald.example/world/1"
    )


def test_body_kept_in_order(page):
    positions = [page.text.find(snippet) for snippet in BODY]
    assert all(p >= 0 for p in positions), [s for s, p in zip(BODY, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


@pytest.mark.parametrize("snippet", NOISE)
def test_noise_dropped(page, snippet):
    assert snippet not in page.text


def test_paragraphs_separated_by_blank_line(page):
    paragraphs = page.text.split("\n\n")
    assert "The date of the footage is also unclear." in paragraphs
    assert all(p == " ".join(p.split()) for p in paragraphs)


def test_title_is_metadata_not_body(page):
    assert page.title == "Storm floods coastal towns"
    assert not page.text.startswith("Storm floods coastal towns")


def test_metadata(page):
    assert page.outlet == "Harbour Herald"
    assert page.byline == "Jane Doe"
    assert page.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert page.language == "en"


def test_outlet_falls_back_to_domain():
    html = (
        "<html><body><article>"
        + "<p>The river burst its banks and the town was cut off for two days.</p>" * 5
    )
    page = extract_html(html + "</article></body></html>", url="https://news.example.co.uk/a/b")
    assert page.outlet == "example.co.uk"


def test_bytes_with_declared_charset():
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><article>'
        + "<p>Le caf\xe9 de la gare a rouvert ses portes apr\xe8s deux ans de travaux dans le centre.</p>" * 4
        + "</article></body></html>"
    ).encode("iso-8859-1")
    page = extract_html(html)
    assert "Le café de la gare" in page.text
    assert page.language == "fr"


def test_bytes_without_declared_charset_are_detected():
    text = "Правительство объявило о новых мерах поддержки для жителей пострадавших районов страны."
    html = ("<html><body><article>" + f"<p>{text}</p>" * 4 + "</article></body></html>").encode("cp1251")
    assert text in decode_html(html)


def test_post_clean_drops_title_duplicates_and_credits():
    paragraphs = [
        "Storm floods coastal towns",
        "The storm hit at night.",
        "Residents outside the town hall / TASS",
        "Water rose again on Tuesday.",
        "Water rose again on Tuesday.",
    ]
    assert post_clean(paragraphs, title="Storm floods coastal towns") == [
        "The storm hit at night.",
        "Water rose again on Tuesday.",
    ]


def test_post_clean_keeps_headings_repeated_across_sections():
    paragraphs = [
        "Menu for plan A",
        "Breakfast",
        "Oats with berries and a spoon of yoghurt.",
        "Lunch",
        "Lentil soup with bread.",
        "Menu for plan B",
        "Breakfast",
        "Two boiled eggs on toast.",
        "Lunch",
        "Lunch",
        "Rice with grilled fish.",
    ]
    kept = post_clean(paragraphs)
    assert kept.count("Breakfast") == 2
    assert kept.count("Lunch") == 2  # the back-to-back repeat goes, the one in the next section stays
    assert len(kept) == len(paragraphs) - 1


def _split_body_page(extra_class: str) -> str:
    first = "".join(
        f"<p>The first part of the report, paragraph {i}, explains how the harbour was rebuilt after the storm.</p>"
        for i in range(4)
    )
    second = "".join(
        f"<p>The second part, paragraph {i}, follows the fishermen who returned once the new quay opened, "
        "and the families who had waited for them on the shore through the long winter.</p>"
        for i in range(4)
    )
    return (
        "<html><body><main><div class='grid'><div class='body article__body'>"
        + first
        + "</div></div><div class='ad'>Advertisement</div>"
        + f"<div class='grid'><div class='{extra_class}'>"
        + second
        + "</div></div></main></body></html>"
    )


def test_body_split_over_same_class_containers_is_joined():
    from parallax.clean.html import continued_body, parse_html

    html = _split_body_page("body article__body")
    first = [
        f"The first part of the report, paragraph {i}, explains how the harbour was rebuilt after the storm."
        for i in range(4)
    ]
    joined = continued_body(parse_html(html), first)
    assert joined[:4] == first
    assert [p for p in joined[4:] if "second part" in p] == joined[4:] and len(joined) == 8
    assert "second part, paragraph 3" in extract_html(html).text


def test_other_class_containers_are_not_joined():
    from parallax.clean.html import continued_body, parse_html

    tree = parse_html(_split_body_page("related-stories"))
    first = [
        f"The first part of the report, paragraph {i}, explains how the harbour was rebuilt after the storm."
        for i in range(4)
    ]
    assert continued_body(tree, first) == first


def test_post_clean_drops_labelled_story_links():
    long_body_line = (
        "Read more about the repairs in the council's report, which runs to forty pages and was published on "
        "Monday after a long delay: it lists every contractor."
    )
    paragraphs = [
        "The bridge reopened on Friday after two years of repairs.",
        # headlines too long for boilerplate's "read more" call-to-action rule
        "Read more: Ferry fares to rise in spring as the operator blames fuel costs and staff shortages",
        "Related: The old bridge across the estuary in pictures, from 1890 to its closure in 2022",
        long_body_line,
        "Traffic was light in the first hours.",
    ]
    assert post_clean(paragraphs) == [paragraphs[0], paragraphs[3], paragraphs[4]]


def test_trafilatura_settings_match_bare_extraction_keywords_per_url():
    from trafilatura.settings import Extractor

    from parallax.clean.html import PRECISION_OPTIONS, _extractor

    first = _extractor(PRECISION_OPTIONS, "https://www.harbourherald.example/world/1")
    second = _extractor(PRECISION_OPTIONS, None)
    expected = Extractor(
        output_format="txt", fast=True, precision=True, comments=False, tables=True,
        url="https://www.harbourherald.example/world/1",
    )  # fmt: skip
    for name in Extractor.__slots__:
        if name != "date_params":  # holds today's date, read only with metadata (off)
            assert getattr(first, name) == getattr(expected, name), name
    assert (second.url, second.source, first.focus) == (None, None, "precision")  # no URL leaks between calls


def test_body_paragraphs_are_those_of_trafilatura_with_its_keyword_options():
    import trafilatura

    from parallax.clean.html import (
        PRECISION_OPTIONS,
        RECALL_OPTIONS,
        _blocks,
        _trafilatura_paragraphs,
        parse_html,
    )

    html = (FIXTURES / "article.html").read_bytes()
    url = "https://www.harbourherald.example/world/1"
    for options in (PRECISION_OPTIONS, RECALL_OPTIONS):
        tree = parse_html(html)
        before = lxml_html.tostring(tree)
        document = trafilatura.bare_extraction(parse_html(html), url=url, **options)
        paragraphs = _trafilatura_paragraphs(tree, url, options)
        assert paragraphs == list(_blocks(document.body)) and len(paragraphs) > 3
        assert lxml_html.tostring(tree) == before  # the page's tree is left as it was


def test_continuation_skips_paragraphs_repeating_the_body_after_short_ones():
    from parallax.clean.html import continued_body, parse_html

    first = [
        f"The first part of the report, paragraph {i}, explains how the harbour was rebuilt after the storm."
        for i in range(4)
    ]
    html = _split_body_page("body article__body").replace(
        "<div class='body article__body'><p>The second part, paragraph 0",
        "<div class='body article__body'><p>Crews kept working.</p>"  # under 4 words: no shingles
        f"<p>As we said, {first[2]}</p><p>The second part, paragraph 0",
    )
    joined = continued_body(parse_html(html), first)
    assert "Crews kept working." in joined and len(joined) == 9
    assert not any(p.startswith("As we said") for p in joined)  # its shingles are the body's


def test_visible_text_fallback_when_trafilatura_keeps_nothing():
    from parallax.clean.candidates import page_lines
    from parallax.clean.html import extracted_paragraphs, parse_html

    sentences = [
        "Heavy rain fell on the coastal town of Ashby on Monday night, flooding the harbour road and homes.",
        "The council said emergency crews worked through the night to pump water from the flooded streets.",
        "Residents said the sea wall, built in the 1960s, had been too low for years and warnings were ignored.",
    ]
    html = (
        "<html><head><title>Floods in Ashby</title></head><body><nav><a href='/'>Home</a></nav>"
        "<div id='comments'>" + "".join(f"<p>{s}</p>" for s in sentences) + "</div></body></html>"
    )  # trafilatura leaves comment sections out
    tree = parse_html(html)
    assert extracted_paragraphs(tree, None, "Floods in Ashby", page_lines(tree)[0]) == []
    assert extract_html(html).text.splitlines()[0] == sentences[0]


def test_meta_and_jsonld_walk_selects_what_the_xpaths_select():
    from parallax.clean.html import parse_html
    from parallax.clean.metadata import _JSONLD_XPATH, _META_XPATH, _meta_and_jsonld

    crafted = (
        "<html><head><meta charset='utf-8'><meta name='author' content='Jo Bloggs'>"
        "<meta property='og:title' content=''><meta content='orphan'><meta itemprop='datePublished' content='2024-03-01'>"
        "<script type='application/ld+json'>{\"headline\": \"Floods\"}</script><script>var x = 1;</script>"
        "<script type='application/json'>{}</script></head><body><p>Text</p>"
        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\"}</script></body></html>"
    )
    for html in (crafted, (FIXTURES / "article.html").read_bytes()):
        tree = parse_html(html)
        nodes, scripts = _meta_and_jsonld(tree)
        assert nodes == tree.xpath(_META_XPATH) and scripts == tree.xpath(_JSONLD_XPATH)
    nodes, scripts = _meta_and_jsonld(parse_html(crafted))
    assert len(nodes) == 3 and len(scripts) == 2  # no content, or other script types: left out
