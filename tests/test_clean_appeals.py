"""Appeals and furniture leave dumps and pages; the body lines around them stay."""

from __future__ import annotations

from parallax.clean.appeals import appeal_kind, appeal_lines
from parallax.clean.html import extract_html, without_appeals
from parallax.clean.textdump import clean_text_dump

BODY = [
    "The regional council approved the new flood defences on Tuesday after a debate that lasted most of the day.",
    "Engineers said the walls would protect about 4,000 homes along the river once the work is finished next year.",
    "Opposition members argued that the cost, put at 12 million pounds, had been underestimated by the planners.",
    "The first contracts are expected to be signed in the spring, the council's spokesperson said on Wednesday.",
]
APPEAL = [
    "Independent journalism needs you",
    "Our reporting is free for everyone to read, because thousands of readers support it.",
    "Become a member today",
    "Choose an amount",
    "$5 per month",
    "Monthly",
    "Maybe later",
]


def test_membership_appeal_block_leaves_the_dump_and_the_body_stays():
    dump = "\n".join(["River council backs flood walls", *BODY[:2], *APPEAL, *BODY[2:]])
    text = clean_text_dump(dump).text
    for line in BODY:
        assert line in text
    for line in APPEAL[0:1] + APPEAL[2:]:
        assert line not in text
    assert "$5" not in text  # the suggested amount never reaches the figures


def test_newsletter_cookie_app_and_related_lines_are_furniture():
    for line, kind in [
        ("Sign up for our daily newsletter", "newsletter"),
        ("We use cookies to improve your experience", "cookie"),
        ("Download our app", "app"),
        ("You might also like", "related"),
        ("Read more", "related"),
        ("Follow us", "social"),
    ]:
        assert appeal_kind(line) == kind, line


def test_body_sentences_mentioning_the_words_stay():
    for line in [
        "Residents who subscribe to the council's flood alerts received a warning on Monday night.",
        "The bakery said its cookies had sold out within an hour of the market opening.",
        "Related companies in the group reported a fall in profits, the filing showed.",
    ]:
        assert appeal_kind(line) is None, line


def test_amounts_between_appeal_lines_go_with_the_block_only():
    lines = ["The vote was close.", "Support our journalism", "€10", "Donate now", "Turnout was 61%."]
    assert appeal_lines(lines) == [1, 2, 3]


def test_html_body_loses_appeal_blocks():
    paragraphs = [BODY[0], "Become a member today", "Choose an amount", BODY[1]]
    assert without_appeals(paragraphs) == [BODY[0], BODY[1]]


def test_extract_html_drops_an_appeal_block_inside_the_article_and_keeps_the_body():
    inner = "".join(f"<p>{line}</p>" for line in [*BODY[:2], *APPEAL, *BODY[2:]])
    page = f"<html><head><title>Flood defences approved</title></head><body><article>{inner}</article></body></html>"
    text = extract_html(page, url="https://news.example/flood").text
    for line in BODY:
        assert line in text
    for line in ("Become a member today", "Choose an amount", "$5 per month", "Maybe later"):
        assert line not in text


def test_caption_credit_via_agency_goes():
    dump = "\n".join([*BODY[:2], "Rescue teams search the river bank near the town (via AFP)", *BODY[2:]])
    assert "via AFP" not in clean_text_dump(dump).text
