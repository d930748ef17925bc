"""Synthesis of a five-outlet fixture story (February 2022: Russia says troops are returning to
base; NATO, Biden, Wallace and Zelenskiy see no evidence) plus one syndicated copy."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from parallax.models import Article, Quote, Story, SummarySentence, Synthesis
from parallax.synthesis import check_substrings, synthesize

FIXTURE = Path(__file__).parent / "fixtures" / "synthesis" / "withdrawal_2022.json"


def _article(record: dict, duplicate_of: str | None = None) -> Article:
    return Article.create(
        source=record["url"],
        url=record["url"],
        text=record["text"],
        outlet=record["outlet"],
        title=record["title"],
        published=datetime.fromisoformat(record["published"]),
        duplicate_of=duplicate_of,
    )


@pytest.fixture(scope="module")
def story() -> dict:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    articles = {r["key"]: _article(r) for r in data["articles"]}
    copies = [_article(r, articles[r["copy_of"]].id) for r in data["copies"]]
    story = Story(data["story"]["id"], data["story"]["title"], tuple(a.id for a in articles.values()))
    synthesis = synthesize(story, list(articles.values()), copies=copies, summary_words=120)
    return {"articles": articles, "copies": copies, "synthesis": synthesis}


def _by_id(story: dict) -> dict[str, Article]:
    return {a.id: a for a in [*story["articles"].values(), *story["copies"]]}


def test_every_text_is_in_every_article_it_cites(story: dict) -> None:
    assert check_substrings(story["synthesis"], _by_id(story)) == []


def test_outlets_include_the_syndicated_copy(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    assert s.outlets == (
        "Northwire", "Channel Eight", "The Daily Ledger", "Allied Press", "Kyiv Courier", "Valley Gazette",
    )  # fmt: skip
    copy_id = story["copies"][0].id
    assert copy_id not in s.article_ids  # the story lists canonical articles; copies point to theirs
    gazette = next(c for c in s.coverage if c.outlet == "Valley Gazette")
    assert gazette.article_ids == (copy_id,) and gazette.first_seen == "2022-02-17T09:00:00+00:00"
    # Text the copy shares with its original is reported by it too.
    press_id = story["articles"]["press"].id
    cited = [x for x in (*s.summary, *s.figures, *s.timeline) if press_id in x.article_ids]
    assert cited and all(copy_id in x.article_ids for x in cited)


def test_summary_is_cited_sized_and_self_contained(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    words = sum(len(x.text.split()) for x in s.summary)
    assert 60 <= words <= 150
    assert len({aid for x in s.summary for aid in x.article_ids}) >= 3  # covers distinct outlets
    for x in s.summary:
        assert not x.text.lower().startswith(("he ", "she ", "it ", "this ", "they ", "but "))
        assert not x.text.startswith("WASHINGTON")  # the dateline is not part of the sentence
    # The ministry's announcement, reported by most outlets, leads the story.
    assert any("returning to their bases" in x.text for x in s.summary)


def test_the_withdrawal_claim_is_contested_with_its_actors(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    contested = [c for c in s.claims if c.status == "contested"]
    claim = next(c for c in contested if "returning to their bases" in c.statement)
    asserting = {p.actor for p in claim.positions if p.stance == "asserts"}
    disputing = {p.actor for p in claim.positions if p.stance == "disputes"}
    assert asserting == {"Russia's defence ministry"}
    assert {"Jens Stoltenberg", "Joe Biden", "Ben Wallace", "Volodymyr Zelensky"} <= disputing
    # "The ministry said A, but Western leaders saw no evidence" answers A; the unnamed official counts too.
    # (Since the learned pair scorer of issue 17 one of the official's two sentences is paired, not both.)
    assert "Western leaders" in disputing
    assert disputing & {"senior White House official", "senior Biden administration official"}
    assert [c.status for c in s.claims if "7,000" in c.statement] == ["agreed"]
    by_id = _by_id(story)
    outlets = {by_id[aid].outlet for p in claim.positions for aid in p.article_ids}
    assert len(outlets) >= 5


def test_agreed_and_single_source_claims(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    by_id = _by_id(story)
    for claim in s.claims:
        outlets = {by_id[aid].outlet for p in claim.positions for aid in p.article_ids}
        if claim.status == "single-source":
            assert len({by_id[aid].outlet for p in claim.positions for aid in p.article_ids if not by_id[aid].duplicate_of}) == 1
        if claim.status == "agreed":
            assert len(outlets) >= 2
    agreed = [c for c in s.claims if c.status == "agreed"]
    assert any("7,000" in c.statement for c in agreed)  # the White House official, two outlets


def test_quotes_have_their_speakers(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    speakers = {q.text: q.speaker for q in s.quotes}
    assert speakers["Our analysts indicate that they remain very much in a threatening position"] == "Joe Biden"
    assert speakers["We will judge them by their actions, not their words"] == "Ben Wallace"  # "he said"
    assert speakers["So far, we have not seen any withdrawal of Russian forces"] == "Jens Stoltenberg"
    # continued across paragraphs: the second paragraph's part keeps the speaker
    assert speakers["On the contrary, it appears that Russia continues the military buildup."] == "Jens Stoltenberg"
    assert speakers["We will believe in de-escalation when we see a withdrawal."] == "Dmytro Kuleba"  # colon form
    assert speakers[
        "Units that have completed their tasks have, as always, begun loading onto rail and road "
        "transport and will start moving to their military garrisons today"
    ] == "Igor Konashenkov"  # title kept apart
    merged = next(q for q in s.quotes if q.text == "We don't see any withdrawal yet")
    assert merged.speaker == "Volodymyr Zelensky" and len(merged.article_ids) == 2  # two outlets merged


def test_figures_are_attributed_and_disagreements_shown(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    biden = [f for f in s.figures if f.value == 150_000 and f.unit == "troops"]
    assert biden and biden[0].attributed_to == "Joe Biden"
    assert len(biden[0].article_ids) >= 2
    extra = [f for f in s.figures if f.value == 7_000]
    assert extra and all(f.attributed_to and "official" in f.attributed_to for f in extra)
    assert all(f.group == "more troop" for f in extra)  # a change, not a total: not a disagreement
    totals = [f for f in s.figures if f.group == "troop"]
    assert {f.value for f in totals} >= {100_000.0, 150_000.0, 148_000.0}
    assert all(f.disagrees for f in totals)
    share = next(f for f in s.figures if f.unit == "%")
    assert share.value == 60 and share.text == "about 60% of Russia's ground forces" and share.qualifier == "about"


def test_timeline_resolves_relative_dates_in_order(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    dates = [e.date for e in s.timeline]
    assert dates == sorted(dates)
    on = {e.text: e.date for e in s.timeline}
    ministry = next(t for t in on if t.startswith("Russia's defence ministry said on Tuesday"))
    assert on[ministry] == "2022-02-15"
    blinken = next(t for t in on if "Blinken said Thursday" in t)
    assert on[blinken] == "2022-02-17"
    meeting = next(t for t in on if "due to meet in Brussels on Wednesday" in t)
    assert on[meeting] == "2022-02-16"  # published on that Wednesday morning: the same day


def test_entities_merge_spellings(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    zelensky = [e for e in s.entities if "Zelensk" in e.name]
    assert len(zelensky) == 1 and zelensky[0].kind == "person"
    assert "Volodymyr Zelenskiy" in zelensky[0].aliases
    biden = next(e for e in s.entities if e.name == "Joe Biden")
    assert biden.mentions >= 4 and "Biden" in biden.aliases
    assert next(e for e in s.entities if e.name == "NATO").kind == "organization"


def test_coverage_shows_what_only_one_outlet_reports(story: dict) -> None:
    s: Synthesis = story["synthesis"]
    by_outlet = {c.outlet: c for c in s.coverage}
    assert any("national unity" in t for t in by_outlet["Kyiv Courier"].exclusive)
    assert by_outlet["Northwire"].first_seen == "2022-02-15T16:20:00+00:00"


def test_json_shape(story: dict) -> None:
    d = story["synthesis"].to_dict()
    assert list(d)[:10] == [
        "id", "title", "article_ids", "outlets", "summary", "quotes", "figures", "claims", "timeline", "entities",
    ]  # fmt: skip
    json.dumps(d)
    assert set(d["claims"][0]["positions"][0]) == {"actor", "stance", "text", "article_ids"}


def test_without_embeddings_still_summarises(story: dict) -> None:
    arts = list(story["articles"].values())
    s = synthesize(Story("x", "t", tuple(a.id for a in arts)), arts, summary_words=60, embeddings=False)
    assert s.summary and check_substrings(s, _by_id(story)) == []


def test_check_substrings_reports_violations(story: dict) -> None:
    a = story["articles"]["wire"]
    bad = Synthesis(
        "s", "t", (a.id,), ("Northwire",),
        summary=(SummarySentence("Russia invaded on Tuesday.", (a.id,)),),
        quotes=(Quote("Units that have completed", None, ("missing",)),),
    )  # fmt: skip
    problems = check_substrings(bad, {a.id: a})
    assert len(problems) == 2
    assert "summary not in article" in problems[0] and "unknown article missing" in problems[1]


def test_empty_story() -> None:
    s = synthesize(Story("e", "Empty", ()), [])
    assert s.summary == () and s.outlets == () and check_substrings(s, {}) == []


def test_article_analysis_is_cached_and_equal(story: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """A story redone (a new article joined) reuses each known article's analysis, unchanged."""
    from parallax.synthesis import analysis

    articles = list(story["articles"].values())
    first = analysis.analyse(articles, embeddings=False)
    calls: list[int] = []
    real = analysis.extract_entities
    monkeypatch.setattr(analysis, "extract_entities", lambda texts: calls.append(len(texts)) or real(texts))
    new = Article.create(source="new", text="NATO said on Friday that 7,000 more troops had arrived near the border.")
    again = analysis.analyse([*articles, new], embeddings=False)
    assert calls == [1]  # only the new article went through spaCy
    assert again.units[: len(first.units)] == first.units
    assert again.quotes[: len(articles)] == first.quotes and again.figures[: len(articles)] == first.figures



def test_disputes_in_contracted_and_conditional_forms() -> None:
    from parallax.synthesis.claims import DISPUTE

    for text in ('"We don\'t see this withdrawal yet," Zelensky said.',
                 '"We haven\'t seen any evidence of that withdrawal yet," Wallace said.',
                 "Zelensky said Kyiv would need to see evidence before it believed the claims.",
                 "Kuleba said Kyiv would believe in a withdrawal only when it saw one."):
        assert DISPUTE.search(text), text
    assert not DISPUTE.search("Russia's defence ministry said units were returning to their bases.")


def test_actors_are_names_and_sides_are_told_apart() -> None:
    from parallax.synthesis.claims import clean_actor, same_side

    assert clean_actor("Russia has repeatedly") == "Russia"
    assert clean_actor("his country had not seen the troops leave") is None
    assert clean_actor("Russia's defence ministry") == "Russia's defence ministry"
    assert same_side("Moscow", "Russia's defence ministry") and same_side("Kremlin", "Russian officials")
    assert same_side("White House official", "Washington") and same_side("U.S. officials", "the Pentagon")
    assert not same_side("Jens Stoltenberg", "Russia's defence ministry")
    assert not same_side("Ukraine's foreign minister", "Russia's defence ministry")


def test_worked_example_files_give_the_claim_and_its_disputes() -> None:
    # The example folder (HTML, a text dump with its noise, JSONL, WARC): the ministry's claim,
    # reported by several outlets in their own words, set against those who see no withdrawal.
    from conftest import EXAMPLES

    from parallax.pipeline import digest
    from parallax.settings import load
    from parallax.sources.files import read_paths

    settings = load()
    doc = digest(read_paths([EXAMPLES], settings), settings)
    story = next(s for s in doc["stories"] if "troops" in s["title"].lower())
    claim = next(c for c in story["claims"] if c["status"] == "contested")
    asserting = {p["actor"] for p in claim["positions"] if p["stance"] == "asserts"}
    disputing = {p["actor"] for p in claim["positions"] if p["stance"] == "disputes"}
    assert asserting == {"Russia's defence ministry"} and "returning to" in claim["statement"]
    assert len({aid for p in claim["positions"] if p["stance"] == "asserts" for aid in p["article_ids"]}) >= 4
    # Joe Biden's dispute in these files is no longer paired since the learned pair scorer (issue 17): a known miss.
    assert {"Jens Stoltenberg", "Volodymyr Zelenskyy"} <= disputing and len(disputing) >= 3
    assert not any(actor in {"Russia", "Moscow"} for actor in disputing)  # Russia's own denials answer no one here


def _small_story(texts: dict[str, str] | list[str], day: datetime) -> tuple[list[Article], Synthesis]:
    """A story of short articles written for one test (outlets named by ``texts`` keys, or numbered)."""
    named = texts.items() if isinstance(texts, dict) else [(f"Outlet {k}", t) for k, t in enumerate(texts)]
    articles = [
        Article.create(source=f"https://o{k}.example/1", text=t, outlet=o, published=day)
        for k, (o, t) in enumerate(named)
    ]
    return articles, synthesize(Story("s", "s", tuple(a.id for a in articles)), articles, embeddings=False)


def test_a_figure_cites_the_outlets_where_its_source_gives_it() -> None:
    day = datetime(2022, 2, 16, 9, 0)
    texts = {
        "Daily A": "The US says Russia has massed 130,000 troops near the border. Talks went on in Geneva on "
        "Wednesday, and diplomats said they would meet again next week to discuss the drills.",
        "Daily B": "Western estimates put the Russian force near Ukraine at 130,000 troops. A senior White House "
        "official said Russia had added 7,000 troops in recent days. The White House official said Russia "
        "had added 7,000 troops since Tuesday.",
    }
    articles, s = _small_story(texts, day)
    a, b = (x.id for x in articles)
    totals = {f.attributed_to: f.article_ids for f in s.figures if f.value == 130_000}
    assert totals == {"United States": (a,), "Western estimates": (b,)}  # not both outlets for each source ("US" under its canonical name)
    added = [f for f in s.figures if f.value == 7_000]
    assert [(f.attributed_to, f.article_ids) for f in added] == [("senior White House official", (b,))]


def test_two_ages_in_one_article_are_two_people_not_a_dispute() -> None:
    day = datetime(2022, 4, 18, 9, 0)
    texts = [
        (
            "Police said the 17 year old student was found at a house rented by a 26 year old man. "
            "Officers said 40 people had joined the search before the student was found on Monday."
        ),
        (
            "The student, who had been missing since the prom, was found safe, police said. Volunteers said "
            "more than 60 people had joined the search for the student over the weekend."
        ),
    ]
    _, s = _small_story(texts, day)
    ages = [f for f in s.figures if f.value in (17, 26)]
    assert len(ages) == 2 and not any(f.disagrees for f in ages)
    searchers = [f for f in s.figures if f.group == "people"]
    assert {f.value for f in searchers} == {40, 60} and all(f.disagrees for f in searchers)


def test_story_entities_leave_out_page_words_and_generic_nouns_and_join_first_names() -> None:
    from parallax.synthesis.coverage import _named
    from parallax.synthesis.names import StoryNames

    _first_names = StoryNames._first_names

    assert not _named("UPDATE") and not _named("Police Department") and not _named("Department")
    assert _named("NATO") and _named("Orofino Police Department") and _named("Update Ltd")
    assert _first_names({"Kristian Perez", "Dana White", "Dana Scully"}) == {"kristian": "Kristian Perez"}
    day = datetime(2022, 4, 18, 9, 0)
    texts = [
        (
            "Police found Kristian Perez at a house in Lewiston on Monday, two days after he left the school "
            "prom. Kristian had not called his mother since Saturday, police said."
        ),
        (
            "Kristian Perez, 17, was found safe on Monday. Kristian walked away from the prom on Saturday night, "
            "and a neighbour later saw him near the highway, officers said."
        ),
    ]
    _, s = _small_story(texts, day)
    names = [e.name for e in s.entities]
    assert "Kristian Perez" in names and "Kristian" not in names


def test_page_labels_and_stray_marks_do_not_open_summary_sentences() -> None:
    from parallax.synthesis.analysis import is_candidate

    def ok(text: str) -> bool:
        return is_candidate(text, len(text.split()))

    assert ok("Police found the missing teenager at a house in Lewiston on Monday night.")
    assert not ok("UPDATE: Police found the missing teenager at a house in Lewiston on Monday night.")
    assert not ok("\x97 Police found the missing teenager at a house in Lewiston on Monday night.")
    assert not ok("• Police found the missing teenager at a house in Lewiston on Monday night.")


def test_a_figure_given_in_different_words_cites_only_articles_that_print_its_text() -> None:
    day = datetime(2022, 2, 16, 9, 0)
    texts = [
        "A senior White House official said Russia had added 7,000 troops near the border in recent days.",
        "The White House official said Russia had sent 7,000 more troops to the border, despite its claims.",
    ]
    articles, s = _small_story(texts, day)
    assert [f.value for f in s.figures] == [7000.0]
    assert check_substrings(s, {a.id: a for a in articles}) == []


def test_a_sentence_an_outlet_prints_twice_is_one_claim() -> None:
    day = datetime(2018, 7, 3, 9, 0)
    caption = "Relatives of the 12 boys and their coach react after they were found alive in the flooded cave."
    texts = [
        f"{caption}\n\nDivers reached the group late on Monday after a nine-day search.\n\n{caption}",
        "The provincial governor said the rescue would take time and that no one would be rushed out of the cave.",
    ]
    _, s = _small_story(texts, day)
    statements = [c.statement for c in s.claims]
    assert caption in statements and len(statements) == len(set(statements))


def test_disputes_are_denials_of_claims_by_whoever_denies() -> None:
    from parallax.synthesis.claims import DISPUTE

    for text in ("He was charged with false imprisonment.", "She never thought anything was wrong.",
                 "Twelve of them denied any symptoms.", "He was denied bail."):
        assert not DISPUTE.search(text), text
    for text in ("The Kremlin denied the report.", "Officials called the claims false.", "He denied any wrongdoing."):
        assert DISPUTE.search(text), text
    day = datetime(2016, 1, 20, 9, 0)
    texts = [
        "Three teenagers who lived in the home were also arrested, Police Chief Dana Marsh said on Tuesday.",
        (
            "The three teenagers living in the house were arrested as well, Chief Dana Marsh said. "
            "Police said all five had denied knowing about another child in the home."
        ),
    ]
    _, s = _small_story(texts, day)
    disputes = [p for c in s.claims for p in c.positions if p.stance == "disputes"]
    assert all(p.actor != "Police" for p in disputes)


def test_claim_actors_are_not_counts_or_articles() -> None:
    from parallax.synthesis.claims import clean_actor

    assert clean_actor("Two") is None and clean_actor("An") is None and clean_actor("We investigated the") is None
    assert clean_actor("Russia's defence ministry") == "Russia's defence ministry"


def test_dateline_capitals_are_written_as_names() -> None:
    from parallax.synthesis.names import _unshout

    assert [_unshout(n) for n in ("WASHINGTON", "MAE SAI", "NATO", "UNICEF", "USA")] == [
        "Washington", "Mae Sai", "NATO", "UNICEF", "USA"
    ]


def test_doubt_of_anything_but_a_claim_is_no_dispute() -> None:
    from parallax.synthesis.claims import DISPUTE

    for text in ("Jo Park said she was skeptical of the timing of the announcement.",
                 "A judge denied them bond at a hearing on Sunday.",
                 "A preliminary autopsy showed no indication that force was used.",
                 "McConnell said he did not believe there would be enough time to pass the bill.",
                 "She said she rebuffed him when he tried to pressure her.",
                 "The city rejected the bid in 2010."):
        assert not DISPUTE.search(text), text
    for text in ("U.S. officials dismissed the Russian government's claim that a second plane was present.",
                 "According to the official, the claim of a pullback was false.",
                 "Kyiv and its allies cast doubt on Moscow's announcement.",
                 "The minister rejected the report as baseless."):
        assert DISPUTE.search(text), text


def test_a_denial_answers_the_assertion_it_is_about() -> None:
    day = datetime(2021, 3, 2, 9, 0)
    texts = {
        "Daily A": "Regulators said Acme hid losses of $40 million from its investors last year. "
        "The company's shares fell 8 percent on Monday.",
        "Daily B": "Acme hid losses of $40 million from investors, regulators said on Monday. "
        "Acme denied the allegations in a statement on Monday and said its accounts were sound. "
        "Judge Lena Brown, who heard a separate Acme case about losses, denied having met the company's lawyers.",
    }
    _, s = _small_story(texts, day)
    contested = [c for c in s.claims if c.status == "contested"]
    assert len(contested) == 1 and "losses" in contested[0].statement
    disputes = [p for p in contested[0].positions if p.stance == "disputes"]
    assert [p.actor for p in disputes] == ["Acme"]  # the judge's denial is about something else


def test_disputes_named_by_more_verbs_and_forms() -> None:
    from parallax.synthesis.claims import DISPUTE

    for text in ("The mayor pushed back against the governor's portrayal of the city.",
                 "Many readers took issue with the description of the suspect as a loner.",
                 "Ms Lund disputed the auditor's accounting but gave no figures.",
                 "Several engineers questioned the validity of the new speed record.",
                 "The claim that the mill sold its timber rights to a firm run by the mayor's cousin is patently untrue.",
                 "The council denies it is closing the library.",
                 "Ms Reyes denied meeting the contractor.",
                 "The minister said the press gave a misleading account of the vote."):
        assert DISPUTE.search(text), text
    for text in ("Air traffic control denied permission for the plane to climb.", "He was denied entry at the border.",
                 "She pleaded guilty to a lesser charge."):
        assert not DISPUTE.search(text), text


def test_the_name_before_the_denial_disputes_not_the_reporter() -> None:
    from parallax.synthesis.claims import _denier

    assert _denier("Dana Webb denied calling the office, but asked for a lawyer, the police report states.") == "Dana Webb"
    assert _denier("Prosecutors said Marco Tesh, who has denied the charges, will stand trial in May.") == "Marco Tesh"
    assert _denier("But Acme has repeatedly denied the allegations.") == "Acme"
    assert _denier("As Ann Lee reported, Tom Ray, who has so far denied the charges, “is ready to talk.”") == "Tom Ray"
    assert _denier("Police said all five had denied knowing the boy.") is None  # no name right before it
    assert _denier("The claim that the mill was sold is false.") is None  # no verb of disputing


def test_a_dispute_opening_on_a_connective_is_read() -> None:
    day = datetime(2021, 3, 2, 9, 0)
    texts = {
        "Daily A": "Regulators said Acme hid losses of $40 million from its investors last year. "
        "The company's shares fell 8 percent on Monday.",
        "Daily B": "Acme hid losses of $40 million from investors, regulators said on Monday. "
        "But Acme denied the allegations in a statement on Monday and said its accounts were sound.",
    }
    _, s = _small_story(texts, day)
    contested = [c for c in s.claims if c.status == "contested"]
    assert len(contested) == 1 and "losses" in contested[0].statement
    disputes = [p for p in contested[0].positions if p.stance == "disputes"]
    assert [(p.actor, p.text[:9]) for p in disputes] == [("Acme", "But Acme ")]


def test_a_dispute_naming_whose_claim_it_rejects_answers_that_claim() -> None:
    day = datetime(2021, 3, 2, 9, 0)
    texts = {
        "Daily A": "Regulators said the Harbor Fund moved $40 million into accounts in Cyprus last year. "
        "Lawyer Nina Ortega said the fund paid her client $250,000 for advice on the harbor contract.",
        "Daily B": "The Harbor Fund moved $40 million into accounts in Cyprus, regulators said on Monday. "
        "Fund manager Tom Vale disputed Ortega's account.",
    }
    _, s = _small_story(texts, day)
    contested = [c for c in s.claims if c.status == "contested"]
    assert len(contested) == 1 and "Ortega" in contested[0].statement  # not the prominent report of two outlets
    assert [p.actor for p in contested[0].positions if p.stance == "disputes"] == ["Tom Vale"]


def test_a_denial_in_a_relative_clause_is_the_named_one_s_not_the_reporter_s() -> None:
    day = datetime(2021, 3, 2, 9, 0)
    texts = {
        "Daily A": "Investigators said cyclist Tom Ray used banned drugs during his racing career. "
        "The team's sponsor withdrew on Monday.",
        "Daily B": "Tom Ray used banned drugs during his racing career, investigators said on Monday. "
        "As reporter Ann Lee wrote, Tom Ray, who has so far denied using banned drugs, “has told friends he is ready "
        "to talk about his racing career.”",
    }
    _, s = _small_story(texts, day)
    disputes = [p for c in s.claims if c.status == "contested" for p in c.positions if p.stance == "disputes"]
    assert [p.actor for p in disputes] == ["Tom Ray"]


def test_a_denial_that_says_what_it_denies_needs_two_of_its_words() -> None:
    from parallax.synthesis.claims import _answers, _denial, _stems

    denial = _denial("Acme denied moving money to accounts in Cyprus.")
    assert _answers(denial, {"acme"}, _stems("Regulators said Acme moved money to accounts in Cyprus."))
    # one shared word ("accounts") is not what it denies
    assert _answers(denial, {"acme"}, _stems("Acme said its accounts were audited by a firm in Dublin.")) is None
