"""parallax.clean: the stage contract (clean_document, clean_documents)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from parallax.clean import clean_document, clean_documents
from parallax.models import Article, RawDocument, Rejected
from parallax.settings import load

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
SETTINGS = load(min_words=20)
BODY = (
    "The regional council approved a new flood defence plan on Tuesday after a debate that lasted most of "
    "the afternoon. The plan raises the sea wall by a metre and adds pumps at the harbour."
)


def test_html_document_becomes_article_with_extracted_metadata():
    doc = RawDocument(
        source="article.html",
        content=(FIXTURES / "article.html").read_bytes(),
        kind="html",
        url="https://harbourherald.example/world/1",
    )
    article = clean_document(doc, SETTINGS)
    assert isinstance(article, Article)
    assert article.title == "Storm floods coastal towns"
    assert article.outlet == "Harbour Herald"
    assert article.byline == "Jane Doe"
    assert article.language == "en"
    assert "The date of the footage is also unclear." in article.text.split("\n\n")
    assert "newsletter" not in article.text


def test_document_metadata_wins_over_extracted():
    published = datetime(2024, 3, 6, 12, 0)
    doc = RawDocument(
        source="article.html",
        content=(FIXTURES / "article.html").read_text(encoding="utf-8"),
        kind="html",
        url="https://harbourherald.example/world/1",
        outlet="The Herald",
        title="Given title",
        byline="Given Author",
        published=published,
    )
    article = clean_document(doc, SETTINGS)
    assert (article.outlet, article.title, article.byline, article.published) == (
        "The Herald",
        "Given title",
        "Given Author",
        published,
    )


def test_text_document_outlet_from_domain():
    doc = RawDocument(
        source="a.txt", content="Menu\nSign in\n" + BODY, kind="text", url="https://www.bbc.co.uk/n/1"
    )
    article = clean_document(doc, SETTINGS)
    assert isinstance(article, Article)
    assert article.outlet == "BBC"
    assert article.text.startswith("The regional council approved")
    assert "Sign in" not in article.text


def test_text_bytes_are_decoded():
    doc = RawDocument(source="a.txt", content=("Café news\n" + BODY).encode("utf-8"), kind="text")
    assert isinstance(clean_document(doc, SETTINGS), Article)


@pytest.mark.parametrize(
    ("content", "kind", "reason"),
    [
        ("", "text", "empty document"),
        ("   \n  ", "html", "empty document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "html", "binary content"),
        ("Too short to be an article.", "text", "too little body text"),
        ("<html><body><p>Too short.</p></body></html>", "html", "too little body text"),
    ],
)
def test_rejections_carry_a_reason(content, kind, reason):
    result = clean_document(RawDocument(source="x", content=content, kind=kind), SETTINGS)
    assert isinstance(result, Rejected)
    assert result.stage == "clean"
    assert result.source == "x"
    assert result.reason.startswith(reason)


def test_batch_yields_one_result_per_input_in_order():
    docs = [
        RawDocument(source="1", content=BODY, kind="text"),
        RawDocument(source="2", content="", kind="text"),
        RawDocument(
            source="3",
            content="<html><body><article><p>" + BODY + "</p></article></body></html>",
            kind="html",
        ),
    ]
    results = list(clean_documents(docs, SETTINGS))
    assert [r.source for r in results] == ["1", "2", "3"]
    assert [type(r) for r in results] == [Article, Rejected, Article]


def test_batch_learns_outlet_boilerplate():
    stories = [
        (
            "The mayor opened a new bridge over the river on Monday, two years after work began on the project. "
            "Traffic on the old bridge fell by half within hours, the council said."
        ),
        (
            "Schools in the north of the city will close early on Friday because of a strike by bus drivers. "
            "Parents were told to collect their children at noon."
        ),
        (
            "A local bakery won a national prize for its sourdough bread, beating more than two hundred rivals. "
            "The owners said they would double production next month."
        ),
        (
            "The football club appointed a new coach after a run of seven defeats in the league this season. "
            "He starts work on Monday and signed a two-year contract."
        ),
    ]
    promo = (
        "Get the Daily Bugle app for the latest local stories, weather and traffic news in your area today"
    )
    docs = [
        RawDocument(source=str(n), content=f"{story}\n{promo}", kind="text", outlet="Daily Bugle")
        for n, story in enumerate(stories)
    ]
    single = clean_document(docs[0], SETTINGS)
    assert isinstance(single, Article) and promo in single.text  # one document alone cannot tell
    results = list(clean_documents(docs, SETTINGS))
    assert all(isinstance(r, Article) for r in results)
    assert all(promo not in r.text for r in results)
    assert [r.text for r in results] == stories


ARCHIVE_NOTICE = (
    "This capture belongs to crawls that archive the pages a site links to, so that broken links can be "
    "mended later.\n\n"
    "The seed for this crawl was every host seen in the Wayback Machine over a year. The crawl kept the "
    "URLs including their embeds, and its WARC files are not public."
)
EMBED_PROMPT = (
    "Add a location to your Tweets\n\n"
    "When you post with a location, the service stores that location information. You can switch location "
    "on or off before each post and always delete your Tweet location history. Learn more"
)


COLLECTION_NOTE = (
    "These web collections were gathered with the Archive-It service of the Internet Archive by a volunteer "
    "librarian. They hold web captures of a charity's site and of the sites it hosted.\n\n"
    "Write to the curator for more."
)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (ARCHIVE_NOTICE, "web-archive notice"),
        (COLLECTION_NOTE, "web-archive notice"),
        (EMBED_PROMPT, "social-embed prompt"),
    ],
)
def test_service_notice_pages_are_rejected_not_stored_as_articles(content, reason):
    result = clean_document(RawDocument(source="capture.txt", content=content, kind="text"), load(min_words=10))
    assert isinstance(result, Rejected)
    assert result.reason == f"{reason}, not an article"


def test_article_about_the_archive_is_kept():
    text = (
        "The Internet Archive said on Monday that its Wayback Machine had now saved more than a trillion web "
        "pages since it began its crawls in 1996. Its founder said the work would go on despite the lawsuits. "
        "Four publishers sued the archive over its lending library, and a court ruled against it last year. "
        "Librarians said the ruling would make it harder for libraries to lend digital books they own."
    )
    assert isinstance(clean_document(RawDocument(source="a.txt", content=text, kind="text"), SETTINGS), Article)
