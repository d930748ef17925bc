"""Quote cases: one table (tests/cases/quotes.jsonl), one parametrised test.

Each row is one case: ``check`` is ``speakers`` (extract the quotes of ``text`` with ``persons``, a
list of ``[name, kind, start, end]`` mentions or ``"spacy"`` for spaCy's, and compare the speakers
in order with ``expect``, or the speaker of the quote at each index of ``expect_at``),
``name_from_phrase`` or ``attribution`` (the function of ``input`` equals ``expect``). ``why`` says
what the case is about. The cases that check more than a speaker stay functions below.
"""

import json
from pathlib import Path

import pytest

from parallax.text.entities import Mention
from parallax.text.quotes import attribution, extract_quotes, name_from_phrase

CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "quotes.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_quote_case(case: dict) -> None:
    if case["check"] == "name_from_phrase":
        assert name_from_phrase(case["input"]) == case["expect"]
        return
    if case["check"] == "attribution":
        assert attribution(case["input"]) == case["expect"]
        return
    text = case["text"]
    if case["persons"] == "spacy":
        from parallax.text.entities import extract_entities

        persons = extract_entities([text])[0]
    else:
        persons = [Mention(name, kind, start, end) for name, kind, start, end in case["persons"]]
    quotes = extract_quotes(text, persons, **case.get("options", {}))
    for q in quotes:
        assert text[q.start : q.end] == q.text
    speakers = [q.speaker for q in quotes]
    if "expect" in case:
        assert speakers == case["expect"]
    for index, speaker in case.get("expect_at", {}).items():
        assert speakers[int(index)] == speaker


def test_every_case_has_an_id_of_its_own() -> None:
    assert len({c["id"] for c in CASES}) == len(CASES)


TEXT = (
    "“We have not seen any withdrawal,” NATO chief Jens Stoltenberg said. “On the contrary.”\n\n"
    'President Joe Biden told reporters: "We have not verified that. They remain in a threatening position."\n\n'
    "“It is a good sign,” said Ben Wallace, the UK defence secretary. \"But not yet,\" he said.\n\n"
    "According to Zelenskiy, «Russia has not withdrawn a single unit».\n\n"
    "Russia's defence ministry said units were leaving. ‘The drills are over,’ the ministry said.\n\n"
    "The paper called it a “witch hunt” on Monday.\n\n"
    "“This is a long quote.\n\n“And it goes on here,” Biden wrote."
)
PERSONS = [
    Mention("Jens Stoltenberg", "person", TEXT.index("Jens"), TEXT.index("Jens") + 16),
    Mention("Joe Biden", "person", TEXT.index("Joe Biden"), TEXT.index("Joe Biden") + 9),
    Mention("Ben Wallace", "person", TEXT.index("Ben Wallace"), TEXT.index("Ben Wallace") + 11),
]


def test_quotes_styles_and_speakers() -> None:
    quotes = extract_quotes(TEXT, PERSONS)
    got = {q.text: q.speaker for q in quotes}
    assert got["We have not seen any withdrawal"] == "Jens Stoltenberg"
    assert got["We have not verified that. They remain in a threatening position."] == "Joe Biden"
    assert got["It is a good sign"] == "Ben Wallace"
    assert got["But not yet"] == "Ben Wallace"  # pronoun -> last named person
    assert got["Russia has not withdrawn a single unit"] == "Zelenskiy"
    assert got["The drills are over"] == "Russia's defence ministry"  # completed from before
    assert got["This is a long quote."] == "Joe Biden"  # continued across paragraphs
    assert got["And it goes on here"] == "Joe Biden"
    assert "witch hunt" not in got  # a scare quote of two words, no speaker
    for q in quotes:
        assert TEXT[q.start : q.end] == q.text


def test_short_forms_complete_to_full_names() -> None:
    assert next(q for q in extract_quotes(TEXT, PERSONS) if q.text == "On the contrary.").speaker == "Jens Stoltenberg"


def test_title_only_speaker_is_the_titled_person() -> None:
    """"the president said" names the person the text calls President; "an official" stays unnamed."""
    from parallax.text.entities import extract_entities

    text = (
        "President Donald Trump spoke on Friday in Virginia.\n\n"
        '"We are going to rebuild the FBI," the president said.\n\n'
        '"Nobody at the agency was told in advance," an official said.'
    )
    quotes = extract_quotes(text, extract_entities([text])[0])
    assert [q.speaker for q in quotes] == ["Donald Trump", "official"]


def _mention(text: str, name: str) -> Mention:
    return Mention(name, "person", text.index(name), text.index(name) + len(name))


def test_it_and_said_in_are_not_speakers() -> None:
    """'“…,” it added.' continues the statement's issuer; "said in a statement" names nobody "in"."""
    text = (
        "“Today is the best day of our lives,” the family members said in a joint statement. "
        "“We have waited for nearly two years for this moment,” it added.\n\n"
        "Mr. Tooke resigned on Wednesday.\n\n"
        "“You must have the moral authority to inspire its members,” said in a statement the ministry."
    )
    speakers = [q.speaker for q in extract_quotes(text, [_mention(text, "Tooke")])]
    assert speakers[:2] == ["family members", "family members"]
    assert speakers[2] not in {"in", "Tooke said in"}
    assert name_from_phrase("Pyongyang has always insisted") == "Pyongyang"


def test_adverb_after_name_and_subordinate_clause_are_not_speakers() -> None:
    assert name_from_phrase("Spicer sheepishly") == "Spicer"
    assert name_from_phrase("The family") == "family"  # a noun in -ly stays
    assert name_from_phrase("she used to") is None  # a pronoun subject, resolved as "she said" is
    text = (
        "Sean Spicer met the press on Monday.\n\n"
        "He spoke for an hour, when the ADL released its report calling the remarks “deeply troubling "
        "and plainly false”."
    )
    speaker = extract_quotes(text, [_mention(text, "Sean Spicer")])[0].speaker
    assert speaker is None or "when" not in speaker


def test_named_apposition_and_dotted_abbreviation_after_the_quote() -> None:
    text = (
        "“We will not rush to take the boys out,” the governor of Chiang Rai, Narongsak Osoththanakorn, "
        "told reporters.\n\n"
        "“The fighters cannot operate at that height,” one U.S. official said.\n\n"
        "“Ebola presents with a spectrum of clinical manifestations,” the researchers write."
    )
    speakers = [q.speaker for q in extract_quotes(text, [_mention(text, "Narongsak Osoththanakorn")])]
    assert speakers == ["Narongsak Osoththanakorn", "U.S. official", "researchers"]


def test_written_documents_are_credited_with_their_words() -> None:
    """'“…,” reads the booklet', a card's bullet points, 'the post read': the document speaks."""
    text = (
        "The ministry printed a new guide for mothers.\n\n"
        '"Pregnant women should avoid all desire," reads the booklet, released last week.\n\n'
        'The card has ten bullet points, some of which tell the reader to be polite, i.e. "Do not argue with '
        'officers." Others are more direct, such as "Keep both hands on the wheel."\n\n'
        "“Rules were rules for every team,” the post read.\n\n"
        "Carnival provided a statement to reporters. “The device was found and removed,” the statement read."
    )
    speakers = [q.speaker for q in extract_quotes(text)]
    assert speakers == ["booklet", "card", "card", "post", "Carnival"]


def test_title_subject_without_a_verb_of_saying_is_its_holder() -> None:
    text = (
        'The traditional medicine minister defended the booklet as containing "wisdom accumulated over '
        'many centuries," and said it was not against sex.\n\n'
        '"The booklet puts together relevant facts," Minister Shripad Naik said.'
    )
    speakers = [q.speaker for q in extract_quotes(text, [_mention(text, "Shripad Naik")])]
    assert speakers == ["Shripad Naik", "Shripad Naik"]


def test_parsed_subject_of_the_verb_governing_the_quote() -> None:
    """No pattern finds these speakers; the dependency parse of the sentence does."""
    texts = [
        "A U.S. defense official said that the command systems had also “detected and tracked” the missile.",
        'In 1991, a bitter fire captain wrote to the newspaper, saying that the rules were "tearing the agency apart."',
        "His memoir, “Dreams from My Father,” published in 1995, made the most money.",
    ]
    speakers = [extract_quotes(t)[0].speaker for t in texts[:2]]
    assert speakers == ["U.S. defense official", "bitter fire captain"]
    assert extract_quotes(texts[2]) == []  # a title after a work noun, its comma inside the marks: no quote at all
    assert extract_quotes(texts[1], parser=False)[0].speaker is None  # no pattern finds the captain


def test_clause_fragment_speaker_is_replaced_by_the_parsed_subject() -> None:
    text = (
        "Nancy Motes posted about her family for months.\n\n"
        "And on December 15 she tweeted: 'I must remember how blessed I am even now.'"
    )
    speakers = [q.speaker for q in extract_quotes(text, [_mention(text, "Nancy Motes")])]
    assert speakers == ["Nancy Motes"]


def test_definite_organisation_noun_is_the_organisation_named_before() -> None:
    text = "KTVU aired a noon newscast on Friday.\n\nThe station claimed it had “just learned the names of the pilots”."
    orgs = [Mention("KTVU", "organization", text.index("KTVU"), text.index("KTVU") + 4)]
    assert extract_quotes(text, orgs)[0].speaker == "KTVU"
    text = "A consumer group met the mayor. A rights group called it “a waste of public money” on Monday."
    assert extract_quotes(text, [Mention("Romans", "organization", 0, 1)])[0].speaker != "Romans"  # indefinite


def test_the_paper_reports_is_the_paper_named_before():
    text = (
        "Officials told the Lakeside Courier that the dam had been inspected twice.\n\n"
        "“Cracks were found in the spillway during the spring survey,” the paper reports. "
        "The council called the finding “a matter of routine maintenance,” resulting in reports that ran for weeks."
    )
    persons = [Mention("Lakeside Courier", "organization", text.index("Lakeside"), text.index("Lakeside") + 16)]
    quotes = extract_quotes(text, persons)
    assert quotes[0].speaker == "Lakeside Courier"
    assert quotes[1].speaker != "resulting in"


def _labelled(text: str, name: str, kind: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(name, kind, start, start + len(name))  # type: ignore[arg-type]


def test_an_organisation_named_again_and_again_stays_one() -> None:
    text = "Acme Widgets said it would appeal. Acme Widgets said: “We will fight this ruling in every court.”"
    persons = [_labelled(text, "Acme Widgets", "organization"), _labelled(text, "Acme Widgets", "organization", 1)]
    from parallax.text.quotes import persons_relabelled

    assert {m.kind for m in persons_relabelled(text, persons)} == {"organization"}
    assert extract_quotes(text, persons)[0].speaker == "Acme Widgets"


def test_attribution_takes_the_name_before_a_descriptive_apposition() -> None:
    assert attribution("Kim, the country's leader, said the talks failed.") == "Kim"
    assert attribution("Ana Varga, the country's leader, said the talks failed.") == "Ana Varga"
    # spaCy may label the name an organisation: the apposition still says it is a person.
    sentence = "Olena Marchuk, Ukraine's president, said her country had not seen the troops leave."
    as_org = [Mention("Olena Marchuk", "organization", 0, 13), Mention("Ukraine", "place", 15, 22)]
    assert attribution(sentence, as_org) == "Olena Marchuk"
    assert attribution("The ministry, which runs the army, said the talks failed.") == "ministry"


def test_attribution_after_a_clause_with_added_troops() -> None:
    sentence = (
        "Russia has added as many as 7,000 troops near its border with Ukraine in recent days, "
        "a senior White House official said on Wednesday, contradicting Moscow's claim."
    )
    assert attribution(sentence) == "senior White House official"


def test_a_role_word_or_title_before_a_name_makes_it_a_person() -> None:
    text = (
        "Author and actor Tobias Renner Vale, who wrote four books, has died, his cousin said.\n\n"
        '"I was given everything when I drew my first breath," Vale wrote in his memoir.\n\n'
        "Attorney General Ruth Okafor spoke on Monday. “We will not drop the case,” Okafor said."
    )
    persons = [
        _labelled(text, "Tobias Renner Vale", "organization"),
        _labelled(text, "Ruth Okafor", "place"),
        _labelled(text, "Okafor", "organization"),
    ]
    got = [q.speaker for q in extract_quotes(text, persons)]
    assert got == ["Tobias Renner Vale", "Ruth Okafor"]


def test_a_page_that_states_its_words_and_its_next_paragraph() -> None:
    text = (
        "A neighbour set up a fundraising page for the boy.\n\n"
        "“Both of his hands were badly burned in the blast,” the GoFundMe states.\n\n"
        "“He wanted to be a mechanic when he grew up.”"
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["GoFundMe", "GoFundMe"]
    many = "'Rendering aid' is not a requirement in many states\n\nWhen it comes to people in distress, little is done."
    assert all(q.speaker != "is not a requirement in many" for q in extract_quotes(many, []))


def test_a_person_named_in_the_attribution_does_not_take_the_next_quote() -> None:
    text = (
        "“I am honoured that he chose my term,” the senator said in Fargo, during a rally for her "
        "opponent, Rep. Kyle Brand. “And I thank him for his service, terrific man.”"
    )
    persons = [_labelled(text, "Kyle Brand", "person")]
    got = extract_quotes(text, persons)
    assert got[1].speaker == got[0].speaker != "Kyle Brand"


def test_a_mixed_closer_ends_the_quote_when_the_next_straight_mark_opens_another() -> None:
    """'"… for years,” she told the host. "Emma …"': the right mark closes the first quote (the next
    straight mark opens a quote), so both quotes are found."""
    text = (
        '"I have wanted this interview for a very long time, for years,” she told the host. '
        '"Nina thanked me for the chance to tell the story of the family."'
    )
    quotes = extract_quotes(text, [])
    assert [q.text[:6] for q in quotes] == ["I have", "Nina t"]


def test_she_is_the_last_speaker_named_again_as_a_subject_after_another_person() -> None:
    """A colleague named in passing, then "However, Marsh notes, …": the next "she said" is still
    Lena Marsh (whose surname spaCy labelled an organisation), not the colleague."""
    text = (
        'Lena Marsh led the study. "The brain did not respond to the pictures at all," she said. A study in '
        "2012 by Marsh's colleague Ron Field, a professor of psychiatry, found the opposite. However, Marsh "
        'notes, that study used no brain data.\n\n"If our study can be replicated," she said, "these findings '
        'would be a challenge."'
    )
    mentions = [_labelled(text, "Lena Marsh", "person"), _labelled(text, "Marsh", "organization", nth=1),
                _labelled(text, "Ron Field", "person"), _labelled(text, "Marsh", "organization", nth=2)]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Lena Marsh"] * 3


def test_a_quote_opened_with_a_right_mark_or_closed_with_a_double_prime_is_found() -> None:
    """Some sites open quotes with ” ('”Our first concern is the staff,” he said') or close them with a
    double prime (“… $150,000″); both are quotes, and a lone inch mark (6″) is not."""
    text = (
        "Dana Cole spoke on Monday. ”Our first concern is the staff and their jobs,” she said.\n\n"
        "The fee was “in excess of $150,000″ for the whole season, Cole said. The pipe is 6″ wide."
    )
    quotes = extract_quotes(text, [_labelled(text, "Dana Cole", "person")])
    assert [q.text for q in quotes] == ["Our first concern is the staff and their jobs", "in excess of $150,000"]


def test_who_issued_the_statement_speaks_it() -> None:
    """'Dana Cole’s spokesman has now issued this statement: “…”' is the spokesman's, not Dana Cole's."""
    text = "UPDATE: Dana Cole’s spokesman has now issued this statement: “Dana cares most about the staff of the show.”"
    quotes = extract_quotes(text, [_labelled(text, "Dana Cole", "person")])
    assert [q.speaker for q in quotes] == ["Dana Cole’s spokesman"]


def test_he_after_a_sentence_framed_as_someones_account_is_that_person() -> None:
    """'In Baxter’s account of the meeting, pastors did not ask him …. “…,” he told reporters' is
    Baxter's, not the last speaker's."""
    text = (
        "Reverend Alan Pike said the candidate seemed unmoved. “It is probably out of the question.”\n\n"
        "In Baxter’s account of the meeting, pastors did not ask him to soften his tone. “The tone has taken "
        "me to first place in every poll,” he told reporters afterward."
    )
    quotes = extract_quotes(text, [_labelled(text, "Alan Pike", "person")])
    assert [q.speaker for q in quotes] == ["Alan Pike", "Baxter"]


def test_a_crowd_that_chants_speaks() -> None:
    """'Marchers chanted "…," "…," and "…,"': chanting is saying; each chant is the marchers'."""
    text = (
        "Police fired tear gas at the crowd near the harbour on Monday, witnesses said.\n\n"
        'Marchers chanted "Down with the mayor," "Down with the council," and "Down with the levy," the last '
        "referring to a new harbour tax."
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["Marchers"] * 3


def test_she_after_an_unnamed_mother_opening_the_door_is_the_mother() -> None:
    """'… his mother suddenly opened the front door. “…,” she says' is his mother's, not the last
    speaker's (whose gender the text never gave); when the text has shown the last speaker is a man,
    'His son spoke. “…,” he said' stays with him."""
    text = (
        "“Kai is really upset about all of it,” says his friend Brody, who we reached by phone.\n\n"
        "As Kai stood outside the house talking to a reporter, his mother suddenly opened the front door. "
        "“Kai, do not say anything silly,” she says, pulling him inside."
    )
    quotes = extract_quotes(text, [_labelled(text, "Brody", "person")])
    assert [q.speaker for q in quotes] == ["Brody", "his mother"]
    text = (
        "Omar Tahir, 26, said he missed his father. “He loved flying,” Tahir said.\n\n"
        "His son rejected the theories. “I understand him,” he said of his father."
    )
    quotes = extract_quotes(text, [_labelled(text, "Omar Tahir", "person")])
    assert [q.speaker for q in quotes] == ["Omar Tahir", "Omar Tahir"]


def test_a_straight_mark_closes_a_curly_quote_when_an_attribution_follows_and_a_quote_reopens() -> None:
    """'“…,” Reyes said. "…”' (the first closer printed straight, the last curly) is two quotes, the
    first ended by the straight mark after "matter," both Reyes's."""
    text = (
        "Senator Ana Reyes, who chairs the panel, said the audit was overdue.\n\n"
        '“The figures do not add up and the families deserve to know why it took so long to report this matter," '
        'Reyes said. "We will keep asking questions of the agency until the full record is published.”'
    )
    quotes = extract_quotes(text, [_labelled(text, "Ana Reyes", "person")])
    assert [(q.text[:14], q.speaker) for q in quotes] == [("The figures do", "Ana Reyes"), ("We will keep a", "Ana Reyes")]


def test_a_scare_quote_does_not_hide_the_sentence_opening_attribution() -> None:
    """'Kerr lamented in May that the “worst part” of the job is that he is “…”' is Kerr's (spaCy gave
    this "Kerr" no mention and labelled another one an organisation), not the last speaker's."""
    text = (
        'His predecessor, Tom Reid, famously said in an interview that "the job is a marathon, not a sprint." '
        "In Reid’s case, he was talking about the budget, while Kerr’s case is about the police. "
        "Kerr lamented in May that the “worst part” of the job is that he is “not allowed to talk to the "
        "people who elected him.”"
    )
    mentions = [_labelled(text, "Tom Reid", "person"), _labelled(text, "Kerr", "organization")]
    got = {q.text: q.speaker for q in extract_quotes(text, mentions)}
    assert got["the job is a marathon, not a sprint."] == "Tom Reid"
    assert got["not allowed to talk to the people who elected him."] == "Kerr"




def test_span_set_answers_as_a_scan_does():
    """The bisecting span set of the speaker sieves gives a plain scan's answers, disjoint or not."""
    import random

    from parallax.text.quotes.sieves import _Spans

    rng = random.Random(7)
    for trial in range(300):
        spans = []
        for _ in range(rng.randrange(0, 12)):
            a = rng.randrange(0, 60)
            spans.append((a, a + rng.randrange(0 if trial % 5 == 0 else 1, 8)))
        if trial % 2:  # mostly disjoint, as spaCy's entities are
            spans = [(a, b) for a, b in spans if not any(c < b and a < d for c, d in spans if (c, d) != (a, b))]
        got = _Spans(spans)
        plain = list(spans)
        for _ in range(30):
            a = rng.randrange(0, 70)
            b = a + rng.randrange(0, 6)
            assert got.overlaps(a, b) == any(c < b and a < d for c, d in plain), (spans, a, b)
            assert got.holds(a) == any(c <= a < d for c, d in plain), (spans, a)
            if rng.random() < 0.3:
                got.add(a, b)
                plain.append((a, b))
