"""The summary shows the contest and says each fact once; the timeline dates every event."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from parallax.models import Article, Story
from parallax.synthesis import check_substrings, synthesize

FIXTURE = Path(__file__).parent / "fixtures" / "synthesis" / "withdrawal_2022.json"


def _story(texts: dict[str, str], published: dict[str, datetime | None], words: int = 120):
    articles = [
        Article.create(source=f"https://{k}.example/1", outlet=outlet, text=text, published=published.get(outlet))
        for k, (outlet, text) in enumerate(texts.items())
    ]
    s = synthesize(Story("s", "s", tuple(a.id for a in articles)), articles, summary_words=words, embeddings=False)
    assert check_substrings(s, {a.id: a for a in articles}) == []
    return articles, s


def test_a_contested_claim_and_a_dispute_of_it_are_in_the_summary_each_cited() -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    articles = [
        Article.create(source=r["url"], url=r["url"], text=r["text"], outlet=r["outlet"], title=r["title"],
                       published=datetime.fromisoformat(r["published"]))
        for r in data["articles"]
    ]  # fmt: skip
    story = Story("s", "s", tuple(a.id for a in articles))
    s = synthesize(story, articles, summary_words=40, embeddings=False)  # a budget too small for much else
    contested = next(c for c in s.claims if c.status == "contested")
    texts = {x.text: x.article_ids for x in s.summary}
    asserted = [p for p in contested.positions if p.stance == "asserts" and p.text in texts]
    disputed = [p for p in contested.positions if p.stance == "disputes" and p.text in texts]
    assert asserted and disputed
    assert all(texts[p.text] for p in asserted + disputed)  # each cited
    assert check_substrings(s, {a.id: a for a in articles}) == []


def test_one_fact_from_two_outlets_is_said_once() -> None:
    day = datetime(2022, 2, 16, 9, 0)
    texts = {
        "Daily A": "The ministry said 7,000 troops arrived at the border with Ukraine on Tuesday night. "
        "Talks between the two governments are due to resume in Geneva next month.",
        "Daily B": "On Tuesday night 7,000 troops arrived at the Ukrainian border, the ministry said. "
        "Farmers near the border said convoys had blocked roads for hours.",
        "Daily C": "Diplomats said the talks in Geneva would cover troop numbers and missile sites.",
    }
    _, s = _story(texts, {k: day for k in texts}, words=200)
    assert sum("7,000 troops arrived" in x.text for x in s.summary) == 1


def test_relative_dates_count_from_each_articles_own_date_and_undated_articles_keep_their_events() -> None:
    texts = {
        "Daily A": "Negotiators met in Geneva on Tuesday to discuss the missile treaty and its inspections.",
        "Daily B": "The foreign minister flew to Paris yesterday for a meeting with her French counterpart.",
        "Daily C": "The treaty was signed on March 3, 2021, after years of talks in Vienna and Geneva.",
    }
    published = {"Daily A": datetime(2022, 2, 16, 9, 0), "Daily B": datetime(2022, 2, 20, 9, 0), "Daily C": None}
    _, s = _story(texts, published)
    on = {e.text: e.date for e in s.timeline}
    assert on[texts["Daily A"]] == "2022-02-15"  # the Tuesday before its own date
    assert on[texts["Daily B"]] == "2022-02-19"  # the day before its own date, not A's
    assert on[texts["Daily C"]] == "2021-03-03"  # an undated article's dated event is shown


def test_an_undated_article_dates_a_yearless_day_by_the_story_s_dates() -> None:
    texts = {
        "Daily A": "Negotiators met in Geneva on Tuesday to discuss the missile treaty and its inspections.",
        "Daily B": "The minister arrived in Vienna on February 10 for the first round of the treaty talks.",
    }
    _, s = _story(texts, {"Daily A": datetime(2022, 2, 16, 9, 0), "Daily B": None})
    on = {e.text: e.date for e in s.timeline}
    assert on[texts["Daily B"]] == "2022-02-10"
