"""Who a sentence reports, from its dependency parse (``quotes.reporter``), and the claim actors it gives."""

from __future__ import annotations

import pytest

from parallax.models import Article
from parallax.synthesis.analysis import analyse
from parallax.synthesis.claims import actor_of, same_side
from parallax.text.quotes import reporter


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        # a name with an apposition before its verb: the name, not the apposition's organisation
        (
            "Maria Lopez, a former lobbyist for the city's water customers, said the plan was a bad idea.",
            "Maria Lopez",
        ),
        # a description whose apposition names the person
        ("The landlord, Peter Grant, said he met the tenants in May at a fair in Leeds.", "Peter Grant"),
        # a lower-case description is an actor too, without its relative clause
        (
            "The shop was closed on Saturday but a business owner who works nearby said he saw lights.",
            "business owner",
        ),
        # the verb after its subject ("…, said its officials")
        ("The sanctions take effect at once and stay for a year, said its officials.", "officials"),
        # "according to" a work: its author
        (
            "Babies cry more in some countries than others, according to new research by the University of Leeds.",
            "University of Leeds",
        ),
        # "according to one of …": the group
        (
            "The plant could be rebuilt in a month, according to one of the region's top engineers.",
            "region's top engineers",
        ),
        # "adds to" is not saying: the forecasters speak
        ("The storm adds to a long winter for the coast, forecasters said.", "forecasters"),
        # words after the head are not part of the name ("Sources close to the couple")
        ("Sources close to the couple told a magazine that the split was mutual.", "Sources"),
        # an organisation's name runs over its "of" and "for" ("ruled" reports too)
        (
            "The Court of Arbitration for Sport ruled on Monday that the skater could compete.",
            "Court of Arbitration for Sport",
        ),
        # a name with a title before it
        ("Harbour master Tom Kerr said the ferry would sail again on Monday.", "Tom Kerr"),
    ],
)
def test_reporter_reads_the_subject_of_the_verb_of_saying(sentence: str, actor: str) -> None:
    assert reporter(sentence) == actor


@pytest.mark.parametrize(
    "sentence",
    [
        "When all was said and done, the couple did not ask the judge for mercy.",
        "Since the general ordered a test, which the ministry claimed was a success, rockets have flown weekly.",
        "It is alleged that the group ran the scheme for three years.",
    ],
)
def test_reporter_finds_no_one_when_no_verb_of_saying_governs(sentence: str) -> None:
    assert reporter(sentence) is None


def test_a_joint_statement_names_both_and_is_one_side_with_each() -> None:
    actor = reporter(
        "Ann Dale and Tom Reyes, leaders of the local network, said in a joint statement that the move was wrong."
    )
    assert actor == "Ann Dale and Tom Reyes"
    assert same_side(actor, "Tom Reyes")  # Reyes doubting the timing later does not contest his own statement


def _actor(text: str, sentence_start: str) -> str | None:
    story = analyse(
        [Article.create(source="https://o.example/1", text=text, outlet="Daily")], embeddings=False
    )
    i = next(k for k, u in enumerate(story.units) if u.text.startswith(sentence_start))
    return actor_of(story, i)


def test_claim_actor_is_the_source_of_a_reported_sentence() -> None:
    text = (
        "A fire closed the harbour road on Tuesday. The blaze began in a warehouse, a business owner who "
        "works nearby said. Crews worked through the night."
    )
    assert _actor(text, "The blaze began") == "business owner"


def test_a_few_quoted_words_do_not_make_their_speaker_the_actor() -> None:
    """'X has said he “buried” her at sea, police say': the police report the sentence."""
    text = (
        "The inquiry into the sinking went on on Monday. A Danish inventor charged over the death of the "
        "journalist has said she died in an accident on his boat and he \u201cburied\u201d her at sea, Copenhagen "
        "police say. The boat was raised from the bay last week."
    )
    assert _actor(text, "A Danish inventor") == "Copenhagen police"


def test_an_actor_holds_no_quotation_marks() -> None:
    text = "Gold hunters are out in force this spring. \u201cMiner Gary\u201d Thomas said he finds gold every year."
    actor = _actor(text, "\u201cMiner")
    assert actor is not None and "Thomas" in actor and not set('\u201c\u201d"') & set(actor)
