"""parallax.clean.html: HTML pages to clean body text and metadata."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

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
        "The storm hit at night.",
        "Water rose again on Tuesday.",
    ]
    assert post_clean(paragraphs, title="Storm floods coastal towns") == [
        "The storm hit at night.",
        "Water rose again on Tuesday.",
    ]
