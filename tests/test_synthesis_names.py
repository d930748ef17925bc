"""Canonical names of a story (synthesis/names.py): fixtures are hand-made mentions, no model runs."""

from __future__ import annotations

from parallax.models import Claim, Figure, Position, Quote, Synthesis
from parallax.synthesis.names import StoryNames, acronym, canonical_headings, is_outlet, table_name
from parallax.text.entities import Mention


def _mentions(text: str, spans: list[tuple[str, str]]) -> list[Mention]:
    """Mentions of ``text`` found in order: (written name, spaCy's kind)."""
    out, at = [], 0
    for name, kind in spans:
        start = text.index(name, at)
        out.append(Mention(name, kind, start, start + len(name)))  # type: ignore[arg-type]
        at = start + len(name)
    return out


def _fit(texts_spans: list[tuple[str, list[tuple[str, str]]]], extra: tuple[str, ...] = ()) -> StoryNames:
    texts = [t for t, _ in texts_spans]
    return StoryNames().fit([_mentions(t, s) for t, s in texts_spans], texts, extra)


def test_alias_table_joins_country_and_agency_names() -> None:
    names = _fit(
        [
            ("The UK and Britain agreed, AFP said.", [("UK", "place"), ("Britain", "place"), ("AFP", "organization")]),
            ("The U.K. told Agence France-Presse.", [("U.K.", "place"), ("Agence France-Presse", "person")]),
        ]
    )
    assert {names.name(n) for n in ("UK", "Britain", "U.K.")} == {"United Kingdom"}
    assert names.name("AFP") == names.name("Agence France-Presse") == "Agence France-Presse"
    assert names.kind("Agence France-Presse") == "organization"  # the table's type, not spaCy's "person"
    assert names.aliases("United Kingdom") == ("Britain", "U.K.", "UK")


def test_short_capital_aliases_match_only_as_written() -> None:
    assert table_name("US") == ("United States", "place")
    assert table_name("us") is None and table_name("Us") is None
    assert table_name("the U.S.") == ("United States", "place")


def test_surname_and_title_join_the_full_name() -> None:
    names = _fit(
        [
            ("Jens Stoltenberg spoke. Stoltenberg left.", [("Jens Stoltenberg", "person"), ("Stoltenberg", "organization")]),
            ("Mr. Stoltenberg said no.", [("Mr. Stoltenberg", "person")]),
        ]
    )
    assert names.name("Stoltenberg") == names.name("Mr. Stoltenberg") == "Jens Stoltenberg"
    assert names.kind("Jens Stoltenberg") == "person"
    assert set(names.aliases("Jens Stoltenberg")) == {"Stoltenberg", "Mr. Stoltenberg"}


def test_shared_surname_stays_apart() -> None:
    names = _fit([("Hillary Clinton and Bill Clinton met. Clinton spoke.",
                   [("Hillary Clinton", "person"), ("Bill Clinton", "person"), ("Clinton", "person")])])
    assert names.name("Clinton") == "Clinton"


def test_role_tied_to_one_name_resolves_and_untied_role_stays() -> None:
    names = _fit(
        [("NATO Secretary-General Jens Stoltenberg arrived.", [("NATO", "organization"), ("Jens Stoltenberg", "person")])],
        extra=("the secretary-general", "the prime minister"),
    )
    assert names.name("the secretary-general") == "Jens Stoltenberg"
    assert names.name("NATO Secretary-General") == "Jens Stoltenberg"
    assert names.name("the prime minister") == "the prime minister"  # no one is tied to it: kept as written


def test_role_tied_to_two_names_stays() -> None:
    names = _fit(
        [("President Joe Biden and French President Emmanuel Macron met.",
          [("Joe Biden", "person"), ("French", "organization"), ("Emmanuel Macron", "person")])],
        extra=("the president",),
    )
    assert names.name("the president") == "the president"


def test_acronym_of_one_longer_name_joins_it() -> None:
    names = _fit([("The National Transportation Safety Board said the NTSB would report.",
                   [("National Transportation Safety Board", "organization"), ("NTSB", "organization")])])
    assert names.name("NTSB") == "National Transportation Safety Board"
    assert names.name("NHS") == "NHS"  # the alias table's name, the same in every story
    assert acronym("Agence France-Presse") == "AFP"


def test_publications_and_places_are_typed_right() -> None:
    names = _fit([("Politico reported from Chicago that Kyiv agreed.",
                   [("Politico", "person"), ("Kyiv", "person")])])
    assert is_outlet("Politico") and is_outlet("the New York Times")
    assert names.kind("Politico") == "organization"
    assert names.kind("Kyiv") == "place"


def test_canonical_headings_rename_quotes_claims_and_figures() -> None:
    names = _fit([("Jens Stoltenberg spoke. Stoltenberg left.", [("Jens Stoltenberg", "person"), ("Stoltenberg", "person")])])
    s = Synthesis(
        "s", "t", ("a", "b"), ("A", "B"),
        quotes=(Quote("We stand.", "Stoltenberg", ("a",)),),
        figures=(Figure(5.0, None, "5 ships", "Stoltenberg", ("a",)), Figure(5.0, None, "5 ships", "Jens Stoltenberg", ("b",))),
        claims=(Claim("x", "agreed", (Position("Stoltenberg", "supports", "x", ("a",)),)),),  # type: ignore[arg-type]
    )  # fmt: skip
    out = canonical_headings(s, names)
    assert out.quotes[0].speaker == "Jens Stoltenberg"
    assert out.claims[0].positions[0].actor == "Jens Stoltenberg"
    assert len(out.figures) == 1 and out.figures[0].attributed_to == "Jens Stoltenberg"
    assert out.figures[0].article_ids == ("a", "b")


def test_short_first_names_and_middle_names_join_one_person() -> None:
    names = _fit(
        [
            ("Joe Biden spoke.", [("Joe Biden", "person")]),
            ("Joseph R. Biden Jr. said so. Biden left.", [("Joseph R. Biden Jr.", "person"), ("Biden", "person")]),
            ("Luka Rocco Magnotta and Luka Magnotta.", [("Luka Rocco Magnotta", "person"), ("Luka Magnotta", "person")]),
            ("Bashar al-Assad said Assad would stay.", [("Bashar al-Assad", "person"), ("Assad", "person")]),
        ]
    )
    assert names.name("Joe Biden") == names.name("Biden") == names.name("Joseph R. Biden Jr.")
    assert names.name("Luka Magnotta") == "Luka Rocco Magnotta"
    assert names.name("Assad") == "Bashar al-Assad"


def test_surname_goes_to_the_dominant_full_name_only() -> None:
    text = "Donald Trump spoke. " * 6 + "Ivanka Trump smiled. Trump left."
    spans = [("Donald Trump", "person")] * 6 + [("Ivanka Trump", "person"), ("Trump", "organization")]
    assert _fit([(text, spans)]).name("Trump") == "Donald Trump"
    even = "Hillary Clinton spoke. Bill Clinton smiled. Clinton left."
    names = _fit([(even, [("Hillary Clinton", "person"), ("Bill Clinton", "person"), ("Clinton", "person")])])
    assert names.name("Clinton") == "Clinton"


def test_types_from_groups_heads_and_common_words() -> None:
    text = "Muslims gathered at the Great Recession memorial on James Fort. Neighbors said the neighbors left."
    names = _fit([(text, [("Muslims", "organization"), ("Great Recession", "place"), ("James Fort", "person"),
                          ("Neighbors", "organization")])])
    assert names.kind("Muslims") == "other"
    assert names.kind("Great Recession") == "other"
    assert names.kind("James Fort") == "place"
    assert names.kind("Neighbors") == "none"  # written lower case as often: a word, not a name


def test_spellings_of_organisations_keep_titles_and_numbers_apart() -> None:
    from parallax.synthesis.names import _spellings

    found = _spellings(["First Amendment", "Amendment", "A320", "A321", "U.S. Senate", "Senate", "Senate",
                        "USGS", "U.S.G.S.", "USGS"])
    assert found["First Amendment"] == "First Amendment" and found["Amendment"] == "Amendment"
    assert found["A320"] == "A320" and found["A321"] == "A321"
    assert found["U.S. Senate"] == "Senate" and found["U.S.G.S."] == "USGS"


def test_a_role_many_people_hold_stays_as_written() -> None:
    names = _fit(
        [("Agency official Jane Roe said so, and spokesman John Doe agreed.",
          [("Jane Roe", "person"), ("John Doe", "person")])],
        extra=("official", "spokesman"),
    )
    assert names.name("official") == "official" and names.name("spokesman") == "spokesman"


def test_words_run_into_a_name_and_quote_marks_are_dropped() -> None:
    names = _fit(
        [
            ("Meet Kate Gosselin today. Kate Gosselin Got a deal, we got it. Said Kate: fine, she said. Let us meet.",
             [("Meet Kate Gosselin", "person"), ("Kate Gosselin Got", "person"), ("Said Kate", "person")]),
            ("Kate Gosselin spoke. “Miner Gary” Thomas dug. Gary Thomas left. Will Smith came; he will stay.",
             [("Kate Gosselin", "person"), ("Gary” Thomas", "person"), ("Gary Thomas", "person"), ("Will Smith", "person")]),
        ]
    )
    assert {names.name(n) for n in ("Meet Kate Gosselin", "Kate Gosselin Got", "Said Kate", "Kate Gosselin")} == {"Kate Gosselin"}
    assert names.name("Gary” Thomas") == "Gary Thomas"
    assert names.name("Will Smith") == "Will Smith"  # a first name that is also a word stays


def test_initials_and_titles_join_the_one_full_name_they_point_to() -> None:
    names = _fit(
        [
            (("Kevin Durant scored. KD said so. Justice Anthony Kennedy retired; Sen. John Kennedy spoke. "
             "Justice Kennedy left."),
             [("Kevin Durant", "person"), ("KD", "person"), ("Anthony Kennedy", "person"), ("John Kennedy", "person"),
              ("Kennedy", "person")]),
        ]
    )
    assert names.name("KD") == "Kevin Durant"
    assert names.name("Kennedy") == "Anthony Kennedy"


def test_a_shared_surname_without_a_telling_title_stays() -> None:
    names = _fit([("Anthony Kennedy and John Kennedy met. Kennedy spoke. Sen. Kennedy left. Justice Kennedy too.",
                   [("Anthony Kennedy", "person"), ("John Kennedy", "person"), ("Kennedy", "person"),
                    ("Kennedy", "person"), ("Kennedy", "person")])])
    assert names.name("Kennedy") == "Kennedy"  # no full name holds either title


def test_several_words_run_into_a_name_are_dropped() -> None:
    names = _fit([("Scout Willis walked. Scout Willis Goes Topless, the headline said; she goes out.",
                   [("Scout Willis", "person"), ("Scout Willis Goes Topless", "person")])])
    assert names.name("Scout Willis Goes Topless") == "Scout Willis"


def test_a_shared_surname_joins_the_one_full_name_each_article_introduced() -> None:
    names = _fit(
        [
            ("Scout Willis walked topless. Willis tweeted.", [("Scout Willis", "person"), ("Willis", "person")]),
            ("Rumer Willis attended a gala.", [("Rumer Willis", "person")]),
            ("Scout Willis spoke. Later Willis left.", [("Scout Willis", "person"), ("Willis", "person")]),
        ]
    )
    assert names.name("Willis") == "Scout Willis"


def test_a_shared_surname_whose_articles_disagree_stays() -> None:
    names = _fit(
        [
            ("Scout Willis walked. Willis tweeted.", [("Scout Willis", "person"), ("Willis", "person")]),
            ("Rumer Willis attended. Willis smiled.", [("Rumer Willis", "person"), ("Willis", "person")]),
        ]
    )
    assert names.name("Willis") == "Willis"


def test_one_introduction_is_enough_when_no_article_points_elsewhere() -> None:
    names = _fit(
        [
            ("Hassan Murphy, a lawyer, spoke.", [("Hassan Murphy", "person")]),
            ("Billy Murphy Jr. spoke first. Later Murphy said more.", [("Billy Murphy Jr.", "person"), ("Murphy", "person")]),
        ]
    )
    assert names.name("Murphy") == names.name("Billy Murphy Jr.")


def test_a_surname_after_the_names_a_family_not_one_member() -> None:
    names = _fit(
        [
            ("Police named Amy Savopoulos. The Savopoulos family was busy.", [("Amy Savopoulos", "person"), ("Savopoulos", "person")]),
            ("Savvas Savopoulos ran a firm.", [("Savvas Savopoulos", "person")]),
        ]
    )
    assert names.name("Savopoulos") == "Savopoulos"


def test_links_of_a_menu_bar_and_units_are_no_names() -> None:
    names = _fit(
        [
            ("Share | Email | Print\n\nThe Senate voted on the 32GB model.",
             [("Email", "person"), ("Print", "place"), ("Senate", "organization"), ("GB", "person")]),
        ]
    )
    assert names.kind("Email") == names.kind("Print") == "none"  # items of a bar of links
    assert names.kind("GB") == "none"  # run into the number before it
    assert names.kind("Senate") == "organization"


def test_a_name_also_written_in_prose_is_no_menu_link() -> None:
    names = _fit(
        [
            ("Senate | House | Opinion\n", [("Senate", "organization"), ("House", "organization")]),
            ("The House voted; a Print | Email bar (one bar) is no menu.", [("House", "organization"), ("Print", "place")]),
        ]
    )
    assert names.kind("Senate") == "none"
    assert names.kind("House") == "organization"  # one mention is prose
    assert names.kind("Print") == "place"  # one "|" alone is no bar of links


def test_a_listed_place_wins_over_the_last_word_of_its_name() -> None:
    names = _fit([("Settlers in the West Bank and the Soviet Union.", [("West Bank", "place"), ("Soviet Union", "place")])])
    assert names.kind("West Bank") == "place"  # no bank
    assert names.kind("Soviet Union") == "place"
    names = _fit([("Clashes near Bethlehem.", [("Bethlehem", "organization")])])
    assert names.rule("Bethlehem") == ("place", "places")
    names = _fit([("Bank of Dayton", [("Bank of Dayton", "organization")])])
    assert names.kind("Bank of Dayton") == "organization"


def test_outlets_of_the_known_outlets_table_are_organisations() -> None:
    assert is_outlet("MarketWatch") and is_outlet("The Straits Times")  # only in clean/data/outlets.tsv
    assert not is_outlet("Time") and not is_outlet("Metro")  # one plain word: not from that table
    names = _fit([("MarketWatch reported it.", [("MarketWatch", "person")])])
    assert names.kind("MarketWatch") == "organization"


def test_a_role_or_kin_word_just_before_a_name_makes_it_a_person() -> None:
    names = _fit(
        [
            ("He fell while his girlfriend, Chanel, cut his hair. Co-host Ainsley Earhardt and police chief Elmer Setting spoke.",
             [("Chanel", "organization"), ("Ainsley Earhardt", "organization"), ("Elmer Setting", "organization")]),
            ("A scientist, Feinstein Institute, said. The Attorney Consumer Program spoke in Paris.",
             [("Feinstein Institute", "organization"), ("Consumer Program", "organization"), ("Paris", "place")]),
        ]
    )
    assert names.kind("Chanel") == names.kind("Ainsley Earhardt") == names.kind("Elmer Setting") == "person"
    assert names.kind("Feinstein Institute") == "organization"  # a word that types names: no person
    assert names.kind("Consumer Program") == "organization"  # a capital inside a sentence: part of the name
    names = _fit([("The spokesman of Comcast spoke. Comcast said no.", [("Comcast", "organization"), ("Comcast", "organization")])])
    assert names.kind("Comcast") == "organization"  # "of" stands before it, no role word
