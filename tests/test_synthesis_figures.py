"""Who gives a figure (``attributed.figure_givers``) and how figures of one thing are compared."""

from __future__ import annotations

from parallax.models import Article
from parallax.synthesis.analysis import analyse
from parallax.synthesis.attributed import figure_givers


def _givers(text: str) -> dict[str, str | None]:
    story = analyse([Article.create(source="x", outlet="Wire", text=text)], embeddings=False)
    givers = figure_givers(story)
    return {f.text: givers[0, f.start] for f in story.figures[0]}


def test_a_figure_is_given_by_the_quote_it_stands_in_or_the_source_of_its_sentence() -> None:
    givers = _givers(
        'Joe Biden spoke on Tuesday. "We have 150,000 troops at the border," Biden said.\n\n'
        "A senior White House official said 7,000 more troops had arrived.\n\n"
        "The town has 12,000 residents."
    )
    assert givers["150,000 troops"] == "Joe Biden"
    assert givers["7,000 more troops"] == "senior White House official"
    assert givers["12,000 residents"] is None  # the article's own voice


def test_the_source_of_a_reported_figure_is_read_from_the_parse_not_a_date_before_it() -> None:
    givers = _givers("On 26 March Malaysian authorities said satellite images showed 122 objects in the sea.")
    assert givers["122 objects"] == "Malaysian authorities"  # the pattern reading gave "26 March Malaysian authorities"


def test_a_figure_beside_a_quote_is_not_its_speakers() -> None:
    givers = _givers(
        'Maria Lopez spoke on Monday. "I never expected any of this," Lopez said.\n\n'
        '"Hey, I am Pete. Do you want to come along?" Pete Davis, 24, joked on stage.\n\n'
        '"We will not close the plant this year," Lopez said, adding that 300 workers had signed the petition.'
    )
    assert givers["24"] is None  # an age beside a quote: the article's voice (the pattern reading gave "stage")
    assert givers["300 workers"] == "Maria Lopez"  # a verb of saying governs it


def _figures(texts: list[str]) -> dict[str, bool]:
    from parallax.models import Story
    from parallax.synthesis import synthesize

    articles = [Article.create(source=f"https://o{k}.example/1", outlet=f"Outlet {k}", text=t) for k, t in enumerate(texts)]
    s = synthesize(Story("s", "s", tuple(a.id for a in articles)), articles, embeddings=False)
    return {f.text: f.disagrees for f in s.figures}


def test_two_outlets_giving_one_quantity_different_values_disagree() -> None:
    flags = _figures([
        "The ministry said 130,000 troops were massed near the border with Ukraine on Tuesday.",
        "Joe Biden said 150,000 troops were massed near the border with Ukraine on Tuesday.",
    ])
    assert flags == {"130,000 troops": True, "150,000 troops": True}


def test_values_of_different_things_do_not_disagree() -> None:
    flags = _figures([
        "Voters backed the plan by 52 percent in the referendum held across the country last spring.",
        "A bookmaker said it was 100 percent certain of the result and stopped taking bets on the race.",
        "The ministry said 2 inmates died in the city jails in the storm that hit the coast.",
        "Officials said 1,000 inmates were moved from the city jails before the storm hit the coast.",
        "The mayor said 30 men and 30 women took part, and another study asked 100 men and 100 women.",
    ])
    assert not any(flags.values()), flags  # unlike sentences; values far apart; one article giving both


def test_what_a_figure_counts_is_its_head_noun_in_the_singular() -> None:
    from parallax.models import Story
    from parallax.synthesis import synthesize

    texts = [
        "The airline said 239 people aboard the flight were from 14 countries and the jet carried 3 boxes.",
        "Officials said 227 people were on the flight from 15 countries, and tariffs hit $200 billion of imports.",
    ]
    articles = [Article.create(source=f"https://o{k}.example/1", outlet=f"Outlet {k}", text=t) for k, t in enumerate(texts)]
    s = synthesize(Story("s", "s", tuple(a.id for a in articles)), articles, embeddings=False)
    groups = {f.text: f.group for f in s.figures}
    assert groups["239 people aboard"] == groups["227 people"] == "people"  # not "aboard"
    assert groups["14 countries"] == groups["15 countries"] == "country"  # not "countrie"
    assert groups["3 boxes"] == "box" and groups["$200 billion"] == "USD"  # not "USD of"
