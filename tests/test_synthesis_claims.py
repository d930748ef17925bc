"""Contested claims (issue 17): every sentence read, pronoun subjects resolved, an organisation and its
spokespeople one side, a dispute paired only with the assertion it answers, and "no evidence" never
itself an assertion. Small stories written for these tests."""

from __future__ import annotations

from datetime import datetime

import pytest

from parallax.models import Article, Story, Synthesis
from parallax.synthesis import analysis, claims, disputes, synthesize
from parallax.synthesis.attributed import _speakers, speaker_names

DAY = datetime(2022, 2, 16, 9, 0)


def _story(texts: dict[str, str]) -> tuple[list[Article], Synthesis]:
    articles = [
        Article.create(source=f"https://o{k}.example/1", text=t, outlet=o, published=DAY)
        for k, (o, t) in enumerate(texts.items())
    ]
    return articles, synthesize(Story("s", "s", tuple(a.id for a in articles)), articles)


WORKED = {
    "Northwire": (
        "Russia's defence ministry said on Tuesday that some units were returning to their bases after drills near "
        "Ukraine. The ministry released video of tanks loaded onto trains. NATO Secretary General Jens Stoltenberg "
        "said the alliance saw no evidence of a withdrawal of Russian forces from the border."
    ),
    "Channel Eight": (
        "Russian units that took part in exercises near Ukraine are returning to their bases, the Russian defence "
        "ministry said. President Joe Biden said on Tuesday that the United States had seen no evidence of a "
        "withdrawal and that Russian troops remained in a threatening position."
    ),
    "The Daily Ledger": (
        "British Defence Secretary Ben Wallace said London had seen no evidence that Russian troops were pulling "
        "back from the border. Ukraine's foreign minister Dmytro Kuleba said Kyiv saw no sign of a withdrawal of "
        "Russian forces either. Talks between the two sides are expected to resume in Geneva next week."
    ),
}


@pytest.fixture(scope="module")
def worked() -> tuple[list[Article], Synthesis]:
    return _story(WORKED)


def test_worked_example_one_claim_four_disputes(worked: tuple[list[Article], Synthesis]) -> None:
    _, s = worked
    contested = [c for c in s.claims if c.status == "contested"]
    assert len(contested) == 1
    claim = contested[0]
    assert "returning to their bases" in claim.statement
    asserting = [p for p in claim.positions if p.stance == "asserts"]
    disputing = [p for p in claim.positions if p.stance == "disputes"]
    assert all("ministry" in (p.actor or "") for p in asserting)
    assert {p.actor for p in disputing} == {"Jens Stoltenberg", "Joe Biden", "Ben Wallace", "Dmytro Kuleba"}
    # No "no evidence" sentence is set up as an assertion another one disputes.
    assert not any(disputes.is_no_evidence(p.text) for p in asserting)


def test_no_evidence_sentences_are_never_candidate_assertions(
    worked: tuple[list[Article], Synthesis],
) -> None:
    articles, _ = worked
    story = analysis.analyse(articles)
    cands = claims.candidate_pairs(story, speaker_names(story, _speakers(story)))
    assert len(cands.disputes) == 4
    for pairs in cands.pairs.values():
        for i, _ in pairs:
            assert not disputes.is_dispute(story.units[i].text)


def test_a_pronoun_subject_resolves_to_the_nearest_person_of_its_gender() -> None:
    text = (
        "Mary Jones, a former aide, said she had been told to destroy the files. Her account was published on "
        "Monday. John Smith, the mayor, spoke later. His office released a statement. She denied that she had "
        "kept any copies of the files, her lawyer said."
    )
    story = analysis.analyse([Article.create(source="a", text=text, outlet="A")], embeddings=False)
    unit = next(u for u in story.units if u.text.startswith("She denied"))
    s = disputes.Sentence(unit.article, unit.index, unit.start, unit.end, unit.text, None)
    assert disputes.pronoun_actor(story, s) == "Mary Jones"
    # "…, he said" at the end of a sentence resolves the same way.
    text2 = "John Smith, the mayor, was asked about the report. “That is simply not true,” he said."
    story2 = analysis.analyse([Article.create(source="b", text=text2, outlet="B")], embeddings=False)
    unit2 = story2.units[-1]
    s2 = disputes.Sentence(unit2.article, unit2.index, unit2.start, unit2.end, unit2.text, None)
    assert disputes.pronoun_actor(story2, s2) == "John Smith"


def test_every_sentence_is_read_past_the_summary_limit_and_in_parentheses() -> None:
    filler = " ".join(f"The council met for session number {n} on the budget of the town." for n in range(90))
    text = filler + " (Weinstein denied the claims of the three women.) The meeting ended late."
    story = analysis.analyse([Article.create(source="a", text=text, outlet="A")], embeddings=False)
    assert len(story.units) == analysis.MAX_SENTENCES_PER_ARTICLE  # the summary reads the first 80
    read = disputes.read_all(story)
    late = [s for s in read if "Weinstein denied" in s.text]
    assert late and late[0].unit is None and late[0].index >= analysis.MAX_SENTENCES_PER_ARTICLE
    assert text[late[0].start : late[0].end] == late[0].text


def test_an_organisation_and_its_spokespeople_are_one_side() -> None:
    text = "Kremlin spokesman Dmitry Peskov told reporters the troops were leaving."
    assert disputes.affiliation("Dmitry Peskov", text) == "Kremlin"
    assert disputes.affiliation("Peskov", "Peskov, a spokesman for the Kremlin, said so.") == "Kremlin"
    assert disputes.sides_of("Dmitry Peskov", text) & disputes.sides_of("Russia's defence ministry", "")
    assert not disputes.sides_of("Jens Stoltenberg", text) & disputes.sides_of("Dmitry Peskov", text)


def test_a_spokesman_does_not_dispute_his_own_organisation() -> None:
    texts = {
        "A": "Acme Corp said on Monday that its new battery had passed every safety test. Acme Corp spokesman "
        "Tom Reed denied reports that the battery had caught fire during the tests.",
        "B": "Acme Corp said its new battery passed every safety test, the company announced on Monday. A former "
        "engineer, Lisa Park, said the battery had caught fire twice during the tests last year.",
    }
    _, s = _story(texts)
    for claim in s.claims:
        if claim.status != "contested":
            continue
        asserting = {p.actor for p in claim.positions if p.stance == "asserts"}
        disputing = {p.actor for p in claim.positions if p.stance == "disputes"}
        assert not ({"Tom Reed"} & disputing and any(a and "Acme" in a for a in asserting))


def test_a_denial_of_something_else_is_not_paired() -> None:
    texts = {
        "A": "Police said the storm killed at least 12 people in the coastal town on Sunday. The mayor denied "
        "that the town's budget had been cut to pay for a new stadium.",
        "B": "At least 12 people died in the storm that hit the coastal town, police said. Rescue teams searched "
        "the ruins of the harbour through the night.",
    }
    _, s = _story(texts)
    assert [c for c in s.claims if c.status == "contested"] == []


def test_sentences_that_need_their_context_are_not_claims() -> None:
    assert claims.context_dependent("The date is also unclear.")
    assert claims.context_dependent("This was not the first time.")
    assert not claims.context_dependent("The ministry said units were returning to their bases.")
    assert not claims.context_dependent("NATO also said 7,000 troops had arrived.")


def test_the_pair_scorer_runs_boosted_trees_and_a_logistic_regression_from_json() -> None:
    import numpy as np

    stump = {"feature": [1, -2, -2], "threshold": [0.5, -2.0, -2.0], "left": [1, -1, -1], "right": [2, -1, -1],
             "value": [0.0, -1.0, 3.0]}  # fmt: skip
    trees = {"kind": "trees", "mean": [0.0, 0.0], "scale": [1.0, 2.0], "init": 0.5, "rate": 0.5, "trees": [stump]}
    got = disputes.score_with(trees, [[9.0, 0.0], [9.0, 2.0]])  # standardised: 0.0 goes left, 1.0 right
    assert np.allclose(got, 1 / (1 + np.exp(-np.array([0.5 - 0.5, 0.5 + 1.5]))))
    logistic = {"mean": [1.0, 0.0], "scale": [1.0, 1.0], "coef": [2.0, 0.0], "intercept": -1.0}
    assert np.allclose(disputes.score_with(logistic, [[1.0, 5.0]]), 1 / (1 + np.exp(1.0)))


def test_the_cue_lexicon_reads_pleas_and_innocence_but_not_a_passive_denial() -> None:
    assert disputes.is_dispute("Lambach pleaded not guilty to four counts of human trafficking.")
    assert disputes.is_dispute("She has maintained her innocence since her arrest in May.")
    assert disputes.is_dispute("The company said the report was inaccurate.")
    assert not disputes.is_dispute("He was denied any chance to appeal the ruling.")  # denied to him, not by him
    assert not disputes.is_dispute("Sales rose 5 percent in the quarter.")


def test_a_plea_answers_only_an_assertion_of_what_it_pleads_to() -> None:
    texts = {
        "A": "Prosecutors charged John Reed with three counts of bank fraud on Monday, the court said. Reed ran a "
        "car dealership in the town for many years before he moved to the coast.",
        "B": "John Reed pleaded not guilty to three counts of bank fraud at his first hearing on Tuesday. The "
        "dealership that Reed ran in the town stayed open for business on Tuesday, its manager said.",
    }
    articles = [
        Article.create(source=f"https://o{k}.example/1", text=t, outlet=o) for k, (o, t) in enumerate(texts.items())
    ]
    story = analysis.analyse(articles)
    cands = claims.candidate_pairs(story, speaker_names(story, _speakers(story)))
    paired = {story.units[i].text for pairs in cands.pairs.values() for i, _ in pairs}
    assert any("charged John Reed" in t for t in paired)
    assert not any("dealership" in t for t in paired)  # the plea says what it answers, and this is not it


def test_stance_features_read_what_the_dispute_denies_against_the_assertion() -> None:
    plea = "Reed pleaded not guilty to three counts of bank fraud."
    f = dict(zip(disputes.STANCE_FEATURES, disputes.stance_features(
        plea, "Prosecutors charged John Reed with three counts of bank fraud.",
    )))  # fmt: skip
    other = dict(zip(disputes.STANCE_FEATURES, disputes.stance_features(
        plea, "Reed ran a car dealership in the town for many years.",
    )))  # fmt: skip
    assert f["target_cover"] > 0.5 > other["target_cover"]
    assert f["assert_accusation"] == 1.0 and not f["assert_negated"]
    # a "no evidence" is itself no assertion: the features say so
    f = dict(zip(disputes.STANCE_FEATURES, disputes.stance_features(
        "NATO said it had seen no evidence of a withdrawal.", "Kyiv said it saw no evidence of a pullback either.",
    )))  # fmt: skip
    assert f["assert_no_evidence"] == 1.0 and f["assert_negated"] == 1.0
    # an estimate "disputed" by a denial of something else: the figure is never named
    f = dict(zip(disputes.STANCE_FEATURES, disputes.stance_features(
        "The ministry denied that the budget had been cut to pay for a stadium.",
        "Police estimated that at least 12,000 people attended the rally.",
    )))  # fmt: skip
    assert f["figure_unmet"] == 1.0 and f["target_cover"] == 0.0
    # a generic denial says nothing of what it denies
    assert dict(zip(disputes.STANCE_FEATURES, disputes.stance_features(
        "Acme denied the allegations.", "A former engineer accused Acme of hiding fires.",
    )))["target_empty"] == 1.0  # fmt: skip
    assert len(disputes.FEATURES) == (
        len(disputes.BASE_FEATURES) + len(disputes.STANCE_FEATURES) + len(disputes.READING_FEATURES)
    )


def test_reading_features_measure_the_disputed_proposition_in_the_assertion() -> None:
    def read(d: str, a: str) -> dict[str, float]:
        return dict(zip(disputes.READING_FEATURES, disputes.reading_features(d, a)))

    denial = "Allen has denied the allegations that he molested Dylan Farrow."
    right = read(denial, "Dylan Farrow says Woody Allen molested her when she was seven.")
    wrong = read(denial, "Mira Sorvino said she would reconsider working with the director.")
    assert right["prop_cover"] == 1.0 and wrong["prop_cover"] == 0.0  # molest, dylan, farrow (Allen, the denier, aside)
    assert right["cover_min"] > wrong["cover_min"]
    assert wrong["names_a_missed"] == 1.0 and right["names_a_missed"] == 0.0
    # the cue and the words of claiming are no part of the proposition
    assert read("The Kremlin denied the claim.", "NATO said Russian troops had pulled back.")["prop_cover"] == 0.0


def test_a_model_over_some_of_the_features_scores_its_own_columns(monkeypatch) -> None:
    import numpy as np

    n = len(disputes.FEATURES)
    rows = [[0.0] * n, [0.0] * n]
    rows[1][disputes.FEATURES.index("rule_named")] = 1.0
    sub = {"features": ["rule_named"], "mean": [0.0], "scale": [1.0], "coef": [2.0], "intercept": 0.0, "threshold": 0.5}
    monkeypatch.setattr(disputes, "model", lambda: sub)
    assert np.allclose(disputes.score(rows), [0.5, 1 / (1 + np.exp(-2.0))])
    monkeypatch.setattr(disputes, "model", lambda: sub | {"features": ["no_such_feature"]})
    assert np.allclose(disputes.score(rows), [0.0, 0.0])  # features this code does not compute: nothing shown
