"""parallax.clean.boilerplate: noise rules and boilerplate learned per outlet."""

from __future__ import annotations

import pytest

from parallax.clean.boilerplate import OutletBoilerplate, drop_repeated, is_menu, noise_reason


@pytest.mark.parametrize(
    "line",
    [
        "Sign up to read this article",
        "Already a member? Sign in here",
        "Leave a Reply",
        "Tags: storm, floods, weather",
        "Copyright © 2024 Harbour Herald. All rights reserved.",
        "Main Area Top ↴",
        "See all Video",
        "Protesters gather outside parliament (Agency/REX/Shutterstock)",
        "Vladimir Putin at a meeting in the Kremlin / TASS",
        "Support our journalism: make a donation today",
        "Share this article",
        "Advertisement",
        "Read more",
        "We use cookies to improve your experience on our site.",
        "Lesen Sie auch: Die Bahn erhöht die Preise",
        "Lea también: El Congreso aprueba la reforma",
        "À lire aussi » Le budget adopté",
        "Czytaj też: Sejm przyjął ustawę",
        "Kommentare sind geschlossen.",
        "Aktualisiert am 17.01.2021.",
        "Veröffentlicht: 2. Februar 2022",
        "Titelbild: Max Muster/picture-alliance",
        "Order Reprints",
        "Write to Jane Doe at jane.doe@example.com",
        "This copy is for your personal, non-commercial use only. To order copies visit our reprints page.",
        '[button link="https://example.com/submit" type="big"] Send us your review',
        "Updated at 1:23 p.m.",
        "Cristina Kirchner en el Congreso (Foto: Natacha Pisarenko/Pool via REUTERS).",
    ],
)
def test_noise_lines(line):
    assert noise_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "The date of the footage is also unclear.",
        "Warnings ignored",
        '"We told them this would happen," said the mayor.',
        "The company said it would sign up 2,000 new customers by the end of the year, more than analysts expected.",
        "Subscribers to the service rose by a fifth in the third quarter, the company said in a statement on Tuesday.",
        "Reuters reported that the talks had stalled over the weekend.",
        "Die Anzeige wurde gestern geschaltet, und der Markt reagierte sofort.",
        "Stand der Dinge ist, dass niemand zahlen will.",
        "Lea y su hermano llegaron a Madrid el lunes.",
    ],
)
def test_body_lines_are_not_noise(line):
    assert noise_reason(line) is None


def test_repeated_lines_learned_per_outlet():
    learner = OutletBoilerplate()
    for n in range(4):
        learner.add("herald", [f"Story number {n} about the storm.", "Get the Herald app", "Home | World"])
    learner.add("other", ["Get the Herald app"])
    assert learner.repeated("herald") == {"get the herald app", "home | world"}
    assert learner.repeated("other") == frozenset()


def test_identical_documents_count_once():
    learner = OutletBoilerplate()
    for _ in range(5):
        learner.add("herald", ["The same story, ingested five times.", "Get the Herald app"])
    assert learner.repeated("herald") == frozenset()


def test_drop_repeated_keeps_most_of_the_text():
    paragraphs = ["Get the Herald app", "A long paragraph of real body text that must stay in place."]
    assert drop_repeated(paragraphs, frozenset({"get the herald app"})) == paragraphs[1:]
    assert (
        drop_repeated(paragraphs, frozenset({"get the herald app", paragraphs[1].casefold()})) == paragraphs
    )


def test_menu_crumbs():
    assert is_menu("World | Politics | Climate change")
    assert is_menu("Startseite » Politik » Ausland")
    assert not is_menu("Rain | floods reached the old town on Monday | BBC")
    assert not is_menu("Home | News")


@pytest.mark.parametrize(
    "line",
    [
        "Boats in the harbour (Getty Images/AFP)",  # agency in brackets
        "The new quay at dawn (Photo by Jo Bloggs)",  # credit words in brackets
        "The new quay at dawn. Picture: Jo Bloggs",  # credit word, colon
        "Crews on the sea wall. PHOTO BY Jo Bloggs",  # credit word, "by" in capitals
        "The harbour master on Monday | Reuters",  # separator, agency
        "Fishing boats return to port / Shutterstock via Example",
        "Crowds on the shore AP / Reuters",  # agency / agency
    ],
)
def test_credit_lines_hold_a_credit_hint_and_are_credits(line):
    from parallax.clean.boilerplate import _CREDIT, _CREDIT_HINT

    assert _CREDIT.search(line) and _CREDIT_HINT.search(line)
    assert noise_reason(line) == "caption credit"


def test_lines_without_a_credit_hint_are_not_credits():
    from parallax.clean.boilerplate import _CREDIT, _CREDIT_HINT

    for line in ("Photos Jo Bloggs", "Credit the crews for the work", "Reuters AP", "The harbour reopened"):
        assert not _CREDIT_HINT.search(line) and not _CREDIT.search(line)
