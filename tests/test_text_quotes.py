from parallax.text.entities import Mention
from parallax.text.quotes import attribution, extract_quotes, name_from_phrase

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


def test_name_from_phrase_keeps_titles_apart() -> None:
    assert name_from_phrase("NATO Secretary-General Jens Stoltenberg") == "Jens Stoltenberg"
    assert name_from_phrase("Defense Secretary Lloyd Austin") == "Lloyd Austin"
    assert name_from_phrase("he") is None
    assert name_from_phrase("a White House official") == "White House official"


def test_attribution_forms() -> None:
    assert attribution("Biden said the force numbered 150,000.") == "Biden"
    assert attribution("The force numbered 150,000, according to the Pentagon.") == "Pentagon"
    assert attribution("Troops arrived, said Ben Wallace, the defence secretary.") == "Ben Wallace"
    assert attribution("Troops arrived at dawn.") is None


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


def test_clause_fragment_is_not_a_speaker() -> None:
    """'… and told reporters "…"' is said by the sentence's subject, not by "and"."""
    from parallax.text.entities import extract_entities

    text = 'Mr Trump called the inquiry "a disgrace" and told reporters "we are going to rebuild it all."'
    assert extract_quotes(text, extract_entities([text])[0])[-1].speaker == "Trump"


def test_shared_surname_is_not_completed_to_either_person() -> None:
    text = (
        "Chris White and Dana White found a camera in their cabin.\n\n"
        '"It was warm to the touch," White said.'
    )
    from parallax.text.entities import extract_entities

    assert extract_quotes(text, extract_entities([text])[0])[0].speaker == "White"


def _mention(text: str, name: str) -> Mention:
    return Mention(name, "person", text.index(name), text.index(name) + len(name))


def test_opening_adverbial_clause_is_not_a_speaker() -> None:
    """'As we previously reported, …' is no speaker; the person 'confirming' the quote is."""
    text = (
        "As we previously reported, Mark Hale was found dead on Sunday, with county coroner Anna Pratt "
        "confirming to reporters that several “letters were found in the kitchen,” as well as pills."
    )
    persons = [_mention(text, "Mark Hale"), _mention(text, "Anna Pratt")]
    assert extract_quotes(text, persons)[0].speaker == "Anna Pratt"


def test_counted_unnamed_speaker_drops_the_count() -> None:
    """"One Twitter user wrote:" is said by a Twitter user (the same as "A Twitter user")."""
    assert name_from_phrase("One Twitter user") == "Twitter user"
    assert name_from_phrase("Another user") == "user"
    text = "One Twitter user wrote: “This is the worst joke I have read all year.”"
    assert extract_quotes(text)[0].speaker == "Twitter user"


def test_pronoun_subject_before_a_named_person() -> None:
    """'Later she sent a note to “President Obama” …, adding she liked people “…”': she, not Obama."""
    text = (
        "Dana Lorne deleted the post within minutes.\n\n"
        "Later she sent a note to “President Obama” and called her joke a mistake, adding she "
        "liked people “whatever their race or their religion”."
    )
    persons = [_mention(text, "Dana Lorne"), _mention(text, "Obama")]
    assert extract_quotes(text, persons)[-1].speaker == "Dana Lorne"


def test_abbreviated_title_and_with_clause_after_the_verb() -> None:
    """'said Dr. Ann Reyes' is Ann Reyes, not "Dr"; 'said Sgt. Ron Hale with the State Police' is Ron Hale."""
    text = (
        "“This is a kind of weapon that does not exist,” said Dr. Ann Reyes, a neurologist.\n\n"
        "“You can go a lot of places in seven hours,” said Sgt. Ron Hale with the Indiana State Police."
    )
    persons = [_mention(text, "Ann Reyes"), _mention(text, "Ron Hale")]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Ann Reyes", "Ron Hale"]


def test_apposition_between_name_and_verb_after_the_quote() -> None:
    text = "“We are deeply concerned by these matters,” Stephen Sanger, the lead director, said in a statement."
    assert extract_quotes(text, [_mention(text, "Stephen Sanger")])[0].speaker == "Stephen Sanger"


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


def test_descriptor_before_a_full_name_is_dropped() -> None:
    text = "“It will snow all night,” said Senior Meteorologist Henry Margusity."
    assert extract_quotes(text, [_mention(text, "Henry Margusity")])[0].speaker == "Henry Margusity"


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


def test_unnamed_speaker_is_not_completed_with_its_count() -> None:
    """"the commenter" after "One commenter …" is a commenter; an adverb alone names nobody."""
    text = (
        "One commenter called the plan a disgrace.\n\n"
        "“This is not how a city should treat its children,” the commenter wrote."
    )
    assert extract_quotes(text)[0].speaker == "commenter"
    assert name_from_phrase("subsequently") is None


def test_named_apposition_and_dotted_abbreviation_after_the_quote() -> None:
    text = (
        "“We will not rush to take the boys out,” the governor of Chiang Rai, Narongsak Osoththanakorn, "
        "told reporters.\n\n"
        "“The fighters cannot operate at that height,” one U.S. official said.\n\n"
        "“Ebola presents with a spectrum of clinical manifestations,” the researchers write."
    )
    speakers = [q.speaker for q in extract_quotes(text, [_mention(text, "Narongsak Osoththanakorn")])]
    assert speakers == ["Narongsak Osoththanakorn", "U.S. official", "researchers"]


def test_quoted_as_saying_and_with_participle() -> None:
    text = (
        "“Climbing the mountain is a good tonic,” the Rodong newspaper quoted Mr Kim as saying.\n\n"
        "“People are scared to hire me,” Sajid Khan is quoted by the Hindustan Times as saying.\n\n"
        'The petition has 11,000 signatures, with one person writing: "This is not the same team."'
    )
    persons = [_mention(text, "Kim"), _mention(text, "Sajid Khan")]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Kim", "Sajid Khan", "person"]


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


def test_name_before_an_unclosed_title_apposition_speaks() -> None:
    text = (
        "Vincent Lisi, Special Agent in Charge of the FBI in Boston said, “This latest request for help "
        "shows our commitment.”"
    )
    assert extract_quotes(text, [_mention(text, "Vincent Lisi")])[0].speaker == "Vincent Lisi"


def test_descriptor_name_inside_an_attribution_does_not_break_the_speaker_run() -> None:
    """spaCy may tag "Akron STEM High School" as a person; it describes the speaker after it."""
    text = (
        '"We were waiting for something positive," said Akron STEM High School Junior Myia Culbreath, the '
        'group\'s president. "Our thought was, we all have an obligation to educate one another."\n\n'
        'Bush then called on Clinton to get wet, saying, "Bill, you are next on the list."'
    )
    persons = [
        _mention(text, "Akron STEM High School"),
        _mention(text, "Myia Culbreath"),
        _mention(text, "Bush"),
        _mention(text, "Clinton"),
    ]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Myia Culbreath", "Myia Culbreath", "Bush"]


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
    speakers = [extract_quotes(t)[0].speaker for t in texts]
    assert speakers[:2] == ["U.S. defense official", "bitter fire captain"]
    assert speakers[2] is None  # a title the sentence's subject names, no speech
    assert extract_quotes(texts[1], parser=False)[0].speaker is None  # no pattern finds the captain


def test_middle_initial_and_modal_do_not_cut_the_name() -> None:
    text = (
        '"It is a death sentence," said Delaware Public Defender Brendan J. O\'Neill, whose office '
        "represents him.\n\n"
        "The boys loved the catalog.\n\n"
        "“That is so cool,” Ben would say."
    )
    persons = [_mention(text, "Brendan J. O'Neill"), _mention(text, "Ben")]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Brendan J. O'Neill", "Ben"]
    assert name_from_phrase("Ben would") == "Ben"


def test_lower_case_preposition_and_capitals_heading_are_no_speaker() -> None:
    text = (
        "The Labor Department says it is conducting a “thorough and complete review” of Wells Fargo after "
        "lawmakers complained.\n\n"
        "THIS INTERSECTION WITH ANOTHER NEIGHBOR\n\n"
        'Police arrived minutes later. "The guy has been shot in the chest," a neighbor told 911.'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Labor Department", "neighbor"]


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


def test_attribution_skips_reported_clauses_and_non_speech_uses() -> None:
    # "said Britain had seen ...": a reported clause, not a speaker; the speaker is before "said"
    assert attribution("The UK defence secretary, Ben Wallace, said Britain had seen no evidence.") == "Ben Wallace"
    # "has added as many as 7,000 troops": adding troops is no saying; the official said it
    assert attribution("Russia has added as many as 7,000 troops near its border, a senior White House "
                       "official said on Wednesday.") == "senior White House official"
    assert attribution("More talks are needed, added Jens Stoltenberg.") == "Jens Stoltenberg"
    assert attribution("Smith added that it was a mistake.") == "Smith"


def test_attribution_takes_the_name_before_its_title() -> None:
    assert attribution("Volodymyr Zelenskiy, Ukraine's president, said his country had not seen it.") == (
        "Volodymyr Zelenskiy"
    )
    assert attribution("Vincent Lisi, Special Agent in Charge of the FBI in Boston said the case was open.") == (
        "Vincent Lisi"
    )
    assert attribution("In Brussels, the Nato chief, said it was early.") == "Nato chief"


def test_a_label_ending_in_a_name_credits_that_name():
    text = (
        "The ferry sank on Tuesday.\n\n"
        "Update: Statement from Harbour Lines CEO & VP Marta Quist: “We are working with the coast guard "
        "and will share what we learn.”"
    )
    persons = [Mention("VP", "person", text.index("VP"), text.index("VP") + 2),
               Mention("Marta Quist", "person", text.index("Marta"), text.index("Marta") + 11)]
    assert extract_quotes(text, persons)[0].speaker == "Marta Quist"


def test_an_organisation_issuing_a_statement_in_the_quotes_sentence_is_its_source():
    text = (
        "“We will rebuild the pier by spring,” Mayor Ada Lind said on Monday.\n\n"
        "Later: The Port Authority has released a statement saying the contractor “did not follow the approved plan” "
        "and would be replaced."
    )
    persons = [Mention("Ada Lind", "person", text.index("Ada"), text.index("Ada") + 8),
               Mention("Port Authority", "organization", text.index("Port"), text.index("Port") + 14)]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Ada Lind", "Port Authority"]


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


def test_a_statement_naming_its_issuer_first_is_that_issuers():
    text = (
        "Rebels of the Northern Front attacked the convoy, officials said.\n\n"
        "“The Royal Harbour Guard can confirm that two of its boats were damaged,” the force said in an email. "
        "“No one was hurt.”"
    )
    persons = [Mention("Northern Front", "organization", text.index("Northern"), text.index("Northern") + 14),
               Mention("Royal Harbour Guard", "organization", text.index("Royal"), text.index("Royal") + 19)]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Royal Harbour Guard", "Royal Harbour Guard"]


def test_he_or_she_passes_over_a_sentence_whose_subject_is_the_same_pronoun():
    text = (
        "Ilse Varga has courted controversy before. In 2015 she was chosen to represent Oxfam in Hungary. "
        "She later called critics “people who never read a single page of my work.”"
    )
    persons = [Mention("Ilse Varga", "person", 0, 10),
               Mention("Oxfam", "person", text.index("Oxfam"), text.index("Oxfam") + 5)]  # a mis-tagged name
    assert extract_quotes(text, persons)[0].speaker == "Ilse Varga"


def test_the_group_says_is_the_named_subject_of_the_sentence_before():
    text = (
        "Harbour Watch 7 is a volunteer crew that was formed in 1990, after the Coastal Agency cut its patrols. "
        "The volunteer group says its aim is to “keep every small boat in sight from dusk to dawn.”"
    )
    persons = [Mention("Harbour Watch 7", "other", 0, 15),
               Mention("Coastal Agency", "organization", text.index("Coastal"), text.index("Coastal") + 14)]
    assert extract_quotes(text, persons)[0].speaker == "Harbour Watch 7"


def test_a_first_name_alone_is_completed_from_the_one_full_name_it_begins():
    text = (
        "Dana Whitlow and her husband Piet Whitlow run the ferry. Her colleague Mark Osei joined in May. "
        "“We were never told the pier was unsafe,” says Dana. “Nobody called us,” said Osei."
    )
    persons = [Mention("Dana Whitlow", "person", 0, 12), Mention("Piet Whitlow", "person", 29, 41),
               Mention("Mark Osei", "person", text.index("Mark"), text.index("Mark") + 9),
               Mention("Dana", "person", text.index("Dana."), text.index("Dana.") + 4)]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Dana Whitlow", "Mark Osei"]
    persons.append(Mention("Dana", "organization", 200, 204))  # a name the article also gives a thing
    assert extract_quotes(text, persons)[0].speaker == "Dana"


def test_a_statement_an_organisation_sent_in_the_paragraph_before_is_its_own():
    text = (
        "“Nobody from the ferry line has called us,” said Mark Osei.\n\n"
        "Harbour Lines sent the Courier the following statement:\n\n"
        "“We are working with the coast guard and will share what we learn with every family.”"
    )
    persons = [Mention("Mark Osei", "person", text.index("Mark"), text.index("Mark") + 9),
               Mention("Harbour Lines", "organization", text.index("Harbour"), text.index("Harbour") + 13)]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Mark Osei", "Harbour Lines"]


def test_a_pull_quote_takes_the_speaker_of_its_copy_in_the_text():
    text = (
        "Lena Dahl runs the harbour office.\n\n"
        "“We need a pier that can take the winter storms.”\n\n"
        "Tomas Berg, the mayor, has backed her plan for years. "
        "“We need a pier that can take the winter storms.”"
    )
    persons = [Mention("Lena Dahl", "person", 0, 9),
               Mention("Tomas Berg", "person", text.index("Tomas"), text.index("Tomas") + 10)]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Tomas Berg", "Tomas Berg"]


def test_the_words_of_a_lawsuit_that_is_the_subject_are_the_lawsuits():
    text = "The new lawsuit outlines claims about Ada Lind's fall, namely that she was “left alone on the icy ramp” for hours."
    persons = [Mention("Ada Lind", "person", text.index("Ada"), text.index("Ada") + 8)]
    assert extract_quotes(text, persons)[0].speaker == "lawsuit"


def test_a_two_word_name_in_reverse_order_is_the_longer_name_it_ends():
    text = (
        "Marta Lena B. Osei opened the pier on Monday. "
        "Osei Marta wrote that the town needed a “pier that can take the winter storms.”"
    )
    persons = [Mention("Marta Lena B. Osei", "person", 0, 18), Mention("Osei Marta", "person", 46, 56)]
    assert extract_quotes(text, persons)[0].speaker == "Marta Lena B. Osei"
    alone = "Osei Marta wrote that the town needed a “pier that can take the winter storms.”"
    assert extract_quotes(alone, [Mention("Osei Marta", "person", 0, 10)])[0].speaker == "Osei Marta"


def _labelled(text: str, name: str, kind: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(name, kind, start, start + len(name))  # type: ignore[arg-type]


def test_a_name_labelled_a_place_is_a_person_when_the_text_describes_one() -> None:
    # spaCy's small model may take an unusual first name for a place; the apposition says who she is.
    text = (
        "The delay left Marigold Venn, Tom's mother, furious.\n\n"
        '"Nobody told us anything for hours," said Marigold.'
    )
    persons = [_labelled(text, "Marigold Venn", "place"), _labelled(text, "Tom", "person")]
    assert extract_quotes(text, persons)[0].speaker == "Marigold Venn"


def test_a_regnal_name_labelled_an_organisation_holds_the_title_it_was_given() -> None:
    text = (
        "Ottokar IV was crowned on Monday. Ottokar IV was proclaimed the new King of Ruritania.\n\n"
        "The new King promised change. “We shall be a monarchy for our own time,” he told the chamber."
    )
    persons = [_labelled(text, "Ottokar IV", "organization"), _labelled(text, "Ottokar IV", "place", 1)]
    assert extract_quotes(text, persons)[0].speaker == "Ottokar IV"


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


def test_a_title_after_a_speaking_person_is_that_person() -> None:
    text = (
        "Jo Marsh said the agency had not verified the claim. "
        '"Our analysts say they remain in place," the agency director said on television.'
    )
    persons = [Mention("Jo Marsh", "person", 0, 8)]
    assert extract_quotes(text, persons)[0].speaker == "Jo Marsh"


def test_a_described_name_spacy_missed_speaks() -> None:
    text = (
        "Pavlo Hrytsenko, the region's governor, said the shelling had stopped. "
        '"We have heard nothing since the morning," Hrytsenko said.'
    )
    assert extract_quotes(text, [])[0].speaker == "Pavlo Hrytsenko"


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


def test_a_photo_credit_is_no_full_name_to_complete_a_surname() -> None:
    text = "Photo: Andrew Harnik/AP Sessions\n\n“We will enforce the law as written,” Sessions said."
    persons = [_labelled(text, "Andrew Harnik/AP Sessions", "person"), _labelled(text, "Sessions", "person", 1)]
    assert extract_quotes(text, persons)[0].speaker == "Sessions"


def test_a_header_opening_with_a_name_is_that_speaker() -> None:
    text = 'Dan Pryor on the ruling re: the mayor and Ilse: "This is a direct attack on the city and on her."'
    persons = [_labelled(text, "Dan Pryor", "person"), _labelled(text, "Ilse", "person")]
    assert extract_quotes(text, persons)[0].speaker == "Dan Pryor"


def test_a_role_word_and_comma_before_a_name_make_it_a_person() -> None:
    text = (
        "The family said he was at risk. His mother, Ada Quill, was extremely worried.\n\n"
        'She said: "This is a cruel and miserable decision for all of us."'
    )
    persons = [_labelled(text, "Ada Quill", "place")]
    assert extract_quotes(text, persons)[0].speaker == "Ada Quill"


def test_a_page_that_states_its_words_and_its_next_paragraph() -> None:
    text = (
        "A neighbour set up a fundraising page for the boy.\n\n"
        "“Both of his hands were badly burned in the blast,” the GoFundMe states.\n\n"
        "“He wanted to be a mechanic when he grew up.”"
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["GoFundMe", "GoFundMe"]
    many = "'Rendering aid' is not a requirement in many states\n\nWhen it comes to people in distress, little is done."
    assert all(q.speaker != "is not a requirement in many" for q in extract_quotes(many, []))


def test_an_arabic_name_with_al_is_kept_whole() -> None:
    text = '"It is going to be interesting to watch," Hamid al-Rashidi, an expert, told the channel.'
    assert extract_quotes(text, [_labelled(text, "Hamid al-Rashidi", "person")])[0].speaker == "Hamid al-Rashidi"


def test_a_person_named_in_the_attribution_does_not_take_the_next_quote() -> None:
    text = (
        "“I am honoured that he chose my term,” the senator said in Fargo, during a rally for her "
        "opponent, Rep. Kyle Brand. “And I thank him for his service, terrific man.”"
    )
    persons = [_labelled(text, "Kyle Brand", "person")]
    got = extract_quotes(text, persons)
    assert got[1].speaker == got[0].speaker != "Kyle Brand"


def test_a_new_person_sharing_a_word_with_the_last_speaker_is_not_the_last_speaker() -> None:
    text = (
        '"Foreigners send their money home," Nasser Hamad said.\n\n'
        "Omar bin Nasser said separately in an interview that shares would be sold.\n\n"
        '"We plan to sell less than five percent of it," he said.'
    )
    persons = [_labelled(text, "Nasser Hamad", "person"), _labelled(text, "Omar bin Nasser", "person")]
    assert extract_quotes(text, persons)[1].speaker == "Omar bin Nasser"


def test_he_after_a_sentence_whose_subject_is_a_title_is_its_holder() -> None:
    text = (
        "President Dana Holt praised the judge on Wednesday.\n\n"
        "The president predicted that she would not back the nominee, even though Kim Sato voted for Lee Park.\n\n"
        "“Kim will vote no to any pick we make for the court,” he said."
    )
    persons = [_labelled(text, n, "person") for n in ("Dana Holt", "Kim Sato", "Lee Park")]
    assert extract_quotes(text, persons)[0].speaker == "Dana Holt"


def test_a_title_subject_telling_a_named_person_is_not_that_person() -> None:
    """"the president told ABC News anchor David Muir" is the president's, not the anchor's: the title
    does not head Muir's name, a verb lies between (with no titled holder named, the title stays)."""
    text = (
        "Alma Reyes opened the session on Monday.\n\n"
        "“The crowd was enormous,” the president told ABC News anchor Tom Vale in an interview."
    )
    persons = [_labelled(text, "Alma Reyes", "person"), _labelled(text, "Tom Vale", "person")]
    assert extract_quotes(text, persons)[0].speaker == "president"
    titled = "President " + text
    persons = [_labelled(titled, "Alma Reyes", "person"), _labelled(titled, "Tom Vale", "person")]
    assert extract_quotes(titled, persons)[0].speaker == "Alma Reyes"


def test_a_document_named_by_what_it_records_is_the_document() -> None:
    """"the arrest report states" is the report (an arrest issues nothing); "a police statement" is still
    the police's."""
    text = (
        "The driver was held on Friday.\n\n"
        "“He ran from the car after the crash,” the arrest report states.\n\n"
        "The incident report states: “The boy was found in the yard.”\n\n"
        "“The road was closed for hours,” a police statement said."
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["report", "report", "police"]


def test_she_is_the_woman_named_before_not_the_organisation_that_spoke_last() -> None:
    """Gender agreement: "she said" after a statement of an organisation is the woman the text named
    before it (a mother, by her apposition), not the organisation nor the man named since."""
    text = (
        "Nora Vance, Leo's mother, was at the hearing.\n\n"
        "The club sent the paper the following statement:\n\n"
        "“We keep the family in our thoughts at this hard time.”\n\n"
        "Paul Grey left early. He did not speak to reporters.\n\n"
        "“He was a very special boy,” she said."
    )
    persons = [_labelled(text, "Nora Vance", "person"), _labelled(text, "Paul Grey", "person")]
    orgs = [Mention("club", "organization", text.index("club"), text.index("club") + 4)]
    assert extract_quotes(text, persons + orgs)[-1].speaker == "Nora Vance"


def test_he_passes_over_a_woman_named_since_the_last_speaker() -> None:
    """"he said" is the last speaker when the only person named since is a woman the text calls "she"."""
    text = (
        "“The plan will work,” Omar Hale said on Monday.\n\n"
        "Rita Moss disagreed. She left the meeting early.\n\n"
        "“We will build it this year,” he said."
    )
    persons = [_labelled(text, "Omar Hale", "person"), _labelled(text, "Rita Moss", "person")]
    assert extract_quotes(text, persons)[1].speaker == "Omar Hale"


def test_a_pronoun_quote_after_a_sentence_opening_with_a_name_is_that_subject() -> None:
    """The sentence before a quote opens with a name (or "Sen." before one): the name is its subject,
    not the person named in the sentence before that."""
    text = (
        "Anna Berg spoke to the crowd at noon. Then Peter Holm spoke. Berg thanked the crowd. "
        "“We will win this fight,” she said.\n\n"
        "The report was out. Sen. Claire Marsh, a critic of the plan, said the report raised questions. "
        "“There is no data that shows it works,” she said."
    )
    persons = [_labelled(text, n, "person") for n in ("Anna Berg", "Peter Holm", "Claire Marsh")]
    persons.append(_labelled(text, "Berg", "person", nth=1))
    persons.sort(key=lambda m: m.start)
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Anna Berg", "Claire Marsh"]


def test_a_first_name_alone_is_a_mention_of_the_full_name_it_begins() -> None:
    """"For Copper, …" after "Copper Comita" names her even where spaCy saw no person."""
    text = (
        "Copper Comita lost her son in June.\n\nJim Hart coached him for years.\n\n"
        "For Copper, the loss cannot be filled.\n\n"
        "“It just hurts,” she said."
    )
    persons = [_labelled(text, "Copper Comita", "person"), _labelled(text, "Jim Hart", "person")]
    assert extract_quotes(text, persons)[0].speaker == "Copper Comita"


def test_a_surname_of_several_words_completes_to_its_full_name() -> None:
    text = "Bob Van Camp pans for gold.\n\n“I do it for the adventure,” Van Camp said."
    persons = [_labelled(text, "Bob Van Camp", "person"), _labelled(text, "Van Camp", "person", nth=1)]
    assert extract_quotes(text, persons)[0].speaker == "Bob Van Camp"


def test_a_name_after_an_article_is_no_new_speaker() -> None:
    """"a Pratt rally" names no person who could be "he": the last speaker goes on."""
    text = (
        "“Nothing happened over the weekend but the coverage,” Ned Roe said.\n\n"
        "The talk came a day after a Pratt rally in Chicago was canceled.\n\n"
        "“I do not know that it had an impact on voters,” he said."
    )
    persons = [_labelled(text, "Ned Roe", "person"), _labelled(text, "Pratt", "person")]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Ned Roe", "Ned Roe"]


def test_a_long_attribution_after_the_quote_is_parsed() -> None:
    """'“…,” Dr. Jeffrey Bender of the University of Oklahoma Medical Center in Oklahoma City said':
    the subject of the verb of saying after the quote, from the parse, not the last speaker."""
    from parallax.text.entities import extract_entities

    text = (
        "“She is doing well,” said Dr. Mike Ames, a specialist in Cleveland. The surgeon did not expect her "
        "to survive. “I am glad to be wrong about that,” Dr. Jeff Binder of the University of Oklahoma "
        "Medical Center in Oklahoma City said Tuesday."
    )
    assert extract_quotes(text, extract_entities([text])[0])[1].speaker == "Jeff Binder"


def test_her_mother_is_not_her() -> None:
    """"her mother said" is the mother (a descriptor when the text names nobody so), not the daughter."""
    text = "Mia Lund was hurt in the crash.\n\n“She was a very happy child,” her mother said."
    assert extract_quotes(text, [_labelled(text, "Mia Lund", "person")])[0].speaker == "her mother"


def test_a_relational_descriptor_is_the_person_the_text_describes_so() -> None:
    """"his son vowed" after "Carl Moss made it out" is the son the text names (the one other Moss of
    his gender); "Boyd's lawyer" is the one the text calls so ("Boyd's lawyer, Tina Ruiz,")."""
    text = (
        "Dan Moss said his father, Carl Moss, was inside but unharmed.\n\n"
        "Carl Moss made it out of the building and called home.\n\n"
        "“We will not be defined by this,” his son vowed.\n\n"
        "Boyd's lawyer, Tina Ruiz, met reporters. The Boyd family stayed home.\n\n"
        "“He did nothing wrong,” Boyd's lawyer said."
    )
    persons = [_labelled(text, n, "person") for n in ("Dan Moss", "Carl Moss", "Tina Ruiz")]
    persons += [_labelled(text, "Carl Moss", "person", nth=1), _labelled(text, "Boyd", "person")]
    persons.sort(key=lambda m: m.start)
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Dan Moss", "Tina Ruiz"]


def test_a_speaking_name_labelled_an_organisation_completes_its_short_forms() -> None:
    """"Moore said" makes Carnell Marcus Moore a speaker whatever spaCy labelled the name, and "he
    wrote" after "Moore" is then the full name."""
    text = (
        "Police named the man as Carnell Marcus Moore of Beaumont.\n\n"
        "Carnell Marcus Moore wrote on Facebook on Wednesday.\n\n"
        "Moore had worked in Houston.\n\n"
        "“I recently stared death in the face,” he wrote."
    )
    mentions = [
        _labelled(text, "Carnell Marcus Moore", "organization"),
        _labelled(text, "Carnell Marcus Moore", "organization", nth=1),
        _labelled(text, "Moore", "person", nth=2),
    ]
    assert extract_quotes(text, mentions)[0].speaker == "Carnell Marcus Moore"


def test_a_name_inside_the_last_attribution_does_not_take_he_said() -> None:
    """"Dr. Nirav Shah, director of the Illinois Department of Public Health, said …" then "…," he
    said: still Shah (the department spaCy took for a person is in his attribution); a person named
    in a later sentence of the paragraph is a new candidate ("according to analyst Richard Tse")."""
    text = (
        '"We see new cases every week," Dr. Omar Shah, director of the Illinois Department of Public Health, '
        'said in a statement.\n\n'
        '"People cannot give them up," he said.\n\n'
        '“We bought it in 2010,” Godin said. The deal, according to analyst Richard Tse, was key. '
        '“They are quite embedded,” he told the paper.'
    )
    persons = [_labelled(text, n, "person") for n in ("Omar Shah", "Public Health", "Godin", "Richard Tse")]
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Omar Shah", "Omar Shah", "Godin", "Richard Tse"]


def test_a_descriptor_before_a_name_in_apposition_is_that_name() -> None:
    """"Speaking ahead of the trial one of his lawyers, Karen Todner, said …" is Karen Todner (not
    "Speaking"); "she Tweeted" is a verb of saying."""
    text = (
        'Speaking ahead of the trial one of his lawyers, Karen Todd, said if the bar works "the police '
        'will take more cases here".\n\n'
        'Rumer Ward went out on Tuesday. "Legal in NYC but not online," she Tweeted.\n\n'
        'The solicitor acting for Mr Hale, Sean Eddy of SJ Eddy in Swindon, said: "This is the worst case of '
        'negligence I have seen."'
    )
    persons = [_labelled(text, n, "person") for n in ("Karen Todd", "Rumer Ward", "Sean Eddy")]
    persons.append(_labelled(text, "Hale", "person"))
    persons.sort(key=lambda m: m.start)
    assert [q.speaker for q in extract_quotes(text, persons)] == ["Karen Todd", "Rumer Ward", "Sean Eddy"]


def test_a_first_name_mostly_labelled_a_person_completes() -> None:
    """"Snoop said" completes to Snoop Dogg when spaCy labels "Snoop" a person more often than not."""
    text = (
        "Snoop Dogg launched the site on Monday. Snoop smiled. Snoop waved.\n\n"
        "Snoop said the site will give users “all they need to know” about it."
    )
    mentions = [_labelled(text, "Snoop Dogg", "person"), _labelled(text, "Snoop", "person", nth=1),
                _labelled(text, "Snoop", "person", nth=2), _labelled(text, "Snoop", "organization", nth=3)]
    assert extract_quotes(text, mentions)[0].speaker == "Snoop Dogg"


def test_any_verb_then_a_name_ending_the_sentence_attributes() -> None:
    """'“People are scared to hire me,” laments Saddam Hussain.' names its speaker though "laments" is no
    verb of saying the rules list (the person the sentence before names is someone else)."""
    text = (
        "Saddam Hussain has failed to find a job. Saddam Hussein was a dictator.\n\n"
        "“People are scared to hire me,” laments Saddam Hussain."
    )
    persons = [_labelled(text, "Saddam Hussain", "person"), _labelled(text, "Saddam Hussein", "person"),
               _labelled(text, "Saddam Hussain", "person", nth=1)]
    assert extract_quotes(text, persons)[0].speaker == "Saddam Hussain"


def test_a_day_or_a_medium_after_the_speaker_is_not_the_speaker() -> None:
    assert name_from_phrase("The White House on Monday") == "White House"
    assert name_from_phrase("The EU court Wednesday") == "EU court"
    assert name_from_phrase("Paul on Twitter") == "Paul"


def test_he_can_be_a_name_spacy_labelled_an_organisation() -> None:
    """"said Bill Warrin" then "he added": spaCy's organisation label does not rule Warrin out as "he"."""
    text = (
        "Drivers said traffic was moving until, “All we saw was brake lights,” said Bill Warrin of Broomall.\n\n"
        "“It was like a perfect storm, and then boom,” he added."
    )
    mentions = [_labelled(text, "Bill Warrin", "organization")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Bill Warrin", "Bill Warrin"]


def test_a_mixed_closer_ends_the_quote_when_the_next_straight_mark_opens_another() -> None:
    """'"… for years,” she told the host. "Emma …"': the right mark closes the first quote (the next
    straight mark opens a quote), so both quotes are found."""
    text = (
        '"I have wanted this interview for a very long time, for years,” she told the host. '
        '"Nina thanked me for the chance to tell the story of the family."'
    )
    quotes = extract_quotes(text, [])
    assert [q.text[:6] for q in quotes] == ["I have", "Nina t"]


def test_an_age_and_a_home_place_after_the_name_do_not_speak() -> None:
    """'“…,” Ibrahim, 42, from Senegal told reporters': the speaker is Ibrahim, not the place, and the
    next quote with no attribution continues him (the place describes him, it is no new speaker)."""
    text = (
        "Refugees waited at the border for days. “We have nothing left here,” Ibrahim, 42, from Senegal "
        "told reporters on Monday. “My children are hungry and the camp is full.”"
    )
    mentions = [_labelled(text, "Senegal", "place")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Ibrahim", "Ibrahim"]


def test_a_headline_verb_after_a_name_is_no_part_of_the_name() -> None:
    """spaCy may take a headline's verb into the name ("Rita Moreno Celebrates"); the surname alone
    later is the person, not the headline; a company named after a person keeps its name."""
    text = (
        "Rita Moreno Celebrates Her Birthday\n\nThe actress Rita Moreno turned 90 on Sunday. "
        "“I feel like a kid again,” Moreno said.\n\n"
        "“We will keep making films,” Dana Brooks Productions said in a statement. Dana Brooks founded it."
    )
    mentions = [
        _labelled(text, "Rita Moreno Celebrates", "person"), _labelled(text, "Rita Moreno", "person", nth=1),
        _labelled(text, "Dana Brooks Productions", "person"), _labelled(text, "Dana Brooks", "person", nth=1),
    ]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Rita Moreno", "Dana Brooks Productions"]


def test_a_relative_clause_of_saying_gives_the_name_it_follows() -> None:
    """'…, he was interrupted by pastor Samuel Greene, who told him, “…”' is Greene's, even in a
    sentence opened by "According to Holt"; after a description ('Randy Hale, a spokesman for Acme
    Foods, who said') it is the name the description follows."""
    text = (
        "According to Holt, when the mayor began to defend the budget, he was interrupted by local pastor "
        "Samuel Greene, who told him, “This plan will close our shelter for good.”\n\n"
        "The paper was contacted by Randy Hale, a spokesman for Acme Foods, who said in an email, “Our local "
        "store made a mistake and we are sorry.”"
    )
    mentions = [_labelled(text, "Holt", "person"), _labelled(text, "Samuel Greene", "person"),
                _labelled(text, "Randy Hale", "person"), _labelled(text, "Acme Foods", "organization")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Samuel Greene", "Randy Hale"]


def test_the_inner_speaker_of_a_reported_confirmation_speaks() -> None:
    """'NBC News reported that Governor Alan Pierce confirmed that “…”': the words are the governor's."""
    text = "NBC News reported that Governor Alan Pierce confirmed that “every shelter is open tonight,” adding more."
    mentions = [_labelled(text, "NBC News", "organization"), _labelled(text, "Alan Pierce", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Alan Pierce"]


def test_she_said_after_a_colon_is_the_subject_of_the_sentence_the_quote_completes() -> None:
    """'Tara repeated that point in a statement: “…,” she said' is Tara (Tara Vale), not the person the
    sentence before was about."""
    text = (
        '"They are doing great," our source says. Mark is a much better match for singer Tara Vale than '
        'her ex was. Tara repeated that point in a statement about her fiance: "This was the best year '
        'of my whole life because I found my partner," she said.'
    )
    mentions = [_labelled(text, "Mark", "person"), _labelled(text, "Tara Vale", "person")]
    assert extract_quotes(text, mentions)[-1].speaker == "Tara Vale"


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


def test_a_dateline_is_no_speaker() -> None:
    """'LIMA, Peru — The ministry is warning …, saying …“…”': the words are the ministry's, not the city's."""
    text = (
        "LIMA, Peru — The health ministry is warning residents ahead of the storm season, saying the coast is "
        "“at serious risk of flooding.”"
    )
    mentions = [_labelled(text, "LIMA", "place"), _labelled(text, "Peru", "place")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["health ministry"]


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


def test_captioned_is_a_verb_of_saying() -> None:
    """'“Anyone who knew me, knew Biscuit. I love you Biscuit,” Mendes captioned a photo': Mendes's words."""
    text = (
        "Carla Mendes lost her dog on Monday.\n\nThe old dog Biscuit was often by her side. “Anyone who knew me, "
        "knew Biscuit. I love you Biscuit,” Mendes captioned a photo of the pair, with the hashtags \"#love,\" "
        "\"#dogs\" and \"#home.\""
    )
    mentions = [_labelled(text, "Carla Mendes", "person"), _labelled(text, "Biscuit", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Carla Mendes"]  # no hashtag is a quote


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


def test_a_sentence_ending_according_to_someone_is_theirs() -> None:
    """'… offered to donate “…” to the agency, according to the agency’s chief executive.': the source
    after "according to" speaks; not when the quote ended its own sentence ('… from Amy Lane: “…” Ruiz
    replied that …, according to the police documents.')."""
    text = (
        "Marco Bellini offered to donate “more than ninety thousand dollars in cash” to the agency in charge of "
        "testing riders, according to the agency’s chief executive.\n\n"
        "Ruiz got a text message from Amy Lane: “I am making sure you do not come today.” Ruiz replied that she "
        "would not be coming, according to the police documents."
    )
    mentions = [_labelled(text, "Marco Bellini", "person"), _labelled(text, "Amy Lane", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["agency’s chief executive", "Amy Lane"]


def test_someone_heard_saying_speaks() -> None:
    """'“…” a dispatcher could be heard saying over a police scanner': the dispatcher's words."""
    text = (
        "A girl was saved by a rookie officer on Friday.\n\n"
        '"Possible jumper on the Elm Bridge. Can you notify the fire crew?" a dispatcher could be heard saying '
        "over a police scanner."
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["dispatcher"]


def test_a_crowd_that_chants_speaks() -> None:
    """'Marchers chanted "…," "…," and "…,"': chanting is saying; each chant is the marchers'."""
    text = (
        "Police fired tear gas at the crowd near the harbour on Monday, witnesses said.\n\n"
        'Marchers chanted "Down with the mayor," "Down with the council," and "Down with the levy," the last '
        "referring to a new harbour tax."
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["Marchers"] * 3


def test_an_adverb_before_the_verb_of_saying_keeps_the_named_subject() -> None:
    """'The bank's chief, Lena Hart, subsequently acknowledged she had "…"': Lena Hart, not the adverb."""
    text = (
        "Pedro Alves, a customer, said the outage lasted all morning. “I could not pay for anything,” he said.\n\n"
        'The bank\'s chief, Lena Hart, subsequently acknowledged she had "a great deal of work" to do.'
    )
    mentions = [_labelled(text, "Pedro Alves", "person"), _labelled(text, "Lena Hart", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Pedro Alves", "Lena Hart"]


def test_a_company_is_not_completed_to_its_product_labelled_a_person_once() -> None:
    """'Streamly said it was "…"' is Streamly, not "Streamly Live" (its product, which spaCy labels a
    thing twice and a person once)."""
    text = (
        "A man filmed a robbery on Streamly Live last week. Viewers reported the video of Streamly Live to the "
        "site, whose Streamly Live service is popular.\n\n"
        'Streamly said it was "constantly looking at ways to make the site a safe place for everyone".'
    )
    mentions = [
        _labelled(text, "Streamly Live", "other"),
        _labelled(text, "Streamly Live", "other", 1),
        _labelled(text, "Streamly Live", "person", 2),
    ]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Streamly"]


def test_a_name_closing_the_paragraph_after_the_quote_speaks_without_a_verb() -> None:
    """'"…," police officer Rahim Baig.' ending its paragraph: his words, not the name before."""
    text = (
        "Crowds gathered outside the office of Governor Tariq Nasser on Friday.\n\n"
        '"There are more than five thousand of them and some are carrying flags," police officer Rahim Baig.\n\n'
        "The protests come days before a vote."
    )
    mentions = [_labelled(text, "Tariq Nasser", "person"), _labelled(text, "Rahim Baig", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Rahim Baig"]


def test_the_noun_a_relative_clause_of_saying_follows_speaks() -> None:
    """'… toward a group of protesters who were throwing stones and shouting "…" at officers': the
    protesters, not the last speaker."""
    text = (
        '"We had no part in it," Omar Haddad told reporters.\n\n'
        "At the bridge, police were told to advance toward a group of protesters who were throwing stones and "
        'shouting "Go home, traitors" at officers.'
    )
    mentions = [_labelled(text, "Omar Haddad", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Omar Haddad", "protesters"]


def test_a_joint_statement_is_the_first_named_and_two_titles_are_one_person() -> None:
    """'"…," District Attorney Ann Keller and Tom Reyes, the sheriff, said' is Ann Keller's (the first
    named); 'Transport Minister and Deputy Prime Minister Hal Dunn' is one person."""
    assert name_from_phrase("District Attorney Ann Keller and Tom Reyes") == "Ann Keller"
    assert name_from_phrase("Transport Minister and Deputy Prime Minister Hal Dunn") == "Hal Dunn"
    text = (
        '"These crimes fall under the federal hate crime laws," District Attorney Ann Keller and Tom Reyes, '
        "the county sheriff, said in a statement."
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["Ann Keller"]


def test_a_descriptor_with_a_nationality_is_the_organisation_named_before() -> None:
    """'"…," the Scottish charity, which runs …, said' after '… the Harbour Relief Foundation said.' is the
    foundation, as 'the charity said' would be."""
    text = (
        "The flooding is the worst the coast has seen in fifty years, the Harbour Relief Foundation said.\n\n"
        '"It is simply heartbreaking to see whole villages under water in this day and age," the Scottish '
        "charity, which runs three shelters, said in a statement."
    )
    mentions = [_labelled(text, "Harbour Relief Foundation", "organization")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Harbour Relief Foundation"]


def test_a_quoted_section_heading_is_the_speaker_of_the_quote_holding_its_words() -> None:
    """A heading 'We will open the gates' alone on its line is the words of the later quote that holds
    them ('"… and we will open the gates for them," he said' of Ivo Maric), not the speaker before it."""
    text = (
        '"Nobody told us the road was closed," Karim Dadi told reporters at the border.\n\n'
        "'We will open the gates'\n\n"
        "A group of travellers reached the town on Wednesday.\n\n"
        'Prime Minister Ivo Maric told parliament the country was ready. "They will be able to pass through and '
        'we will open the gates for them," he said.'
    )
    mentions = [_labelled(text, "Karim Dadi", "person"), _labelled(text, "Ivo Maric", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Karim Dadi", "Ivo Maric", "Ivo Maric"]


def test_many_of_whom_is_the_noun_before_it() -> None:
    """'… interviewed several drivers, many of whom admitted …, but would not say who "…"': the drivers."""
    text = (
        "Officers stopped cars along the coast road for a week, police said.\n\n"
        "Detectives interviewed several drivers, many of whom admitted to speeding, but would not say who "
        '"paid them to race."'
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["drivers"]


def test_one_of_its_executives_is_an_executive_of_the_organisation_speaking_before() -> None:
    """'"…," blogged one of its executives' after 'Streamly said it was "…"' is a Streamly executive."""
    text = (
        'After the attack, Streamly said it was "always looking at ways to keep the site safe for everyone".\n\n'
        '"We put reports with serious safety risks first, and are making that review go faster," blogged one '
        "of its executives last week."
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["Streamly", "Streamly executive"]


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


def test_an_attribution_ending_the_paragraph_before_gives_the_speaker() -> None:
    """'According to the Daily Ledger,' closing its paragraph, the quote opening the next, is the
    Ledger's; a label there without a verb ('His remarks:') is no speaker."""
    text = (
        "What made the bridge fail?\n\n"
        "According to the Daily Ledger,\n\n"
        "“The cables had corroded for years before anyone checked them, the inspectors found in a report.”\n\n"
        "Later the mayor visited the site. His remarks:\n\n"
        "“We will rebuild this bridge and we will do it properly this time,” said Mayor Lena Ortiz."
    )
    mentions = [_labelled(text, "Daily Ledger", "organization"), _labelled(text, "Lena Ortiz", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Daily Ledger", "Lena Ortiz"]


def test_they_and_their_message_are_the_group_named_as_subject_before() -> None:
    """'County health officials warn …. They have issued this advisory: “…”' is the officials';
    ' Their message to the band was clear: "…"' (a paragraph opening with a space) is the
    festival organizers' named as the subject of the sentence before."""
    text = (
        "Eleven people fell ill last week.\n\n"
        "County health officials warn that the pills were sold at several markets. They have issued this advisory:\n\n"
        "“If you bought any of these pills in the past month, do not take them and call your doctor.”\n\n"
        "According to a source close to the festival, the festival organizers have spoken to the band's managers.\n\n"
        ' Their message to the band was clear: "Nobody plays on our stage in costume."'
    )
    assert [q.speaker for q in extract_quotes(text, [])] == ["County health officials", "festival organizers"]


def test_a_quote_paragraph_is_the_name_on_the_dash_line_under_it() -> None:
    """Blurbs: '“…”\\n\\n─ The Harbour Gazette' is the Gazette's, '— Ines Moreau, novelist' Moreau's;
    a byline under a quote attributed on its own line ('… ,” Okafor said. “…”\\n\\n— Jo Lee, Special
    to the Post') stays the speaker's."""
    text = (
        "“A warm, funny and generous book that I would happily give to any graduate I know.”\n\n"
        "─ The Harbour Gazette\n\n"
        "“Every page of it made me want to go out and paint something enormous and strange.”\n\n"
        "— Ines Moreau, novelist\n\n"
        "“It was a long year,” Okafor said. “But the fans kept me going through all of it.”\n\n"
        "— Jo Lee, Special to the Post"
    )
    mentions = [_labelled(text, "Okafor", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Harbour Gazette", "Ines Moreau", "Okafor", "Okafor"]


def test_says_mom_is_the_person_the_text_calls_a_mom() -> None:
    """'"…," says mom.' is Ana Ruiz ("Like many moms, Ana Ruiz …"), not her daughter named just before."""
    text = (
        "Like many moms, Ana Ruiz keeps a calendar on the fridge. Her daughter, Lucia Maria Ruiz, arrived on "
        'Sunday night. Despite being early, "she is eating and sleeping well," says mom.'
    )
    mentions = [_labelled(text, "Ana Ruiz", "person"), _labelled(text, "Lucia Maria Ruiz", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Ana Ruiz"]


def test_a_person_named_on_a_long_one_line_article_is_no_caption() -> None:
    """In an article printed as one line that does not end as a sentence does, 'she says' after
    '…, says Mei Tan, a professor …' is Tan's: a name there is not in a caption."""
    text = (
        '"We were so surprised by the date," Rosa Vidal says. Such dates are not that rare, says Mei Tan, '
        'a professor of statistics in Ohio. "The odds are much better than most people would think," she says. '
        "Read more"
    )
    mentions = [_labelled(text, "Rosa Vidal", "person"), _labelled(text, "Mei Tan", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Rosa Vidal", "Mei Tan"]


def test_texts_of_laws_sections_and_ratings_speak_for_themselves() -> None:
    """A law that is its sentence's subject ('Ohio's shield law, first passed in 1990, applies to …
    "…"'), a numbered section that reads its words ('Section Four does read: "…"') and a film rating's
    reason ('rated R by the Film Ratings Board for "…"') are not the person quoted before them."""
    text = (
        '"We will fight this in every court we can," Dana Holt, the reporter\'s lawyer, said.\n\n'
        "Ohio's shield law, first passed in 1990, mainly applies to reporters who "
        '"gather and publish news for a general audience."\n\n'
        'It is not clear which part Holt meant, though Section Four does read: "No reporter shall be required to '
        'name a source."\n\n'
        '"Harbour," a Lantern Films release, is rated R by the Film Ratings Board for "violence and strong '
        'language throughout."'
    )
    mentions = [_labelled(text, "Dana Holt", "person"), _labelled(text, "Film Ratings Board", "organization")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Dana Holt", "law", "Section Four", "Film Ratings Board"]


def test_the_article_is_the_publication_quoted_before() -> None:
    """'According to the Lakeside Herald, "…" The article goes on to reveal "…"': both the Herald's."""
    text = (
        "What caused the outbreak?\n\n"
        'According to the Lakeside Herald, "the water had not been tested for six months, said Dr. Omar Reyes, '
        'a doctor at the county hospital." The article goes on to reveal "two of the wells were closed in '
        'May."'
    )
    mentions = [_labelled(text, "Lakeside Herald", "organization"), _labelled(text, "Omar Reyes", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Lakeside Herald", "Lakeside Herald"]


def test_in_someones_words_after_a_quote_names_its_speaker() -> None:
    """'… slipping in "like a cat in the dark," in Mary Oliver's old words' is Oliver's, not the
    columnist's subject; 'in the words of Ada Brook' likewise."""
    text = (
        "I think Nolan wins. He is slipping in “like a cat in the dark,” in Mary Oliver’s old words.\n\n"
        "The crowd was, “quiet, then loud, then quiet again,” in the words of Ada Brook."
    )
    mentions = [_labelled(text, "Nolan", "person"), _labelled(text, "Mary Oliver", "person"), _labelled(text, "Ada Brook", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Mary Oliver", "Ada Brook"]


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


def test_them_heard_saying_is_the_plural_noun_of_people_before() -> None:
    """'Watching the fans on TV, hearing them chant “One more game”' is the fans'; 'the robbers took
    five hostages, and he heard one of them tell the staff: “…”' is the robbers' (the subject, named
    first), not the last speaker's."""
    text = (
        "“It was a long night,” said Ola Berg, a cashier.\n\n"
        "He said the robbers took five hostages, and he heard one of them tell the staff: “Nobody moves and "
        "nobody gets hurt.”\n\n"
        "Watching the fans on TV, hearing them chant “One more game” — it feels like the town has woken up."
    )
    mentions = [_labelled(text, "Ola Berg", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Ola Berg", "robbers", "fans"]


def test_one_of_an_owners_roles_is_that_owners_role() -> None:
    """'One of the Diaz campaign’s volunteers, who …, spoke of the mood of the hall “…”' is a "Diaz
    campaign volunteer", not Diaz."""
    text = (
        "Maria Diaz drew large crowds this week. One of the Diaz campaign’s volunteers, who worked a rally "
        "with her on Friday, spoke of the mood of the hall “I shook hands for two hours and nobody wanted to "
        "leave.”"
    )
    mentions = [_labelled(text, "Maria Diaz", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Diaz campaign volunteer"]


def test_chants_of_are_the_crowd_named_before() -> None:
    """'But crowds cheered as the team appeared. Chants of "Champions once more" rang out.' is the
    crowds', though the sentence names no speaker."""
    text = (
        '"We did it for this city," the captain, Leo Marsh, told reporters.\n\n'
        "But crowds cheered loudly as the team emerged onto the balcony of the town hall.\n\n"
        'Chants of "Champions once more" rang out across the square.'
    )
    mentions = [_labelled(text, "Leo Marsh", "person")]
    assert [q.speaker for q in extract_quotes(text, mentions)] == ["Leo Marsh", "crowds"]
