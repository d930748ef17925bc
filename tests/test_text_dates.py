from datetime import date, datetime

from parallax.text.dates import find_dates

PUB = datetime(2022, 2, 16, 9, 0)  # a Wednesday


def _dates(text: str, pub: datetime | None = PUB) -> list[tuple[str, str]]:
    return [(d.date, d.text) for d in find_dates(text, pub)]


def test_weekdays_resolve_to_the_past_unless_future() -> None:
    assert _dates("Talks ended on Tuesday.") == [("2022-02-15", "on Tuesday")]
    assert _dates("Leaders will meet on Sunday.") == [("2022-02-20", "on Sunday")]
    assert _dates("Ministers are due to meet on Wednesday.") == [("2022-02-16", "on Wednesday")]
    assert _dates("He spoke last Wednesday.") == [("2022-02-09", "last Wednesday")]


def test_relative_words() -> None:
    text = "Troops left earlier this week, arrived yesterday, and a vote is due later today."
    assert _dates(text) == [
        ("2022-02-14", "earlier this week"),
        ("2022-02-15", "yesterday"),
        ("2022-02-16", "later today"),
    ]


def test_absolute_dates() -> None:
    text = "On February 24, 2022, it began; the deadline is 20 March; filed 2021-12-01; by Jan. 3."
    assert _dates(text) == [
        ("2022-02-24", "February 24, 2022"),
        ("2022-03-20", "20 March"),
        ("2021-12-01", "2021-12-01"),
        ("2022-01-03", "Jan. 3"),
    ]


def test_without_publication_date_only_full_dates() -> None:
    assert _dates("On Tuesday, and on March 3, 2021.", None) == [("2021-03-03", "March 3, 2021")]


def test_weekday_of_an_absolute_date_is_not_a_date_of_its_own() -> None:
    found = find_dates("As of press time (Monday, April 17), police had no news.", date(2023, 5, 6))
    assert [(d.date, d.text) for d in found] == [("2023-04-17", "April 17")]
    found = find_dates("Talks began on Tuesday 15 February and ended on Friday.", date(2022, 2, 19))
    assert [(d.date, d.text) for d in found] == [("2022-02-15", "15 February"), ("2022-02-18", "on Friday")]


def test_the_tense_of_the_weekdays_own_clause_decides_past_or_future() -> None:
    pub = date(2018, 7, 4)  # a Wednesday
    cases = {
        "The boys were found late Monday and it is not known when they will be able to leave.": "2018-07-02",
        "The governor said Tuesday morning that a navy team will make the final call.": "2018-07-03",
        "A navy team will make the final call on Tuesday.": "2018-07-10",
        "On Friday, the president will meet the families.": "2018-07-06",
        "The vote, which will be held on Sunday, is close.": "2018-07-08",
    }
    for text, day in cases.items():
        assert [d.date for d in find_dates(text, pub)] == [day], text


def test_relative_dates_inside_quotations_are_not_resolved() -> None:
    found = find_dates("“We will finish it on Friday. See you tomorrow,” he said on Tuesday.", date(2018, 7, 4))
    assert [(d.date, d.text) for d in found] == [("2018-07-03", "on Tuesday")]
