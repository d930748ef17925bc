"""Direct quotes and who said them.

Quotes in any quotation-mark style (“…”, "…", ‘…’, «…», „…“), several sentences long and
continued across paragraphs (an English continued quote opens each paragraph and closes only the
last: each paragraph's part is returned, all with the speaker of the whole quote). The speaker comes
from "X said", "said X", "according to X", "X told …", "X wrote …", "X: “…”", a speaker named in
the sentence before, "he said" resolved to the last speaker or the salient subject before it that
agrees in gender (learned from the document: honorifics, gendered role words, "X said she …", "he"
or "she" opening the next sentence; organisations are never "he" or "she"), "the station said" to
the organisation it refers back to, "his father said" to the person the text describes so, a
statement to the organisation that issued it, a pull quote or a quoted section heading to the speaker
of the quote in the text that holds its words, a crowd that chants or shouts to the crowd ("protesters
who were … shouting “…”"), "one of its executives" to an executive of the organisation before it, a joint
statement to the first named, and "she says" after "his mother opened the door" to the mother; an
attribution ending the paragraph before ('According to the Chicago Tribune,'), a credit line under a quote
('─ The Tufts Daily'), "in Walker Percy's words", "They …:" or "hearing them chant" or "Chants of" to the
group of people named before, "says mom" to the person the text calls a mom, the text of a law or a
section or a film rating's reason to that text, and "the article" to the publication quoted before; an
attribution too long for the patterns is read from the dependency parse. Titles and
organisations are kept apart from names ("NATO Secretary-General Jens Stoltenberg" -> "Jens
Stoltenberg"), and a surname or a first name alone is completed from the article ("Stoltenberg" ->
"Jens Stoltenberg").

The person mentions come from spaCy's small model, which labels many names places or organisations
("Copper" Comita, "Felipe VI"): :func:`persons_relabelled` makes such a name a person when the text
treats it as one (an honorific, a title or a role word before it, an apposition describing a person,
a regnal number, a full name that speaks), and adds a described, speaking name spaCy missed
("Volodymyr Zelenskiy, Ukraine's president, said"). ``bench/eval_synthesis.py --gold-only
--relabel-persons 0.3`` measures how much the rules still lean on the person label.

>>> q = extract_quotes('“We see no withdrawal,” NATO chief Jens Stoltenberg said.')[0]
>>> q.text, q.speaker
('We see no withdrawal', 'Jens Stoltenberg')
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from ..entities import TITLES, Mention, Token, canonical_names, parse, parse_many, strip_titles
from ..places import is_place
from .lexicon import BARE_KIN, ISSUERS, KIN_RELATIONS, ORGANISATION_HEADS, RELATIONS, TITLE_WORDS, alternation
from .lexicon import words as lexicon_words
from .spans import MIN_WORDS, QuoteSpan, _pairs, _trim, not_speech

_VERBS = alternation("verbs_of_saying")
_PARTICIPLES = alternation("saying_participles")
_VERB = rf"(?:{_VERBS})"
# A written text "reads" its words: '“…,” reads the booklet', '“…,” the statement read.'; a paper
# "reports" them when the clause ends there ('“…,” the paper reports.', not '“…,” resulting in reports that').
_VERB_AFTER = rf"(?:{_VERBS}|reads|read|(?:states|reports)(?=\s*[,.;:!?])|(?:could\s+be|can\s+be|was|were|is)\s+heard\s+(?:saying|telling|yelling|shouting))"
_DOC_NOUNS = alternation("document_nouns")
_PRONOUNS = {"he", "she", "they", "i", "we", "him", "her", "it"}
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|(?:al|el|abu)-[A-Z][\w'’.-]*|de|da|van|von|der|del|al|bin|ibn|la|le)"

_ABBREVIATIONS = (
    "Mr", "Mrs", "Ms", "Dr", "Jr", "St", "Sgt", "Lt", "Col", "Gen", "Gov", "Sen", "Rep", "Prof", "Rev", "Det", "Capt",
    "Cmdr", "Adm", "Maj", "Del", "Supt", "Cpl", "Pvt", "Atty", "Sens", "Reps",
)  # fmt: skip
# A speaker-phrase character: "Dr." or an initial's dot does not end the phrase.
_SPK_CHAR = r"(?:[^,.;:!?“”\"\n]|(?<=\b[A-Z])\.|" + "|".join(rf"(?<=\b{a})\." for a in _ABBREVIATIONS) + ")"
_NOT_ABBREVIATED = "".join(rf"(?<!\b{a})" for a in _ABBREVIATIONS)  # the phrase does not end at "Dr"
# The speaker phrase: a few words without clause punctuation.
_SPK = r"(?P<spk>[^,.;:!?“”\"\n]{1,80}?)"
# After the closing mark: ', Stoltenberg said' / ', said Stoltenberg, NATO's chief' / 'he added' /
# ', Amadou, 35, from Mauritania told' (an age, perhaps with where the speaker is from).
_AFTER_SPK_VERB = re.compile(
    rf"^[’' \t,.]*(?:—|–|-)?[ \t]*(?P<spk>{_SPK_CHAR}{{1,80}}?)(?:,\s*\d{{1,3}},(?:\s+(?:from|of|in)\s+[A-Z][^,.;:!?“”\"\n]{{0,40}}?)?|,\s+(?P<app>[^,“”\"\n]{{1,100}}?),)?\s+(?:[a-z]+ly\s+)?(?:also\s+|later\s+|then\s+|has\s+|had\s+|have\s+)?{_VERB_AFTER}\b"
)
# '“…?” Davidson, 24, jokingly proposed.': a name, then any verb in the past ending the clause.
_AFTER_NAME_VERBED = re.compile(
    r"^[’' \t,.]*(?P<spk>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})(?:,\s*\d{1,3},)?\s+(?:[a-z]+ly\s+)?[a-z]{3,}ed\s*[.,;]"
)
# '“People are scared to hire me,” laments Jamshedpur’s Saddam.': any verb, then a name ending the sentence.
_AFTER_VERBED_NAME = re.compile(
    r"^,?[’' \t]+(?:[a-z]+ly\s+)?[a-z]{3,}(?:s|ed)\s+(?P<spk>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s*[.;]"
)
_AFTER_VERB_SPK = re.compile(rf"^[’' \t,.]*(?:{_VERB_AFTER})\s+(?P<spk>{_SPK_CHAR}{{1,80}}?){_NOT_ABBREVIATED}(?<!\b[A-Z])(?=\s*(?:[,.;:!?\n]|$|\s(?:in|on|at|during|after|before|when|as|who|of|to|with|from)\s))")
# '“…,” blogged one of its executives': "of" ends no phrase here.
_AFTER_ONE_OF_ITS = re.compile(rf"^[’' \t,.]*(?:{_VERB_AFTER})\s+(?P<spk>(?:one|another)\s+of\s+its\s+[a-z]+s)\b")
# '“…,” the Rodong newspaper quoted Mr Kim as saying.'
_AFTER_QUOTED_AS = re.compile(
    r"^[’' \t,.]*[^,.;:!?“”\"\n]{0,60}?\bquoted\s+(?!(?:him|her|them|it|by)\b)(?P<spk>[^,;:!?“”\"\n]{1,60}?)\s+as\s+(?:saying|telling|writing)\b"
)
# '“…,” Saddam is quoted by Hindustan Times as saying.'
_AFTER_IS_QUOTED = re.compile(
    r"^[’' \t,.]*(?P<spk>[^,.;:!?“”\"\n]{1,60}?)\s+(?:is|was|has been)\s+quoted\b[^,.;:!?“”\"\n]{0,60}?\bas\s+saying\b"
)
# '“…,” police officer Mohammad Usman.' closing its paragraph: a name (perhaps after its role), no verb.
_AFTER_NAME_ALONE = re.compile(
    r"^[’' \t]*(?P<spk>(?:[a-z][\w-]*\s+){0,4}[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+)){1,3})\.[ \t]*(?:\n|$)"
)
# A quote that is its paragraph, then a credit line: '“… a great read.”\n\n─ The Tufts Daily' (a blurb, an
# epigraph): the name after the dash, up to a comma ('— Carroll Quigley, from "Tragedy and Hope"').
_CREDIT_LINE = re.compile(
    r"[’'\"”»\s]*?\n\s*[—–─―-]+[ \t]*(?P<spk>[A-Z][\w'’.&-]*(?:[ \t]+(?:[A-Z][\w'’.&-]*|of|the|and|de|von|van|for))*)[ \t]*(?:,[^\n]*)?(?:\n|$)"
)
# A paragraph that is a quote and its credit after a dash on the same line: '“…” ― Veronica Cruz'.
_CREDIT_SAME_LINE = re.compile(
    r"[’'\"”»]*[ \t\xa0]*[—―][ \t\xa0]*(?P<spk>[A-Z][\w'’.&-]*(?:[ \t\xa0]+(?:[A-Z][\w'’.&-]*|of|the|and|de|von|van|for)){0,5})[ \t\xa0.]*(?:,[^\n]*)?(?:\n|$)"
)
# '“like a thief with good tools,” in Walker Percy’s old words' / 'in the words of Walker Percy'.
_AFTER_IN_WORDS = re.compile(
    r"^[’' \t,.]*in\s+(?:(?P<spk>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})['’]s?\s+(?:[a-z]+\s+)?words"
    r"|the\s+(?:[a-z]+\s+)?words\s+of\s+(?P<spk2>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}))\b"
)
_AFTER_ACCORDING = re.compile(rf"^[’' \t,.]*according to\s+{_SPK}(?=\s*(?:[,.;:!?\n]|$))", re.IGNORECASE)
# Before the opening mark: 'Stoltenberg said:' / 'Biden told reporters,' / 'According to Wallace,'.
_BEFORE_SPK_VERB = re.compile(
    rf"(?:^|(?<![A-Z])[.;!?”\"]\s+|,\s+|\s[―—–]\s+|\n)(?P<spk>{_SPK_CHAR}{{1,100}}?)(?:,\s+(?P<app>[^,“”\"\n]{{1,140}}?),)?\s+"
    rf"(?:also\s+|later\s+|then\s+|has\s+|had\s+|have\s+)?(?:(?!only|early|family|rally|ally|supply|reply)[a-z]{{3,}}ly\s+)?(?:{_VERB}|{_PARTICIPLES})\b[^.;!?“”\"\n]{{0,70}}?[:,]?\s*$"
)
_SCARE_QUOTE = re.compile(r"[“\"]([\w'’-]+(?:\s[\w'’-]+)?)[,.]?[”\"]")
_OPENING_SAYS = re.compile(
    rf"^\s*(?P<spk>[A-Z][^,.;:!?“”\"\n]{{0,60}}?)\s+(?:also\s+|has\s+|had\s+|have\s+)?(?:{_VERB})\b(?![^“”\"\n]*[“”\"])"
)
# 'The obituary reads, in part, “…”', 'Its statement read: "…"'.
_BEFORE_READS = re.compile(
    rf"(?:^|[.;!?”\"]\s+|,\s+|\n)(?P<spk>[^,.;:!?“”\"\n]{{0,60}}?\b(?i:{_DOC_NOUNS})s?)\s+reads?(?:,\s*in\s+part,|\s*:)?\s*$"
)
# 'though Section Two does read: “…”': a numbered part of a law or a constitution reads its own words.
_BEFORE_SECTION_READS = re.compile(
    r"\b(?P<spk>(?:Section|Article|Clause|Amendment|Chapter|Paragraph|Rule)\s+(?:[A-Z][a-z]+|\d+[a-z]?|[IVXLC]+))"
    r"\s+(?:(?:does|did|also)\s+)?(?:reads?|states?|says)(?:,\s*in\s+part,|\s*:)?\s*$"
)
# '"Detroit" is rated R by the Motion Picture Association of America for "strong violence …"': the rater's words.
_BEFORE_RATED = re.compile(
    r"\brated\s+(?:G|PG|PG-13|R|NC-17|M|MA|TV-[A-Z0-9]+)\s+by\s+(?:the\s+)?(?P<spk>[A-Z][^,.;:!?“”\"\n]{1,80}?)\s+for\s*$"
)
# 'hearing them chant “…”', 'he heard one of them tell their captives: “…”': who is heard saying it.
_BEFORE_HEARD = re.compile(
    r"\b(?:hear|hears|heard|hearing|overheard)\s+(?P<spk>them|him|her|one\s+of\s+them|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s+"
    r"(?:say|chant|shout|yell|sing|scream|cry|tell|saying|chanting|shouting|yelling|singing|screaming|telling)\b"
    r"[^.;!?“”\"\n]{0,40}?[:,]?\s*$"
)
_CHANTS_OF = re.compile(r"\b(?i:chants|chant|cries|shouts|cheers|choruses|calls)\s+of\s*$")
_BEFORE_SAID_BY = re.compile(
    r"\b(?:is|was|are|were)\s+said\s+by\s+(?P<spk>[^,.;:!?“”\"\n]{1,60}?)\s+to\s+[^.;:!?“”\"\n]{0,80}$"
)
# "Jay Leno's spokesman has now issued this statement:", "The team released the following statement:",
# "They have issued this advisory:".
_BEFORE_ISSUED = re.compile(
    r"(?:^|(?<![A-Z])[.;!?”\"]\s+|:\s+|\n)(?P<spk>[^,.;:!?“”\"\n]{1,80}?)\s+(?:has\s+|have\s+|had\s+)?(?:now\s+|also\s+|later\s+)?"
    r"(?:issued|released|put\s+out|sent)\s+(?:this|the\s+following|a|the)\s+(?:brief\s+|short\s+|new\s+)?(?:statement|advisory|warning|alert|notice)\s*[:,]?\s*$"
)
_BEFORE_ACCORDING = re.compile(r"according to\s+(?P<spk>[^,.;:!?“”\"\n]{1,80}?)\s*[,:]\s*$", re.IGNORECASE)
_BEFORE_COLON = re.compile(r"(?:^|[.;!?”\"]\s+|\n)[ \t]*(?P<spk>[A-Z][^,.;:!?“”\"\n]{1,60}?)\s*:\s*$")
_LEADING = {
    "on", "in", "at", "late", "early", "earlier", "later", "last", "this", "by", "and", "but", "so",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "also", "then", "meanwhile", "however",
}  # fmt: skip
_SKIP_FIRST = {"the", "a", "an", "but", "and", "in", "on", "at", "as", "when", "while", "after"}
_CAP_RUN = re.compile(rf"[A-Z][\w'’.-]*(?:\s+{_NAME_WORD})*")

# Precompiled: pysbd fills the ``re`` module's cache, so patterns given as strings get recompiled.
_VERB_SPLIT = re.compile(rf"\s+(?:(?:has|had|have|also)\s+)?(?:(?:always|often|repeatedly|previously|[a-z]+ly)\s+)?(?:{_VERB}|{_PARTICIPLES})\b")
_SPEAKS_AFTER = re.compile(rf",?\s+(?:also\s+|has\s+|had\s+)?(?:{_VERB})\b")
_SAYS_AFTER = re.compile(rf",?\s+(?:also\s+|later\s+|then\s+)?(?:{_VERB})\b")
_SAYS_BEFORE = re.compile(rf"\b(?:{_VERB})\s+$")
_SAYING_AFTER = re.compile(rf",?\s+(?:{_PARTICIPLES})\b")
_PRONOUN_START = re.compile(r"\s*(?:he|she|they)\b", re.IGNORECASE)
# ", said Britain had seen no evidence": what follows "said" is a reported clause, not a speaker.
_CLAUSE_VERB = re.compile(r"\b(?:had|has|have|was|were|is|are|would|will|could|should|did|does|do|can|may|might)\b")
# "Russia has added as many as 7,000 troops": "added" (posted, continued) with an object is no saying.
_OBJECT_AFTER = re.compile(
    r"(?:(?<=added)|(?<=posted))\s+(?!that\b|on\b|in\b|at\b|later\b|today\b|yesterday\b)[\w$£€]"
    r"|(?:(?<=continued)|(?<=continues))\s+(?!that\b)[a-z]"
)
_ATTR_ACCORDING = re.compile(r"according to\s+(?P<spk>[^,.;:!?“”\"\n]{1,80}?)(?=\s*(?:[,.;:!?\n]|$))", re.IGNORECASE)
_ATTR_VERB_SPK = re.compile(rf",\s+{_VERB}\s+(?P<spk>[^,.;:!?“”\"\n]{{1,60}}?)(?=\s*[,.;:!?\n]|$)")
_ATTR_NAME_TITLE_VERB = re.compile(
    rf"(?:^|[,;]\s+|\s)(?P<spk>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|al|bin|da|di|du|le|la)){{0,4}}),"
    rf"\s+(?P<desc>[^,;“”\"]{{2,80}}?),?\s+(?:also\s+|has\s+|have\s+|had\s+)?(?:{_VERB})\b"
)
_ATTR_RELATIVE_VERB = re.compile(
    rf"\s*(?P<spk>[^,;:“”\"\n]{{1,60}}?),\s+(?:which|who|whose)\b[^,;“”\"\n]{{1,100}},\s+(?:also\s+|has\s+|have\s+|had\s+)?{_VERB}\b"
)
_ATTR_SPK_VERB = re.compile(rf"(?:^|,\s+|\s)(?P<spk>(?:[A-Z][\w'’.-]*|the|a|an)(?:\s+[\w'’.-]+){{0,7}}?),?\s+(?:also\s+|has\s+|have\s+|had\s+)?{_VERB}\b")


_MODALS = frozenset({"would", "will", "could", "can", "may", "might", "should", "must", "shall", "did", "does", "do"})
_ADVERB = re.compile(r"(?!(?:family|ally|assembly|rally|supply|reply|monopoly|anomaly|homily)$)[a-z]{3,}ly")


# Two people speaking together, each named in full: "US Attorney Scott W. Brady and Bob Jones".
_JOINT_NAMES = re.compile(
    r"(?P<first>.*?\b[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+))+)\s+(?:and|&)\s+[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+))+"
)


_ORG_HEADS = ORGANISATION_HEADS
# A person's name (two capitalised words or more, or an honorific and a name), then the organisation they
# are of: "George Zornick of The Nation".
_NAME_OF = re.compile(
    r"^(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)+|(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+[A-Z][\w'’-]+)"
    r"\s+(?:of|at|from|with)\s+(?:the\s+)?[A-Z]"
)


def is_organisation_name(name: str) -> bool:
    """``name`` is an organisation's: two capitalised words or more, the last a word that ends
    organisations' names ("State Department", "Defence Ministry"; not "Ministry" alone).

    >>> is_organisation_name("State Department"), is_organisation_name("Jens Stoltenberg")
    (True, False)
    """
    words = re.sub(r"['’]s$", "", name.strip(" .,")).split()
    return len(words) > 1 and words[-1][:1].isupper() and words[-1].lower() in _ORG_HEADS


def organisation_name(name: str) -> str:
    """An organisation's name without a leading article and trailing possessive, its words that are
    also titles kept ("the State Department's" -> "State Department")."""
    words = re.sub(r"['’]s$", "", name.strip(" .,")).split()
    while len(words) > 1 and words[0].lower() in ("the", "a", "an"):
        words.pop(0)
    return " ".join(words)


def speaker_name(name: str) -> str:
    """A speaker's name as it is shown: a person's without titles ("NATO chief Jens Stoltenberg" is
    cut by :func:`name_from_phrase`; "Mr. Biden" -> "Biden"), an organisation's whole."""
    return organisation_name(name) if is_organisation_name(name) else strip_titles(name)


def name_from_phrase(phrase: str) -> str | None:
    """The name a speaker phrase gives, titles and organisations apart, or None for a pronoun.

    "NATO Secretary-General Jens Stoltenberg" -> "Jens Stoltenberg"; "the defence ministry" ->
    "the defence ministry" (no capitalised name: the phrase itself).
    """
    phrase = phrase.strip().strip("—–- ")
    if not phrase or phrase.lower() in _PRONOUNS:
        return None
    words = phrase.split()
    subject = words[0].lower() in _PRONOUNS - {"him", "her"}  # not "her 40-year-old friend"
    relative = words[0].lower() == "her" and len(words) == 2 and words[1].lower() in _RELATIONS  # someone else
    pronoun = len(words) <= 2 or subject and not any(w[:1].isupper() for w in words[1:])
    if words[0].lower() in _PRONOUNS and pronoun and not relative:
        return None  # "he", "she later", "she used to"; not "her mother"
    phrase = _VERB_SPLIT.split(phrase)[0].strip()
    phrase = _STATES_END.sub("", phrase)  # "The arrest report states:"
    phrase = _WHEN_OR_WHERE_END.sub("", phrase) or phrase  # "The White House on Monday", "Paul on Twitter"
    if not phrase or phrase.lower() in _PRONOUNS or _DOCUMENT_PART.fullmatch(phrase):
        return None  # a pronoun, or "another part" (read) of a text named before: resolved as a pronoun is
    words = phrase.split()
    while len(words) > 1 and words[-2][:1].isupper() and (_ADVERB.fullmatch(words[-1]) or words[-1] in _TRAILING_ADVERBS):
        words.pop()  # "Spicer sheepishly", not "The family"
    while len(words) > 1 and words[-2][:1].isupper() and words[-1] in _MODALS:
        words.pop()  # "Ben would" (say)
    while len(words) > 1 and words[0].lower().strip(".,") in _LEADING:
        words.pop(0)
    phrase = " ".join(words).strip(" ,")
    role = _ROLE_FOR.fullmatch(phrase)
    if role and (owner_name := name_from_phrase(role.group("owner"))) and owner_name.lower() not in _PRONOUNS:
        return f"{owner_name} {role.group('role')}"  # "a spokesman for Bernie Sanders": his spokesman, not Sanders
    if _OWNED_ROLE.fullmatch(phrase):
        return re.sub(r"^(?i:the|a|an)\s+", "", phrase)  # "Republican National Committee member", "a Warren adviser"
    owner = _NAME_OF.match(phrase)
    if owner and owner.group("name").split()[-1].lower().strip(".") not in TITLES | _ORG_HEADS:
        phrase = owner.group("name")  # "George Zornick of The Nation", "Mr. Morgan of the Sierra Club": the person
    joint = _JOINT_NAMES.fullmatch(phrase)
    if joint and not any(w.lower().strip(".") in TITLES for w in re.split(r"[\s-]+", phrase[joint.end("first") :])):
        # (not "Transport Minister and Deputy Prime Minister Warren Truss": one person's two titles)
        phrase = joint.group("first")  # "US Attorney Scott W. Brady and Bob Jones": the first named
    found = list(_CAP_RUN.finditer(phrase))
    if found and not phrase[found[-1].end() :].strip(" .,’'s"):
        run = found[-1].group(0)
        run_words = run.split()
        while len(run_words) > 1 and run_words[0].lower().strip(".") in _SKIP_FIRST:
            run_words.pop(0)
        run = " ".join(run_words)
        tokens = run.split()
        if is_organisation_name(run):
            return organisation_name(run)  # "the State Department": no title to drop
        # Drop everything up to the last title word: "NATO Secretary-General Jens Stoltenberg".
        last_title = -1
        for k, tok in enumerate(tokens):
            head = re.split(r"[-’']", tok.lower().strip(".,"))[0]
            if head in TITLES and k < len(tokens) - 1:
                last_title = k
        tokens = tokens[last_title + 1 :]
        name = strip_titles(" ".join(tokens)).strip(".,’'")
        name = re.sub(r"['’]s$", "", name)
        if name:
            return name
    if (
        found
        and found[0].start() == 0
        and len(phrase.split()) > 3
        and len(found[0].group(0)) > 1
        and found[0].group(0).split()[0].lower() not in _SKIP_FIRST | _QUANTITY_OPENERS
    ):
        return strip_titles(found[0].group(0)) or None  # the subject of a longer clause
    phrase = _PART_OF.sub("", phrase)  # "one of the notes read": the notes
    for article in ("the ", "a ", "an ", "one ", "another ", "The ", "A ", "An ", "One ", "Another "):
        phrase = phrase.removeprefix(article)  # "One Twitter user wrote": a Twitter user
    # "a police statement said": the police said; "the arrest report states": the report (an arrest
    # issues nothing).
    issuer = _DOCUMENT_NOUN.sub("", phrase)
    if issuer and issuer != phrase:
        first = issuer.split()[0]
        if issuer[:1].isupper() or issuer.lower() in _ISSUERS:
            phrase = issuer
        elif first.lower() in _ISSUERS:
            phrase = first  # "the police incident report": the police
        else:
            phrase = phrase.split()[-1]
    if phrase.lower() in _FUNCTION_WORDS or _ADVERB.fullmatch(phrase):
        return None  # "said in", "subsequently": no name; resolved as a pronoun is
    return _described_subject(phrase) or None


# 'Part of it reads: “…”', 'Another part read:', 'It goes on to say:': a written text named before speaks.
_DOCUMENT_PART = re.compile(
    r"(?i:(?:it|this)(?:\s+(?:also|then|further|later))?\s+(?:reads?|continues|goes\s+on(?:\s+to(?:\s+say)?)?)"
    r"|(?:(?:another|one|the\s+next|the\s+last|a\s+later)\s+(?:part|passage|line|section)|(?:part|some|the\s+rest)\s+of\s+it)"
    r"(?:\s+(?:also|then|further|later))?(?:\s+(?:reads?|says?|continues|states|goes\s+on(?:\s+to(?:\s+say)?)?))?)"
)
_DOCUMENT_MENTION = re.compile(rf"\b(?:[Tt]he|[Hh]er|[Hh]is|[Tt]heir|[Ii]ts|[Tt]his)\s+(?:[\w'’-]+\s+)?(?P<doc>{_DOC_NOUNS})\b")


_LAST_CLAUSE = re.compile(r"(?:^|[.!?”\"]\s+|\n)\s*(?P<clause>[^.!?“”\"\n]{1,40}?)\s*[:,]?\s*$")


def _reads_from_document(before: str) -> str | None:
    """ "part" when the words before a quote are "Part of it reads:", "Another part read:"; "it" when
    they are "It reads:", "It goes on to say:" (which may continue a quote just before); else None."""
    last = _LAST_CLAUSE.search(before)
    if not last or not _DOCUMENT_PART.fullmatch(last.group("clause")):
        return None
    return "it" if last.group("clause").split()[0].lower() in ("it", "this") else "part"


def document_antecedent(text: str, pos: int, limit: int = 1500) -> str | None:
    """The written text a quote read from "it" or "part of it" is from: the last document noun
    ("the obituary", "her note") in the ``limit`` characters before ``pos``, or None.

    >>> t = 'The obituary ran last week. Part of it reads: "There will be no service."'
    >>> document_antecedent(t, t.index("There"))
    'obituary'
    """
    found = list(_DOCUMENT_MENTION.finditer(text, max(0, pos - limit), pos))
    return found[-1].group("doc").lower() if found else None


# A capitalised first word that is no name but the size of a group: "Small groups of protesters".
_QUANTITY_OPENERS = frozenset(
    {"small", "large", "big", "several", "many", "some", "few", "dozens", "hundreds", "thousands", "scores", "groups", "crowds", "most", "other", "two", "three",
     "another", "each", "every", "any"}
)


_IRREGULAR_PAST = frozenset(
    {"sent", "took", "gave", "put", "made", "went", "came", "got", "began", "brought", "held", "kept", "left", "met", "ran", "saw", "set", "stood", "spent", "won", "found", "felt"}
)
_AFTER_CLAUSE_VERB = frozenset(
    {"to", "out", "up", "a", "an", "the", "his", "her", "their", "its", "by", "that", "on", "in", "at", "for", "with", "into", "off"}
)


def tidy_speaker(name: str | None) -> str | None:
    """A speaker without a possessive ending ("Donald Trump‘s") and cut before a verb its phrase ran
    into ("Kasich resisted", "presidential candidate reiterated", "his campaign sent out a text
    message"): a past verb after the name that ends the phrase or takes an object or a particle.

    >>> tidy_speaker("Kasich resisted"), tidy_speaker("his campaign sent out a text message"), tidy_speaker("two unnamed officials")
    ('Kasich', 'his campaign', 'two unnamed officials')
    """
    if not name:
        return name
    name = re.sub(r"['’‘]s$", "", name.strip())
    words = name.split()
    for k in range(1, len(words)):
        w, prev = words[k], words[k - 1]
        past = w.islower() and w.isalpha() and ((w.endswith("ed") and w not in _NOT_VERB_ED) or w in _IRREGULAR_PAST)
        ends = k == len(words) - 1 or words[k + 1].lower() in _AFTER_CLAUSE_VERB
        if past and ends and prev.lower() not in _FUNCTION_WORDS | _DESCRIPTOR_START and not prev.endswith("ly"):
            return " ".join(words[:k])
    return name


# Who speaks for someone is named by that role, never by the name of whom they speak for.
_SPEAKING_ROLES = r"(?:spokesman|spokeswoman|spokesperson|aide|adviser|advisor|lawyer|attorney|representative|staffer|strategist|member)"
_ROLE_FOR = re.compile(rf"(?:(?i:a|an|the|one)\s+)?(?P<role>{_SPEAKING_ROLES})\s+(?:for|to|of|with)\s+(?P<owner>[^,;:]{{2,80}})")
_OWNED_ROLE = re.compile(rf"(?:(?i:a|an|the)\s+)?[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*\s+{_SPEAKING_ROLES}")


def earlier_role(text: str, pos: int, role: str) -> str:
    """ "the spokesman" (said) as the article first named him: "a spokesman for the Civil Aviation
    Authority" or "a Pentagon spokesman" within 2,000 characters before ``pos`` gives "Civil Aviation
    Authority spokesman", "Pentagon spokesman"; else ``role`` as it is.

    >>> t = 'A spokesman for the Civil Aviation Authority told NBC. "It is soft," the spokesman said.'
    >>> earlier_role(t, t.index("It is"), "spokesman")
    'Civil Aviation Authority spokesman'
    """
    if not re.fullmatch(_SPEAKING_ROLES, role):
        return role
    window = text[max(0, pos - 2000) : pos]
    found = list(re.finditer(rf"\b(?i:a|an|one)\s+(?:{role}\s+(?:for|to|of|with)\s+[^,.;:!?“”\"\n]{{2,80}}?|[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*\s+{role})(?=[,.;:!?“”\"\n]|\s+(?:{_VERBS}|who|in|on|at|told)\b)", window))
    for m in reversed(found):
        named = name_from_phrase(m.group(0))
        if named and named.endswith(" " + role) and named[:1].isupper():
            return named
    return role


_TRAILING_ADVERBS = frozenset({
    "often", "always", "once", "later", "also", "then", "again", "sometimes", "repeatedly", "never", "recently",
    "previously", "now", "still", "just", "reportedly", "famously", "frequently",
})
_NOT_VERB_ED = frozenset({"based", "led", "need", "seed", "feed", "red", "bed", "speed", "creed", "breed", "deed", "reed"})


def _described_subject(phrase: str) -> str:
    """A description without the adverb after it ("my father often" said: "my father") and cut
    before the verb of its clause ("piece used one of the woman's quotes as its headline": "piece").

    >>> _described_subject("my father often"), _described_subject("piece used one of her quotes as its headline")
    ('my father', 'piece')
    """
    words = phrase.split()
    if not words or words[0][:1].isupper():
        return phrase
    while len(words) > 1 and (words[-1] in _TRAILING_ADVERBS or _ADVERB.fullmatch(words[-1])):
        words.pop()
    if len(words) >= 5:
        for k in range(1, len(words)):
            w = words[k]
            if w.endswith("ed") and w not in _NOT_VERB_ED and words[k - 1].lower() not in _FUNCTION_WORDS | _DESCRIPTOR_START:
                words = words[:k]
                break
    return " ".join(words)


_PART_OF = re.compile(r"^(?i:one|some|each|many|most|part|all|another|two|three)\s+of\s+(?:the|his|her|their|its|it)\b\s*")
_NOT_SUBJECT_START = frozenset(
    {
     "and", "but", "or", "about", "after", "before", "when", "while", "for", "with", "as", "because",
     "if", "that", "which", "who", "to", "in", "on", "at", "of", "from", "by", "than", "so", "into", "despite",
    }
)  # fmt: skip
_NOT_SUBJECT_END = frozenset({"and", "but", "or", "being", "been", "be", "was", "were", "is", "are", "to"})


_SUBORDINATORS = frozenset(
    {"when", "which", "although", "though", "while", "because", "if", "since", "unless", "until", "whereas", "where"}
)


def _not_a_speaker(phrase: str) -> bool:
    """A clause fragment, not who speaks: "and" ("… and told reporters"), "after being" ("… after
    being told"), "about her son's state and" ("… and said"), "McKinnon was" ("… was told"),
    "when the ADL released its" ("… its report saying")."""
    words = phrase.split()
    if words[-1].lower() in _NOT_SUBJECT_END or words[-1] in _SUBORDINATORS | {"as", "after", "before"}:
        return True  # "… looping the streets while" (chanting): a clause cut before its verb
    if words[0].endswith("ing") and words[0].islower() and len(words) > 1:
        return True  # a participle clause ("looping the streets"): its subject speaks
    if words[0].lower() in _SUBORDINATORS and len(words) > 2:
        return True
    # The first word may be capitalised as a sentence opens: "As we previously" ("… reported, …").
    if words[0] in _NOT_SUBJECT_START - {"and", "but", "or", "so"}:
        return True  # a lower-case preposition continues the sentence: '“review” of Wells Fargo after lawmakers complained'
    return words[0].lower() in _NOT_SUBJECT_START and not any(w[:1].isupper() for w in words[1:])


_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_WHEN_OR_WHERE_END = re.compile(
    rf"\s+(?:(?:on|late|early|last|this|next)\s+{_WEEKDAY}(?:\s+(?:night|morning|afternoon|evening))?|{_WEEKDAY}"
    r"|on\s+(?:Twitter|Facebook|Instagram|YouTube|television|TV|radio))$"
)
_STATES_END = re.compile(r"\s+(?:states|reports)$")
# Common nouns that issue a statement or report themselves ("a police statement", "the court filing").
_ISSUERS = ISSUERS
_DOCUMENT_NOUN = re.compile(r"\s+(?:statement|report|release|letter|filing|memo|post|tweet)s?$")
_DOCUMENTS = frozenset({"statement", "report", "release", "letter", "filing", "memo"})
_NAME_RUN = r"[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*"


def _issuer(text: str, pos: int, noun: str) -> str:
    """Who issued "the statement" a quote is from: "Carnival's statement", "a statement from
    Carnival", "In a statement to USA TODAY, Carnival acknowledged" (the last such before ``pos``)."""
    window = text[max(0, pos - 1500) : pos]
    patterns = (
        rf"(?P<spk>{_NAME_RUN})['’]s\s+(?:[a-z]+\s+)?{noun}\b",
        rf"(?P<spk>{_NAME_RUN})\s+(?:issued|released|provided|sent|gave|put\s+out|posted)\s+(?:a|an|the)\s+(?:[a-z]+\s+)?{noun}\b",
        rf"\b{noun}\s+(?:from|by|issued by|released by)\s+(?:the\s+)?(?P<spk>{_NAME_RUN})",
        rf"\b{noun}\b[^,.;:!?“”\"\n]*,\s+(?P<spk>{_NAME_RUN})\s+[a-z]+",
    )
    best: tuple[int, str] | None = None
    for pattern in patterns:
        for m in re.finditer(pattern, window):
            name = speaker_name(m.group("spk"))
            if name.split()[0].lower() not in _SKIP_FIRST and (best is None or m.start() > best[0]):
                best = (m.start(), name)
    return best[1] if best else noun


_INDEFINITE = re.compile(r"\s*(?:a|an|one|another|some)\s", re.IGNORECASE)
_PLAIN = frozenset({"the", "a", "an", "of", "s", "and"})


def _title_holder(text: str, pos: int, speaker: str, persons: Sequence[Mention]) -> str:
    """The person a title-only speaker names ("the president" -> "Donald Trump" when the text says
    "President Donald Trump"; "Acting DEA chief" -> "Chuck Rosenberg" from "acting DEA chief Chuck
    Rosenberg"): the nearest person before ``pos`` (else the first after) right after that title."""
    words = [w for w in re.findall(r"[\w'’-]+", speaker) if w.lower() not in _PLAIN]
    titles = [w.lower() for w in words if w.lower() in TITLES]
    rest = [w.lower() for w in words if w.lower() not in TITLES]
    if not titles or any(w[:1].isupper() and not w.isupper() for w in words if w.lower() in rest):
        return speaker  # no title, or a name of its own

    def fits(m: Mention) -> bool:
        window = re.split(r"[.;:!?\n“”\"]", text[max(0, m.start - 60) : m.start])[-1]
        found = re.findall(r"[\w'’-]+", window)
        lower = [w.lower() for w in found]
        if titles[-1] not in lower or not all(w in lower for w in rest):
            return False
        # The title heads the name: only names, titles and its own words lie between ("President of
        # the United States Donald Trump"), not a clause ("the president told ABC News anchor David Muir").
        k = len(lower) - 1 - lower[::-1].index(titles[-1])
        between = found[k + 1 :]
        return all(w[:1].isupper() or w.lower() in TITLES or w.lower() in _PLAIN or w.lower() in rest or w == "for" or w.endswith(("'s", "’s")) for w in between)

    before = [m for m in persons if m.start < pos and " " in m.name and fits(m)]
    if before:
        return before[-1].name
    after = [m for m in persons if pos <= m.start < pos + 3000 and " " in m.name and fits(m)]
    if after:
        return after[0].name
    # "Felipe VI was formally proclaimed the new King of Spain. The new King … promised": the person
    # the text made that title's holder, nearest first.
    became = [
        m for m in persons
        if pos - 1500 <= m.start < pos and " " in m.name
        and re.match(rf"\s+(?:was|is|has\s+been|had\s+been|became|has\s+become)\s+(?:[a-z]+\s+){{0,3}}?(?:as\s+)?"
                     rf"(?:the\s+|its\s+)?(?:new\s+|next\s+)?(?i:{re.escape(titles[-1])})\b", text[m.end : m.end + 80])
    ]  # fmt: skip
    if became:
        return became[-1].name
    if rest and words[-1].lower() in titles and words[-1].lower() not in _TITLE_ADJECTIVES:
        # "The traditional medicine minister" is the "Minister Shripad Naik" of the next paragraph:
        # the title word alone, nearest first, when the qualifiers are not repeated.
        titles, rest = titles[-1:], []
        near = [m for m in persons if abs(m.start - pos) < 1500 and " " in m.name and fits(m)]
        if near:
            return min(near, key=lambda m: abs(m.start - pos)).name
    # 'Joe Biden said the US had not verified it. "…," the US president said': the one person who
    # speaks in the sentence before (or earlier in this one) is the title's holder.
    s0 = _sentence_start(text, pos - 1)
    prev = _sentence_start(text, max(0, s0 - 2)) if s0 > 1 else s0
    speaking = {m.name for m in persons if prev <= m.start < pos and " " in m.name and _SAYS_AFTER.match(text, m.end, m.end + 40)}
    if len(speaking) == 1 and titles[-1] not in _TITLE_ADJECTIVES:
        return speaking.pop()
    return speaker


_AGE_WORD = re.compile(r"(?P<age>\d{1,3})-year-old")
_APPOSITION_END = re.compile(r"[.;:!?\n“”\"(]")


def described_holder(text: str, pos: int, speaker: str, persons: Sequence[Mention]) -> str:
    """The named person a description refers to ("the 35-year-old actor" -> "Ana Ruiz" when the
    article says "Ana Ruiz, 35, …" or "actor Ana Ruiz"): the one person (full name) the article
    describes with the description's head noun (in an apposition after the name, or right before
    it) or with its age, nearest before ``pos``, else within 1,500 characters after. The
    description stays when no person, or more than one, fits: a role is never made a wrong name.

    >>> t = "The actor Ana Ruiz, 35, left the set. Later, “I am done,” the 35-year-old actor said."
    >>> described_holder(t, t.index("I am"), "35-year-old actor", [Mention("Ana Ruiz", "person", 10, 18)])
    'Ana Ruiz'
    """
    words = re.findall(r"[\w'’-]+", speaker)
    if not words or speaker[:1].isupper() or any(w[:1].isupper() for w in words):
        return speaker  # a name, or a description holding one ("the Clinton aide")
    head = words[-1].lower()
    age = _AGE_WORD.fullmatch(head) or next((a for w in words if (a := _AGE_WORD.fullmatch(w.lower()))), None)
    if head in _FUNCTION_WORDS or head in _ISSUERS or head in _ORG_HEADS or head in _ORG_NOUNS or head in _DOC_NOUNS.split("|") or (
        head.endswith("s") and not head.endswith("ss") and not age
    ):
        return speaker  # an organisation, a document or a group is resolved elsewhere

    def fits(m: Mention) -> bool:
        before = re.split(r"[.;:!?\n“”\",]", text[max(0, m.start - 50) : m.start])[-1].lower()
        after = _APPOSITION_END.split(text[m.end : m.end + 80])[0]
        apposition = after.split(",")[1].lower() if after.startswith(",") and after.count(",") >= 1 else ""
        if age and re.match(rf",\s+{age.group('age')}\b", after):
            return True
        if _AGE_WORD.fullmatch(head):
            return False
        return bool(re.search(rf"\b{re.escape(head)}\s*$", before) or re.search(rf"\b{re.escape(head)}\b", apposition)
                    or re.match(rf"\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,3}}?{re.escape(head)}\b", after))

    named = [m for m in persons if m.kind == "person" and " " in m.name and abs(m.start - pos) < 3000 and fits(m)]
    if not named and age:
        return _dominant_person(text, persons, pos) or speaker  # "the 35-year-old actor" of an article about one person
    if len({m.name for m in named}) != 1:
        return speaker
    return named[0].name


def _dominant_person(text: str, persons: Sequence[Mention], pos: int) -> str | None:
    """The full name of the person an article is about: a person named in full before ``pos`` whose
    surname the text uses three times or more, at least twice as often as any other person's."""
    full: dict[str, str] = {}
    shared: set[str] = set()
    for m in persons:
        if m.kind == "person" and " " in m.name and _PLAIN_NAME.fullmatch(m.name) and not headline_name(m.name):
            surname = m.name.split()[-1]
            if full.setdefault(surname, m.name) != m.name and not m.name.endswith(full[surname]) and not full[surname].endswith(m.name):
                shared.add(surname)  # "Ivanka Trump" beside "Donald Trump": the surname names neither
    full = {k: v for k, v in full.items() if next((m.start for m in persons if m.name == v), pos) < pos}
    counts = sorted(((len(re.findall(rf"\b{re.escape(s)}\b", text)), s) for s in full), reverse=True)
    if not counts or counts[0][0] < 3 or (len(counts) > 1 and counts[0][0] < 2 * counts[1][0]) or counts[0][1] in shared:
        return None
    return full[counts[0][1]]


# The subject of a sentence is a title: "The traditional medicine minister defended the booklet as …".
_TITLE_SUBJECT = re.compile(r"\s*(?:The|the)\s+(?P<spk>(?:[\w'’-]+\s+){0,3}?(?P<title>[a-z]+))\s+(?:[a-z]+ly\s+)?[a-z]{3,}(?:ed|s)\b")
# A written document a quote is read from: 'The card has 15 bullet points, … i.e. "Don't bad mouth police."'
# The subject is a written text, perhaps with an apposition: "Pennsylvania's pension forfeiture law, originally
# passed in 1978, primarily applies to … “…”".
_DOCUMENT_SUBJECT = re.compile(
    rf"\s*(?:the|a|an|this|that|its|their|[A-Z][\w'’-]*['’]s)\s+(?:[\w'’-]+\s+){{0,2}}?(?P<doc>{_DOC_NOUNS})s?"
    r"(?:,[^,.;:!?“”\"\n]{1,60},)?\s+(?:[a-z]+ly\s+)?"
    r"(?:has|have|had|says|is|was|reads|read|lists|tells|told|advises|urges|warns|asks|features|shows|includes|"
    r"contains|begins|ends|opens|goes|outlines|alleges|claims|contends|states|argues|accuses|applies|requires|"
    r"provides|defines|prohibits|bans|allows|forbids|stipulates|specifies|mandates)\b",
    re.IGNORECASE,
)


_TITLE_ADJECTIVES = TITLE_WORDS
_RELATIVE = re.compile(r"\b(?:who|which|that|whose)\b")


def _unspoken_source(text: str, pos: int, prefix: str, persons: Sequence[Mention]) -> str | None:
    """Who a quote without a verb of saying is from, when its sentence names no person: a title
    that is the subject (resolved to its holder), else the written document the sentence names."""
    m = _TITLE_SUBJECT.match(prefix)
    if m and m.group("title") in TITLES - _TITLE_ADJECTIVES and not _RELATIVE.search(m.group("spk")):
        return _title_holder(text, pos, m.group("spk"), persons)
    doc = _DOCUMENT_SUBJECT.match(prefix)
    return doc.group("doc").lower() if doc else None


_NICKNAME = re.compile(r"[“\"‘'](\w+)[”\"’']")


def _speaker_phrase_after(after: str) -> str | None:
    after = _NICKNAME.sub(r"\1", after)  # 'principal analyst R “Ray” Wang said'
    words = _AFTER_IN_WORDS.match(after)
    if words:
        return words.group("spk") or words.group("spk2")
    for pattern in (
        _AFTER_ONE_OF_ITS, _AFTER_QUOTED_AS, _AFTER_IS_QUOTED, _AFTER_ACCORDING, _AFTER_VERB_SPK, _AFTER_SPK_VERB, _AFTER_NAME_VERBED,
        _AFTER_VERBED_NAME, _AFTER_NAME_ALONE,
    ):  # fmt: skip
        m = pattern.match(after)
        if m:
            spk = m.group("spk").strip()
            app = (m.groupdict().get("app") or "").strip()
            if app and not spk[:1].isupper() and _CAP_RUN.fullmatch(app):
                return app  # '“…,” the governor of Chiang Rai, Narongsak Osoththanakorn, told reporters'
            if spk and len(spk.split()) <= 9 and not _not_a_speaker(spk):
                return spk
    return None


# A name opening the sentence, then a comma: "Vincent Lisi, Special Agent in Charge of … said".
_NAME_THEN_COMMA = re.compile(r"(?:^|(?<![A-Z])[.;!?”\"]\s+|\n)\s*(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),\s+$")


# An apposition that is a name, perhaps with where it is from: "Seamus Edney of SJ Edney in Swindon".
_APPOSED_NAME = re.compile(r"(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})(?:\s+(?:of|at|from|with)\s+[^,]*)?$")
_DESCRIPTOR_START = frozenset({"the", "a", "an", "one", "his", "her", "their", "its"})


# '…, he was interrupted by Bishop Michael Freeman, who told him, “…”': the name the relative clause follows.
_BEFORE_WHO_SAYS = re.compile(
    rf"(?P<spk>[^,.;:!?“”\"\n]{{1,100}}?),\s+who\s+(?:also\s+|then\s+|later\s+)?(?:{_VERB})\b[^.;!?“”\"\n,]{{0,40}}?[:,]?\s*$"
)
# 'NBC News reported that Governor Alan Pierce confirmed that “…”': the inner speaker's words.
_INNER_SAYS = re.compile(
    rf"\bthat\s+(?P<spk>[A-Z][^,.;:!?“”\"\n]{{1,60}}?)\s+(?:also\s+|had\s+|has\s+)?(?:{_VERB})\s+(?:that\s+)?[:,]?\s*$"
)


# '… toward hundreds of protesters who were throwing stones and shouting “…”': the noun the restrictive
# relative clause follows.
_BEFORE_NOUN_WHO_SAYS = re.compile(
    rf"\b(?P<spk>[a-z][a-z-]+|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)\s+who\s+[^,.;:!?“”\"\n]{{0,80}}?\b(?:{_VERB}|{_PARTICIPLES})\b[^.;!?“”\"\n,]{{0,40}}?[:,]?\s*$"
)


_OF_WHOM = re.compile(r"(?i:many|some|most|all|several|none|one|two|three|both|each|few|half)\s+of\s+whom")
_LAST_WORD = re.compile(r"([A-Za-z][\w'’-]*),\s+$")


# A conjunction opening the clause of a speaker phrase that is a noun phrase: "As one employee told …",
# "When someone in the audience shouted", "Then when the reporter asked" (not "As we previously reported").
_OPENING_CONJUNCTION = re.compile(
    r"^(?:(?:[Tt]hen|[Aa]nd|[Bb]ut)\s+)?(?:[Aa]s|[Ww]hen|[Ww]hile|[Aa]fter|[Bb]efore)\s+(?=(?:one|a|an|another|someone|somebody|some|the)\s+[a-z])"
)


_DASH_BREAK = re.compile(r"\s[―—–]\s+")
# A recording of a named person before "saying": 'footage of Trump saying', 'a video showing Sanders telling'.
_SHOWN_SAYING = re.compile(
    r"\b(?:footage|videos?|clips?|recordings?|tapes?|audio|images)\s+(?:of|showing)\s+(?P<spk>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s+"
    r"(?:saying|telling|declaring|calling|insisting|asking|boasting|promising|warning|vowing)\b[^.;!?“”\"\n]{0,70}?[:,]?\s*$"
)
# 'a report into what the agency called “…”', 'what Trump has called “…”': who calls it that.
_BEFORE_WHAT_CALLED = re.compile(
    r"\bwhat\s+(?P<spk>(?!it\b|is\b|was\b|some\b|many\b|critics\b|others\b)[^,.;:!?“”\"\n]{1,60}?)\s+(?:has\s+|had\s+|have\s+|once\s+|later\s+)?"
    r"(?:called|calls|call|described\s+as|describes\s+as|termed|terms|dubbed|labell?ed)\s*$"
)
# A second clause of saying after the first, right before the quote: '… Cruz said as the heckler yelled:'.
_SECOND_SAYER = re.compile(
    rf"\s(?:as|while|when|and|before|after|until)\s+(?P<spk>(?:the|a|an|his|her|their|one)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,3}})"
    rf"\s+(?:also\s+|then\s+)?(?:{_VERB})\b[^.;!?“”\"\n,]{{0,30}}?:\s*$"
)
_OPENING_PREPOSITIONS = frozenset({
    "During", "After", "Before", "Despite", "Following", "Amid", "Amidst", "In", "On", "At", "Since", "Throughout",
    "Under", "Over", "With", "Without", "Through", "Later", "Earlier", "Asked",
})
_CLAUSE_SUBJECT = re.compile(r"(?P<spk>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s+[a-z]")


def _speaker_phrase_before(before: str, *, label: bool = True) -> str | None:
    """The speaker phrase before a quote; ``label``: a bare "X:" counts (not in the paragraph before,
    where "His remarks:" or "Here's how Maraniss describes it:" is no speaker)."""
    if _CHANTS_OF.search(before):
        return "them"  # 'Chants of “Long live the king” rang out': the crowd's, as "hearing them chant" (_plural_antecedent)
    who = _BEFORE_WHO_SAYS.search(before)
    if who and _CAP_RUN.search(who.group("spk")) and not _not_a_speaker(who.group("spk")):
        spk = who.group("spk").strip()
        head = before[: who.start("spk")].rstrip()
        if spk.split()[0] in _DESCRIPTOR_START and head.endswith(","):
            # 'Randy Hargrove, a spokesman for Wal-Mart, who said': the name the description follows.
            named = re.search(r"(?P<spk>[^,.;:!?“”\"\n]{1,100}?)$", head[:-1])
            if named and _CAP_RUN.search(named.group("spk")) and not _not_a_speaker(named.group("spk")):
                return named.group("spk").strip()
        return spk
    for pattern in (
        _BEFORE_HEARD, _SHOWN_SAYING, _BEFORE_WHAT_CALLED, _BEFORE_SAID_BY, _BEFORE_ACCORDING, _BEFORE_RATED, _BEFORE_SECTION_READS, _BEFORE_READS, _BEFORE_ISSUED, _BEFORE_SPK_VERB,
        _BEFORE_COLON,
    ):  # fmt: skip
        m = pattern.search(before) if label or pattern is not _BEFORE_COLON else None
        if m:
            spk = re.sub(r"^with\s+", "", m.group("spk").strip())  # "…, with one person writing:"
            spk = _OPENING_CONJUNCTION.sub("", spk)  # "As one employee told the Weekly,": one employee
            if pattern is _BEFORE_SPK_VERB and _not_a_speaker(spk) and _DASH_BREAK.search(spk):
                spk = _DASH_BREAK.split(spk)[-1]  # '… ― as was true for years ― Trump boasted,': after the dash
            if spk.split() and spk.split()[0] in _OPENING_PREPOSITIONS and pattern is _BEFORE_SPK_VERB:
                # "During a speech earlier in the day, Trump attacked Clinton …, saying,": the opening phrase is
                # no speaker; the name that opens the clause after it is.
                subject = _CLAUSE_SUBJECT.match((m.groupdict().get("app") or "").strip())
                if subject and subject.group("spk").split()[0].lower() not in _FUNCTION_WORDS | _PRONOUNS:
                    return subject.group("spk")
                continue
            if pattern is _BEFORE_SPK_VERB and (second := _SECOND_SAYER.search(before, m.end("spk"))):
                return second.group("spk")  # '“…,” Cruz said as the heckler yelled: “…”': the heckler's words
            if spk and len(spk.split()) <= 16 and not _not_a_speaker(spk):
                app = _APPOSED_NAME.match((m.groupdict().get("app") or "").strip())
                if app and (spk.split()[-1].islower() or spk.split()[0].lower() in _DESCRIPTOR_START):
                    # 'one of his lawyers, Karen Todner, said', 'The solicitor acting for Mr Merrett, Seamus
                    # Edney of SJ Edney in Swindon, said': the name the descriptor is given.
                    return app.group("name")
                if _OF_WHOM.fullmatch(spk):
                    # '… interviewed multiple women, many of whom admitted …': the women.
                    antecedent = _LAST_WORD.search(before, 0, m.start("spk"))
                    if antecedent and antecedent.group(1).lower() not in _FUNCTION_WORDS:
                        return antecedent.group(1)
                inner = _INNER_SAYS.search(before, m.end("spk")) if pattern is _BEFORE_SPK_VERB else None
                if inner and not _not_a_speaker(inner.group("spk")):
                    return inner.group("spk")
                if pattern is _BEFORE_SPK_VERB:
                    # The phrase is an apposition whose closing comma is missing: the name before it speaks.
                    named = _NAME_THEN_COMMA.search(before, 0, m.start("spk"))
                    if named and not _appositive_of_name(named.group("name")):
                        return named.group("name")
                return spk
    noun = _BEFORE_NOUN_WHO_SAYS.search(before)
    if noun and noun.group("spk").lower() not in _FUNCTION_WORDS | _PRONOUNS:
        return noun.group("spk")
    return None


def _appositive_of_name(words: str) -> bool:
    """Not a person's name: a sentence opener ("Last Tuesday") or a title alone ("Prime Minister")."""
    tokens = words.split()
    return tokens[0].lower() in _LEADING | _SKIP_FIRST or all(t.lower().strip(".") in TITLES for t in tokens)


_FUNCTION_WORDS = _NOT_SUBJECT_START | _NOT_SUBJECT_END | _SKIP_FIRST | {"it", "its", "this", "these", "those", "an"}


_GERUND_NEXT = frozenset({"the", "a", "an", "at", "to", "for", "on", "his", "her", "their", "our", "my"})


@lru_cache(maxsize=256)
def _fuller_pattern(head: str) -> re.Pattern[str]:
    return re.compile(rf"\b[A-Z][\w'’-]*(?:[ \t]+[\w'’-]+){{0,3}}?[ \t]+(?i:{re.escape(head)})\b")


def _fuller(text: str, pos: int, speaker: str | None) -> str | None:
    """A lower-case speaker ("ministry") completed from an earlier capitalised phrase in the text."""
    if not speaker or speaker[0].isupper() or len(speaker.split()) > 2:
        return speaker
    head = speaker.split()[-1]
    if head.lower() in _FUNCTION_WORDS:
        return speaker  # "in", "a": no noun to complete ("Tooke said in")
    pattern = _fuller_pattern(head)
    found = []
    for m in pattern.finditer(text, max(0, pos - 3000), pos):
        words = m.group(0).split()
        while len(words) > 1 and (
            words[0].lower() in _SKIP_FIRST | {"according", "to", "said", "says", "one", "another"}
            or words[0].endswith("ing") and words[1] in _GERUND_NEXT
        ):
            words.pop(0)  # not "Watching the fans" for "fans"
        # Not a clause: "Thai officials told reporters" does not complete "reporters".
        if m.group(0).isupper():
            continue  # a heading in capitals ("THIS INTERSECTION WITH ANOTHER NEIGHBOR")
        if any(w.islower() and w.endswith("ed") and w != "based" for w in words[1:-1]):
            continue  # a clause: "Detectives interviewed several drivers" does not complete "drivers"
        if len(words) > 1 and not re.search(r"[.;:!?]", m.group(0)) and not _VERB_SPLIT.search(" ".join(words)):
            found.append(" ".join(words))
    return found[-1] if found else speaker


def name_completer(persons: Sequence[Mention]) -> Callable[[str | None], str | None]:
    """A function giving the article's full form of a name ("Biden" -> "Joe Biden"); a name spaCy
    labels an organisation or a place as often as a person, or more, is no first name to complete."""
    labels = Counter((m.name, m.kind == "person") for m in persons)
    others = frozenset(m.name for m in persons if m.kind != "person" and labels[m.name, False] >= labels[m.name, True])
    return _completer(tuple(m.name for m in persons if m.kind == "person"), others)


_HEADLINE_VERBS = frozenset(lexicon_words("headline_verbs")) | frozenset(v for v in lexicon_words("verbs_of_saying") if " " not in v)


def headline_name(name: str) -> bool:
    """A "name" read in a title-case headline, with its verb: "Glenn Beck Blasts Drudge", "Donald
    Trump Tweets" (a capitalised verb after the first word).

    >>> headline_name("Glenn Beck Blasts Drudge"), headline_name("Glenn Beck")
    (True, False)
    """
    tokens = name.split()
    return len(tokens) > 2 and any(t[:1].isupper() and t.lower() in _HEADLINE_VERBS for t in tokens[1:])


_NOT_A_NAME_CHAR = re.compile(r"[/\d:@#|()\n]")  # not "Victoria \n \n Victoria" either
_PLAIN_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|del|al|bin|ibn|la|le))+")


_SURNAME_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "della", "di", "du", "la", "le", "al", "bin", "ibn"})


@lru_cache(maxsize=16)
def _completer(person_names: tuple[str, ...], others: frozenset[str] = frozenset()) -> Callable[[str | None], str | None]:
    """:func:`name_completer` for the person names of one article (cached: called per sentence);
    ``others`` are the article's names of organisations and things, never completed as first names."""
    person_names = tuple(n for n in person_names if not _NOT_A_NAME_CHAR.search(n) and not headline_name(n))  # not "Andrew Harnik/AP Sessions"
    full = canonical_names(person_names) if person_names else {}
    by_surname: dict[str, str | None] = {}
    by_first: dict[str, str | None] = {}
    by_ends: dict[tuple[str, str], str] = {}
    for name in dict.fromkeys(full.values()):  # first-seen order: the result must not depend on hashing
        parts = name.split()
        if len(parts) > 1:
            by_ends.setdefault((parts[0], parts[-1]), name)
            # A surname two people share ("Chris White", "Dana White") is not completed.
            by_surname[parts[-1]] = name if by_surname.get(parts[-1], name) == name else None
            # Not a first name of a product or a thing spaCy labels a person only now and then ("Facebook"
            # of "Facebook Live").
            if _PLAIN_NAME.fullmatch(name) and parts[0] not in others and name not in others and parts[0].lower() not in _PARSED_VERBS:
                by_first[parts[0]] = name if by_first.get(parts[0], name) == name else None

    def complete(name: str | None) -> str | None:
        if name is None:
            return None
        words = name.split()
        reversed_name = by_ends.get((words[-1], words[0])) if len(words) == 2 else None
        if reversed_name and len(reversed_name.split()) > 2:
            return reversed_name  # "Trump Donald" (a garbled byline) is "Donald J. Trump"
        if " " not in name and by_surname.get(name):
            return by_surname[name]
        if " " in name and name.split()[0].lower() in _SURNAME_PARTICLES:
            # A surname of several words ("Van Camp") is the one full name it ends ("Bob Van Camp").
            longer = [n for n in by_ends.values() if n.endswith(" " + name)]
            if len(longer) == 1:
                return longer[0]
        if name in full and (" " in full[name] or name in by_surname):
            return full[name]
        if " " not in name and name not in by_surname and by_first.get(name):
            # A first name alone, as family members sharing a surname are called ("Copper" for
            # Copper Comita beside John Comita), when one full name of the article begins with it.
            return by_first[name]
        return full.get(name, name)

    return complete


_CLAUSE_END = re.compile(r"[,.;:!?“”\"\n]")


def _describes(text: str, end: int, limit: int, speaker_tokens: set[str]) -> bool:
    """The name ending at ``end`` describes the speaker named later in its clause: "said Akron STEM
    High School Junior Myia Culbreath" names nobody but Myia Culbreath."""
    m = _CLAUSE_END.search(text, end, limit)
    for word in text[end : m.start() if m else limit].split():
        if word in speaker_tokens:
            return True
        if not word[:1].isupper():
            return False  # a verb or any lower-case word: "Bush then called on Clinton" names Bush
    return False


_GAP_VERB = re.compile(rf"\b(?:{_VERBS})\b")


def _in_attribution(text: str, quote_end: int, pos: int) -> bool:
    """``pos`` lies after the verb of the attribution that follows the quote ending at ``quote_end``,
    in the same paragraph: '“…,” the president said in Fargo, during a rally for …, Rep. Kevin
    Cramer. “…”' (Cramer is where he spoke, not who); or inside its speaker phrase, before the verb."""
    gap = text[quote_end:pos]
    verb = _GAP_VERB.search(gap, 0, 80)
    if verb is None and (later := _GAP_VERB.search(text, pos, min(len(text), quote_end + 80))) is not None:
        # '“…,” Amadou, 35, from Mauritania told AFP.': a name in the speaker phrase, before its verb,
        # describes the speaker.
        head = text[quote_end : later.end()]
        return "\n" not in head and not _SENTENCE_END.search(head) and _speaker_phrase_after(head.lstrip("”\"’'")) is not None
    if "\n" in gap or _speaker_phrase_after(gap.lstrip("”\"’'")) is None:
        return False  # the quote is not followed by its attribution ('“…” after being told')
    return (
        verb is not None and verb.end() <= pos - quote_end and not _SENTENCE_END.search(gap, 0, verb.start())
        and not _SENTENCE_END.search(gap, verb.end())  # the attribution's own sentence
    )  # fmt: skip


def _inside(pos: int, quotes: list[QuoteSpan]) -> bool:
    return any(q.start <= pos < q.end for q in quotes)


# Not after an initial, an abbreviated title ("Sen. Claire McCaskill"), "i.e." or "v.".
_SENTENCE_END = re.compile(
    r"(?=[.!?])(?<![A-Z])(?<!\b[a-z])" + _NOT_ABBREVIATED + r"[.!?][”\"’']?\s+(?=[A-Z“\"‘])|\n"
)
_NAMED_SPEAKER = re.compile(rf"\b([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{0,2}}),?\s+(?:{_VERB})\b")


# A sentence that ends in "according to" its source: '… “…” to the agency, according to its chief executive.'
_TAIL_ACCORDING = re.compile(r"[^.!?“”\"\n]{0,240}?,\s+according\s+to\s+(?P<spk>[^,.;:!?“”\"\n]{1,80}?)\s*[.!?](?:\s|$)")
# A sentence that ends in its attribution: '… "tormented by the fact" that …, Patrick Kennedy said.'
_TAIL_ATTRIBUTION = re.compile(
    rf"[^.!?“”\"\n]{{0,240}}?,\s+(?:(?P<spk>{_SPK_CHAR}{{1,60}}?)\s+(?:{_VERB})|(?:{_VERB})\s+(?!(?:in|on|at|a|an|to|for|with|by|from|that)\b)(?P<spk2>{_SPK_CHAR}{{1,60}}?))"
    r"(?:\s+\w+){0,3}\s*[.!?]"
)


@lru_cache(maxsize=4)
def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of ``text`` starts (after each sentence end), found once per text."""
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` (after the last sentence end at or before it, within
    1,500 characters; a sentence opening at ``pos`` starts there)."""
    ends = _sentence_ends(text)
    k = bisect_right(ends, pos)
    return ends[k - 1] if k and ends[k - 1] >= pos - 1500 else 0


def _subject_before(
    text: str,
    pos: int,
    persons: Sequence[Mention],
    quotes: list[QuoteSpan],
    limit: int = 1500,
    agrees: Callable[[str], bool] | None = None,
) -> str | None:
    """The first person named in the nearest sentence before ``pos`` that names one, passing over a
    sentence whose subject is itself a pronoun and whose persons do not speak ("Mozes was criticised.
    In 2012 she was nominated to represent Unicef …": "she" is still Mozes, not Unicef); with
    ``agrees`` (the gender of "he" or "she"), a sentence whose subject does not agree with it is
    passed over too ("Bunch said she took part in Kairos prison ministry" gives no "he")."""
    floor = max(0, pos - limit)
    persons = [m for m in persons if not _attributive(text, m)]
    while True:
        candidates = [m for m in persons if floor <= m.start < pos and not _inside(m.start, quotes)]
        if not candidates:
            return None
        s0 = _sentence_start(text, candidates[-1].start)
        sentence = [m for m in candidates if m.start >= s0]
        if not _pronoun_subject_sentence(text, s0, sentence) or s0 <= floor:
            titled = _TITLE_SUBJECT.match(text, s0, sentence[0].start)
            if (
                titled and titled.group("title") in TITLES - _TITLE_ADJECTIVES
                and not _RELATIVE.search(titled.group("spk"))
                and not any(_SAYS_AFTER.match(text, m.end, m.end + 40) for m in sentence)
            ):  # fmt: skip
                # "The president predicted that she …, even though Heitkamp voted to confirm Gorsuch."
                holder = _title_holder(text, s0, titled.group("spk"), persons)
                if holder != titled.group("spk") and (agrees is None or agrees(holder)):
                    return holder
            subject = _pick_subject(text, sentence)
            if agrees is None or agrees(subject):
                return subject
        pos = s0


# A name after an article modifies a noun: no person is the subject there.
_ATTRIBUTIVE = re.compile(r"\b(?:a|an)\s+$")
_THE = re.compile(r"\b[Tt]he\s+$")
_LOWER_NEXT = re.compile(r"\s+([a-z]+)\b")


def _attributive(text: str, m: Mention) -> bool:
    """The name modifies a noun ("a Trump rally", "the Frank Sinatra ballad", "The Comita family"),
    not a verb ("the Conservative Party said", "The Sanduskys spared")."""
    if _ATTRIBUTIVE.search(text, max(0, m.start - 5), m.start):
        return True
    nxt = _LOWER_NEXT.match(text, m.end) if _THE.search(text, max(0, m.start - 5), m.start) else None
    if nxt is None:
        return False
    word = nxt.group(1)
    return not (word in _PARSED_VERBS or word in _CLAUSE_WORDS or word in _MODALS or word.endswith("ed"))
_SUBJECT_PRONOUN = re.compile(r"(?:[^\s,]+\s+){0,3}?(?:he|she)\s+(?!said|says|told|wrote|added)[a-z]+", re.IGNORECASE)


def _pronoun_subject_sentence(text: str, s0: int, sentence: Sequence[Mention]) -> bool:
    """The sentence opens with "he" or "she" as its subject (within its first four words, before any
    person) and none of its persons speaks ("In 2012 she was nominated to represent Unicef")."""
    m = _SUBJECT_PRONOUN.match(text, s0, sentence[0].start)
    if m is None or any(w[:1].isupper() for w in text[s0 : m.end()].split()[1:-2]):
        return False
    return not any(
        _SAYS_AFTER.match(text, p.end, p.end + 40) or _SAYING_AFTER.match(text, p.end, p.end + 40)
        or _SAYS_BEFORE.search(text, max(0, p.start - 30), p.start)
        for p in sentence
    )


_DOC_NOUN = re.compile(rf"(?:{_DOC_NOUNS})s?")


def _is_document(speaker: str | None) -> bool:
    """The speaker is a written text named by its noun alone ("booklet", "notes")."""
    return bool(speaker) and _DOC_NOUN.fullmatch(speaker.split()[-1].lower()) is not None and len(speaker.split()) <= 2


_IN_ACCOUNT = re.compile(
    r"\b(?:In|By)\s+(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})['’]s?\s+(?:own\s+)?"
    r"(?:account|view|words|version|telling|recollection|retelling|estimation|opinion)\b"
)


# People spoken of as a group: "they" or "their" refers back to "Illinois government officials warn …".
_GROUP_NOUNS = (
    "officials|authorities|police|officers|investigators|detectives|prosecutors|researchers|scientists|experts|"
    "doctors|lawmakers|legislators|leaders|organizers|organisers|activists|protesters|protestors|residents|"
    "witnesses|analysts|lawyers|attorneys|representatives|spokespeople|executives|managers|workers|employees|"
    "students|teachers|parents|relatives|neighbors|neighbours|villagers|rescuers|firefighters|troops|soldiers|"
    "rebels|militants|diplomats|regulators|inspectors|economists|staff|volunteers|campaigners|critics|fans"
)
_GROUP_SUBJECT = re.compile(
    rf"(?:^|,\s+|\n)\s*(?:The\s+|the\s+)?(?P<spk>(?:[A-Z][\w&'’.-]*\s+){{0,4}}(?:[a-z][\w-]*\s+){{0,2}}(?:{_GROUP_NOUNS}))"
    rf"\s+(?:[a-z]+ly\s+)?(?:have|has|had|are|were|will|would|also|[a-z]{{3,}}(?:ed)?)\b"
)
_THEY_PHRASE = re.compile(r"(?i:they|their\s+(?:message|statement|response|reply|answer|warning|advice|words|verdict)\b.*)")
# "them" heard saying something: the people named by a plural noun just before ("Looking at the crowds on TV,
# hearing them chant “…”"; "he heard one of them tell their captives: “…”" after "the gunmen").
_THEM_PHRASE = re.compile(r"(?i:(?:one\s+of\s+)?them)")
_PLURAL_PEOPLE = re.compile(
    rf"\b(?:{_GROUP_NOUNS}|crowds|people|supporters|voters|demonstrators|gunmen|attackers|assailants|robbers|"
    r"kidnappers|hijackers|captors|hostages|passengers|"
    r"spectators|onlookers|marchers|mourners|children|men|women)\b"
)


def _plural_antecedent(text: str, pos: int, quotes: list[QuoteSpan]) -> str | None:
    """The plural noun of people named first in this sentence before ``pos``, else in the one before
    (the subject comes first: "He said the gunmen took 20 hostages, and he heard one of them tell …"
    -> "gunmen"; "Looking at the crowds on TV, hearing them chant" -> "crowds")."""
    s0 = _sentence_start(text, max(0, pos - 1))
    for start, end in ((s0, pos), (_sentence_start(text, max(0, s0 - 1)) if s0 else s0, s0)):
        found = [m for m in _PLURAL_PEOPLE.finditer(text, start, end) if not _inside(m.start(), quotes)]
        if found:
            return found[0].group(0)
    return None


def _group_antecedent(text: str, pos: int) -> str | None:
    """The group "they" (or "their message") refers to: a plural noun of people that is the subject
    of one of the three sentences before ``pos``, the nearest first ("Illinois government officials
    warn …. They have issued this advisory: “…”")."""
    seen = 0
    while seen < 3 and pos > 0:
        start = _sentence_start(text, pos - 1)
        m = _GROUP_SUBJECT.search(text[start:pos])
        if m:
            return m.group("spk")
        seen += bool(text[start:pos].strip())  # a blank line is no sentence
        pos = start
    return None


def _resolve_pronoun(
    text: str,
    first_start: int,
    s0: int,
    prefix: str,
    persons: Sequence[Mention],
    quotes: list[QuoteSpan],
    last_speaker: str | None,
    last_quote_end: int,
    agrees: Callable[[str], bool] | None = None,
    confirmed: Callable[[str], bool] | None = None,
) -> str | None:
    """Who "he said" is: a person of its own sentence who speaks there ("Morgan said …: “…,” he
    said"); else the last speaker when nobody else was named since; else the subject before. With
    ``agrees`` (the pronoun's gender, :func:`_gender_agreement`), a person of the other gender or an
    organisation is passed over: "she" after a statement of the BSA is the mother named before it."""
    own = [m for m in persons if s0 <= m.start < first_start and not _inside(m.start, quotes)]
    if agrees is not None:
        own = [m for m in own if agrees(m.name)]
    speaking = [m for m in own if _SPEAKS_AFTER.match(text, m.end, m.end + 40)]
    if speaking and not _PRONOUN_START.match(prefix):
        return speaking[0].name
    opener = [m for m in own if not text[s0 : m.start].strip() and not _attributive(text, m)]
    if opener and prefix.rstrip().endswith(":"):
        # 'Jesse reiterated that sentiment in a statement: “…,” he said': the subject of the sentence the
        # quote completes.
        return opener[0].name
    if agrees is not None and not (last_speaker and confirmed and confirmed(last_speaker)):
        # 'As Swonger stood outside, his mother suddenly opened the door. “…,” she says': an unnamed relative
        # whose gender the pronoun agrees with, the subject of the sentence before or of this one, with
        # no person of that gender named after it, unless the text has shown the last speaker has that gender.
        kin = [
            k for k in _KIN_SUBJECT.finditer(text, _sentence_start(text, max(0, s0 - 1)) if s0 else 0, first_start)
            if k.start() > last_quote_end and not _inside(k.start(), quotes) and agrees(k.group("kin"))
        ]  # fmt: skip
        if kin and not any(kin[-1].end() <= m.start < first_start and agrees(m.name) for m in persons):
            return kin[-1].group("kin").lower()  # named after all when the text says who: _named_relative
    framed = _IN_ACCOUNT.search(text, _sentence_start(text, max(0, s0 - 1)) if s0 else 0, first_start)
    if framed and (agrees is None or agrees(framed.group("name"))):
        # 'In Trump's account of the meeting, pastors did not ask him …. “…,” he told reporters': the
        # sentence before (or this one) frames what follows as that person's account.
        return framed.group("name")
    if last_speaker and _is_document(last_speaker):
        last_speaker = None  # "he" or "she" is no booklet
    if last_speaker and agrees is not None and not agrees(last_speaker):
        last_speaker = None
    if last_speaker and 0 <= last_quote_end and s0 - last_quote_end < 600:
        last_tokens = set(last_speaker.split())
        between = [
            m for m in persons
            if last_quote_end <= m.start < s0 and not _short_form(m.name, last_tokens) and not _in_caption(text, m.start)
            and (agrees is None or agrees(m.name)) and not _in_attribution(text, last_quote_end, m.start)
        ]  # fmt: skip
        if not between:
            return last_speaker
        if _subject_again(text, last_speaker, max(m.end for m in between), s0):
            return last_speaker  # '… by Prause's colleague Rory Reid. However, Prause notes, …. “…,” she said'
    anchor = s0 if prefix.strip() else first_start - 1
    return _subject_before(text, anchor, persons, quotes, agrees=agrees) or last_speaker


def _subject_again(text: str, speaker: str, start: int, end: int) -> bool:
    """The last speaker is named again (by the surname alone too) as the subject of a verb between
    ``start`` and ``end``, after the other persons named since the last quote: "he" is still them."""
    surname = speaker.split()[-1]
    if not surname[:1].isupper() or len(surname) < 3:
        return False
    pattern = rf"\b{re.escape(surname)}\b(?!['’]s\b),?\s+(?:[a-z]+ly\s+)?(?:{_VERB}|[a-z]{{3,}}(?:es|ed))\b"
    return re.search(pattern, text[start:end]) is not None


# --- gender: "he" and "she" agree with the persons the text refers to so --------------------------

_FEMALE = frozenset(
    {
     "she", "her", "hers", "herself", "mrs", "ms", "miss", "dame", "lady", "queen", "princess", "mother", "wife",
     "daughter", "sister", "aunt", "grandmother", "granddaughter", "niece", "girlfriend", "fiancee", "fiancée",
     "widow", "mom", "mum", "actress", "spokeswoman", "congresswoman", "chairwoman", "councilwoman",
     "businesswoman", "woman", "girl", "stepmother", "duchess", "empress", "sister-in-law", "mother-in-law",
    }
)  # fmt: skip
_MALE = frozenset(
    {
     "he", "him", "his", "himself", "mr", "sir", "lord", "king", "prince", "father", "husband", "son", "brother",
     "uncle", "grandfather", "grandson", "nephew", "boyfriend", "fiance", "fiancé", "widower", "dad", "spokesman",
     "congressman", "chairman", "councilman", "businessman", "man", "boy", "stepfather", "duke", "emperor",
     "brother-in-law", "father-in-law",
    }
)  # fmt: skip
# A family word without a determiner names someone, as a pronoun does: '“…,” says mom.'
_BARE_KIN = BARE_KIN


def _described_as(text: str, pos: int, word: str, persons: Sequence[Mention]) -> str | None:
    """The person the text calls ``word`` ("mom"), nearest before ``pos``: the word (or its plural)
    right before the name ("Unlike many moms, Barbara Soper …", "mom Ana Ruiz") or in an apposition
    right after it ("Ana Ruiz, a mom of three,")."""
    before = re.compile(rf"\b(?i:{re.escape(word)})s?,?\s+$")
    after = re.compile(rf",\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,3}}?(?i:{re.escape(word)})\b")
    found = [
        m for m in persons
        if m.start < pos and " " in m.name
        and (before.search(text, max(0, m.start - 40), m.start) or after.match(text, m.end, m.end + 60))
    ]  # fmt: skip
    return found[-1].name if found else None
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady|King|Queen|Prince|Princess)\.?\s+$")
_ROLE_BEFORE = re.compile(r"\b([a-z][a-z-]+),?\s+$")
# Pronouns that refer back to a name (not "his", "her" or "him", often someone else's: "Warren was
# unmoved by his apology"): "Collins said she …", a reflexive, "he"/"she" opening the next sentence.
_SAID_PRONOUN = re.compile(rf"(?:,[^,.;:!?“”\"\n]{{1,80}},)?\s+(?:also\s+|later\s+)?(?:{_VERB})\s+(?:that\s+)?(?P<p>he|she)\b")
_REFLEXIVE = re.compile(r"\b(?:himself|herself)\b")
_OPENING_PRONOUN = re.compile(r"(?:[A-Za-z,]+\s+){0,2}?(?P<p>[Hh]e|[Ss]he)\b")


_GENDERED_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})


def _word_gender(word: str) -> str | None:
    word = word.lower().strip(".,")
    return "f" if word in _FEMALE else "m" if word in _MALE else None


class _Spans:
    """A growing set of (start, end) spans asked whether a span overlaps one or a position falls in
    one: by bisection while the spans are non-empty and disjoint (spaCy's entities, and spans added
    only when they overlap none, are), else by a plain scan; the same answers either way, without
    the quadratic cost of a scan per question on a long article."""

    def __init__(self, spans: Sequence[tuple[int, int]] = ()) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.disjoint = all(a < b for a, b in self.spans) and all(
            b0 <= a1 for (_, b0), (a1, _) in zip(self.spans, self.spans[1:]))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span (a, b) has a < end and start < b."""
        if not self.disjoint:
            return any(a < end and start < b for a, b in self.spans)
        i = bisect_left(self.starts, end) - 1  # the last span starting before ``end``: the latest end
        return i >= 0 and start < self.spans[i][1]

    def holds(self, pos: int) -> bool:
        """Whether some span (a, b) has a <= pos < b."""
        if not self.disjoint:
            return any(a <= pos < b for a, b in self.spans)
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.spans, (start, end))
        if self.disjoint and not (
            start < end and (i == 0 or self.spans[i - 1][1] <= start) and (i == len(self.spans) or end <= self.spans[i][0])
        ):
            self.disjoint = False
        self.spans.insert(i, (start, end))
        self.starts.insert(i, start)


def _genders(
    text: str, persons: Sequence[Mention], spans: Sequence[tuple[int, int]], complete: Callable[[str | None], str | None]
) -> dict[str, str]:
    """The gender the text gives each person (by full name), outside quotes: an honorific or a
    gendered role word before the name ("Mrs. Lee", "his mother, Janis Sharp") or in an apposition
    after it ("Copper Comita, Reid's mother,"); "he" or "she" reporting the name's own words ("Collins
    said she would prefer"); a reflexive in its sentence; and "he" or "she" opening the next sentence
    when the name opens its own ("Mozes was criticised. In 2012 she was nominated"). The majority of
    that evidence, or none when it is split."""
    votes: dict[str, Counter[str]] = {}
    quoted = _Spans(spans)
    ordered = [m for m in persons if m.kind == "person" and not quoted.holds(m.start)]
    seen_starts: list[int] = []  # the starts of ordered[:k], sorted
    for k, m in enumerate(ordered):
        vote = votes.setdefault(complete(m.name) or m.name, Counter())
        honorific = _HONORIFIC_BEFORE.search(text, max(0, m.start - 12), m.start)
        role = _ROLE_BEFORE.search(text, max(0, m.start - 30), m.start)
        appo = _ROLE_APPOSITION.match(text, m.end, m.end + 80)
        for word in (honorific and honorific.group(1), role and role.group(1), appo and appo.group("desc").split()[-1]):
            if word and word.lower() not in _GENDERED_PRONOUNS and _word_gender(word):  # "plan for her, Kessler"
                vote[_word_gender(word) or ""] += 2
        nxt = ordered[k + 1].start if k + 1 < len(ordered) else len(text)
        said = _SAID_PRONOUN.match(text, m.end, min(nxt, m.end + 120))
        if said:
            vote[_word_gender(said.group("p")) or ""] += 1
        s0 = _sentence_start(text, m.start)
        stop = _SENTENCE_END.search(text, m.end, min(len(text), m.end + 400))
        s1 = stop.end() if stop else len(text)
        reflexive = _REFLEXIVE.search(text, m.end, min(nxt, s1))
        if reflexive:
            vote[_word_gender(reflexive.group(0)) or ""] += 1
        first_in_sentence = bisect_left(seen_starts, m.start) <= bisect_left(seen_starts, s0)
        insort(seen_starts, m.start)
        opening = _OPENING_PRONOUN.match(text, s1, min(len(text), s1 + 40)) if stop and first_in_sentence else None
        if opening and opening.end("p") <= nxt:
            vote[_word_gender(opening.group("p")) or ""] += 1
    out = {}
    for name, vote in votes.items():
        if vote["m"] != vote["f"]:
            out[name] = "m" if vote["m"] > vote["f"] else "f"
    return out


_ORG_WORDS = frozenset(
    {
     "authority", "association", "agency", "department", "ministry", "company", "inc", "corp", "group", "university",
     "college", "school", "police", "committee", "council", "commission", "party", "news", "times", "post", "bank",
     "church", "foundation", "institute", "center", "centre", "court", "service", "office", "board", "club", "team",
     "network", "union", "army", "navy", "force", "administration", "government", "house", "senate", "congress",
    }
)  # fmt: skip


def _maybe_person(name: str) -> bool:
    """Two or three name words, none an organisation's: spaCy's organisation may be a person ("Bill
    Warrin" said, then "he added")."""
    tokens = name.split()
    return (
        2 <= len(tokens) <= 3 and not name.isupper() and all(_NAME_TOKEN.match(t) for t in tokens)
        and not any(t.lower() in _ORG_WORDS for t in tokens)
    )  # fmt: skip


def _gender_agreement(
    pronoun: str | None,
    genders: dict[str, str],
    complete: Callable[[str | None], str | None],
    organizations: frozenset[str],
) -> Callable[[str], bool] | None:
    """Whether a name can be what ``pronoun`` ("he", "she") refers to: not an organisation or a
    document, and not a person (or a described one: "his mother") the text gives the other gender;
    None for a pronoun without gender."""
    gender = _word_gender(pronoun.split()[0]) if pronoun and pronoun.split() else None
    if gender is None:
        return None

    def agrees(name: str) -> bool:
        if name in organizations or _is_document(name):
            return False
        known = genders.get(complete(name) or name) or (_word_gender(name.split()[-1]) if name[:1].islower() else None)
        return known is None or known == gender

    return agrees


def _short_form(name: str, speaker_tokens: set[str]) -> bool:
    """``name`` is the speaker's name or a part of it ("Trump", "Von Trapp", "Jamshedpur’s Saddam" of
    "Saddam Hussain"), not another person sharing a word with it ("Mohamed bin Salman" after "Salman
    al-Ansari")."""
    lower = {t.lower() for t in speaker_tokens}
    words = [w.lower() for w in name.split() if not w.endswith(("’s", "'s"))]
    return bool(words) and set(words) <= lower


_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)


def _pronoun_subject(text: str, s0: int, prefix: str, own: Sequence[Mention]) -> bool:
    """The sentence's subject is a pronoun named before any person and no person of it speaks:
    'A minute later she addressed a Tweet to “President Obama” …, saying she liked people “…”'."""
    m = _PRONOUN.search(prefix)
    if m is None or any(p.start < s0 + m.start() for p in own):
        return False
    return not any(_SAYS_AFTER.match(text, p.end, p.end + 40) or _SAYING_AFTER.match(text, p.end, p.end + 40) for p in own)


def _in_caption(text: str, pos: int) -> bool:
    """``pos`` is on a line that does not end as a sentence does (a caption, a heading, a credit), and
    no sentence ends between it and the line's end (not a whole article printed as one line)."""
    end = text.find("\n", pos)
    line = text[pos : end if end >= 0 else len(text)].rstrip()
    return not line.endswith((".", "!", "?", "”", '"', "’", "'", ")", ":")) and not _NEXT_SENTENCE.search(line)


_NEXT_SENTENCE = re.compile(r"[a-z]{2}[.!?][”\"’']?\s+[A-Z]")


_SAYS_AFTER_APPOSITION = re.compile(rf",\s+[^,.;:!?“”\"\n]{{1,70}},\s+(?:also\s+|later\s+|then\s+)?(?:{_VERB})\b")


def _pick_subject(text: str, mentions: Sequence[Mention]) -> str:
    """Of the persons named in one sentence, the one a verb of saying follows (after an apposition:
    "Dr. Nirav Shah, director of the Illinois Department of Public Health, said"), else the first."""
    for m in mentions:
        if _SAYS_AFTER.match(text, m.end, m.end + 40) or _SAYS_AFTER_APPOSITION.match(text, m.end, m.end + 100):
            return m.name
    for m in mentions:
        if _SAYING_AFTER.match(text, m.end, m.end + 40):  # "…, with Ed Winter confirming that “…”"
            return m.name
    for m in mentions:
        if _SAYS_BEFORE.search(text, max(0, m.start - 30), m.start) and not re.match(r"['’]s?\b", text[m.end : m.end + 3]):
            return m.name  # "…, pointed out Scott Kessler", not "said Ivanka Trump's statement"
    main = [m for m in mentions if not _in_opening_phrase(text, m)]
    return (main or mentions)[0].name


def _in_opening_phrase(text: str, m: Mention) -> bool:
    """``m`` lies in the prepositional phrase that opens its sentence, before its comma ("On The Steve
    Harvey Morning Show on Tuesday, Clinton criticized …": not Harvey)."""
    lead = text[_sentence_start(text, m.start) : m.start].lstrip(" \t\n\"“")
    return bool(lead.split()) and lead.split()[0] in _OPENING_PREPOSITIONS and "," not in lead


def _with_named_speakers(text: str, persons: Sequence[Mention]) -> list[Mention]:
    """Person mentions plus capitalised names right before a verb of saying that spaCy missed."""
    # A "name" inside quotation marks is a title ("Sweetener"), not a person.
    out = [
        m for m in persons
        if m.kind == "person" and not (m.start > 0 and text[m.start - 1] in "\"“‘'" and text[m.end : m.end + 1] in "\"”’',")
    ]  # fmt: skip
    taken = _Spans([(m.start, m.end) for m in out])
    for m in _NAMED_SPEAKER.finditer(text):
        words = m.group(1).split()
        while words and words[0].lower() in _SKIP_FIRST | _LEADING:
            words.pop(0)
        name = strip_titles(" ".join(words))
        if not name or name.split()[0].lower() in _PRONOUNS | {"it", "this", "that", "there"}:
            continue
        if is_organisation_name(" ".join(words)):
            continue  # "the State Department said": an organisation, no person
        if all(w.lower().strip(".") in TITLES for w in name.split()):
            continue  # "The new King promised": a title, resolved to its holder elsewhere, is no name
        start = m.start(1) + m.group(1).rfind(name)
        if taken.overlaps(start, start + len(name)):
            continue
        out.append(Mention(name, "person", start, start + len(name)))
    # Every later mention of a person's surname alone ("Schiller" after "Vivian Schiller").
    # Not a word spaCy also tags as an organisation or place ("Embed Yahoo" is no person named Yahoo).
    other = Counter(m.name for m in persons if m.kind != "person")
    as_person = Counter(m.name.split()[-1] for m in out)
    surnames = {
        m.name.split()[-1] for m in out
        if len(m.name.split()[-1]) > 2 and m.name[:1].isupper() and other[m.name.split()[-1]] <= as_person[m.name.split()[-1]]
    }  # fmt: skip
    for surname in sorted(surnames):
        for m in re.finditer(rf"\b{re.escape(surname)}\b(?!['’]s\b)", text):
            if not taken.overlaps(m.start(), m.end()):
                out.append(Mention(surname, "person", m.start(), m.end()))
                taken.add(m.start(), m.end())
    # And every mention of a first name alone that one full name begins ("For Copper, the loss …" after
    # "Copper Comita"), as family members sharing a surname are called; not a word that also opens the
    # name of an organisation, a place or a thing, nor a surname.
    full = [m.name for m in out if len(m.name.split()) >= 2 and _PLAIN_NAME.fullmatch(m.name)]
    firsts = Counter(n.split()[0] for n in dict.fromkeys(full))
    non_person_words = {m.name.split()[0] for m in persons if m.kind != "person"}
    alone = [
        f for f, n in sorted(firsts.items())
        if n == 1 and len(f) > 2 and f not in surnames and f not in non_person_words
        and f.lower() not in _PARSED_VERBS and f.lower() not in TITLES and not is_place(f)
    ]  # fmt: skip
    if alone:  # one pattern for all (the re module's cache is full: each pattern would be compiled anew)
        for m in re.finditer(rf"\b(?:{'|'.join(map(re.escape, alone))})\b(?!['’]s\b)(?!\s+[A-Z])", text):
            if not taken.overlaps(m.start(), m.end()):
                out.append(Mention(m.group(0), "person", m.start(), m.end()))
                taken.add(m.start(), m.end())
    return sorted(out, key=lambda x: x.start)


def _person_in(speaker: str | None, person_names: Sequence[str]) -> str | None:
    """A full person name the speaker phrase ends with, its descriptor dropped: "Neighbour Derek
    Mackinnon" -> "Derek Mackinnon" (sentence-initial capitals that are no title)."""
    if speaker and " " in speaker and speaker not in person_names:
        for name in person_names:
            if speaker.endswith(" " + name):
                return name
    return speaker


def _persons_before(mentions: Sequence[Mention], pos: int, floor: int) -> list[Mention]:
    return [m for m in mentions if m.kind == "person" and floor <= m.start < pos]


# Verbs whose subject is the source of a quote they govern, for the parsed fallback (any form).
_PARSED_VERBS = frozenset(
    set(_VERBS.replace(" ", "|").split("|")) | set(_PARTICIPLES.split("|"))
    | {
        "state", "states", "stated", "decide", "decides", "decided", "rule", "rules", "ruled", "find", "finds",
        "found", "call", "calls", "called", "calling", "describe", "describes", "describing", "label", "labels",
        "labeled", "labelled", "deem", "deemed", "believe", "believes", "believed", "think", "thinks", "thought",
        "urge", "urges", "urged", "urging", "accuse", "accuses", "accused", "accusing", "post", "posts",
        "reads", "read", "hope", "hopes", "hoped", "feel", "feels", "felt", "want", "wants", "wanted", "say",
        "write", "tell", "add", "note", "ask", "insist", "argue", "warn", "claim", "admit", "deny", "denied",
        "vow", "promise", "promises", "pledge", "pledges", "insisting", "blast", "blasted", "slammed", "praised",
        "criticized", "criticised", "dismissed", "defended", "described", "branded", "characterized", "demanded", "demands", "declare", "explain", "recall", "boast", "boasts", "mocked", "joke", "alleges", "alleging",
    }
)  # fmt: skip
_SUBJECT_PARTS = frozenset({"det", "compound", "amod", "nmod", "poss", "case", "nummod", "quantmod", "flat"})
_QUOTE_MARKS = frozenset('"“”‘’\'«»„')


_CLAUSE_WORDS = frozenset(
    {"was", "were", "is", "are", "has", "had", "could", "would", "will", "he", "she", "they", "it", "that", "which",
     "who", "because", "after", "when", "him", "her", "them"}
)  # fmt: skip


def _fragment(speaker: str) -> bool:
    """A speaker the patterns cut from a clause ("grabbed his wife by the neck after he"), not a name."""
    words = speaker.split()
    return len(words) >= 3 and any(w in _CLAUSE_WORDS for w in words)


# Common nouns by which a text refers back to an organisation it has named ("the station claimed").
_ORG_NOUNS = frozenset(
    {"station", "paper", "newspaper", "network", "channel", "broadcaster", "magazine", "outlet", "company", "firm",
     "agency", "group", "organization", "organisation", "force", "airline", "bank", "retailer", "carrier", "chain",
     "charity", "union", "league", "club", "team", "publication", "tabloid", "daily"}
)  # fmt: skip


# A statement that opens by naming its issuer: "The Coast Guard can confirm that …", "Acme regrets …".
_SELF_NAMING = re.compile(
    r"(?:The\s+)?[A-Z][^,.;:!?“”\"\n]{0,60}?\s+(?:can|could|would\s+like\s+to|wishes\s+to|is\s+aware|"
    r"has\s+confirmed|confirms|regrets|apologi[sz]es|deeply\s+regrets)\b"
)


# A piece of writing is its publication's, when the text quoted a publication before.
_WRITINGS = frozenset({"article", "story", "piece", "column", "editorial"})
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ish|ese|ic|an|i)")


def _named_organization(
    speaker: str | None,
    pos: int,
    organizations: Sequence[Mention],
    quotes: list[QuoteSpan],
    text: str = "",
    named_things: Sequence[Mention] = (),
) -> str | None:
    """"station" (from "the station claimed") is the organisation named last before ``pos`` (within
    1,500 characters, outside quotes): "KTVU"; or the one the quote at ``pos`` opens with as it
    speaks of itself ('“The Canadian Special Operations Command can confirm …,” the force said'); or,
    when its own sentence names none, the subject of the sentence before among ``named_things``
    (organisation and other non-person mentions);
    any other speaker is returned as it is."""
    if not speaker or len(speaker.split()) > 3 or speaker.split()[-1] not in _ORG_NOUNS:
        return speaker
    if not speaker[:1].islower() and not _DEMONYM.fullmatch(speaker.split()[0]):
        return speaker  # "the Jewish organization" refers back like "the organization"; "Acme Bank" does not
    opening = _SELF_NAMING.match(text, pos) if text else None
    if opening:
        own = [m for m in organizations if pos <= m.start < pos + 5 and m.end <= opening.end()]
        if own:
            return own[0].name
    named = [m for m in organizations if pos - 1500 <= m.start < pos and not _inside(m.start, quotes)]
    s0 = _sentence_start(text, pos - 1) if text else 0
    if text and not any(m.start >= s0 for m in named):
        subject = _organization_subject_before(text, s0, named_things)
        if subject:
            return subject  # "Joint Task Force 2 is a unit that …, after the Armed Forces …. The group says"
    return named[-1].name if named else speaker


# A sentence opening with a name as its subject: "Joint Task Force 2 is a specialized unit".
_NAME_SUBJECT = re.compile(r"(?:The\s+)?(?P<name>[A-Z][\w'’.&-]*(?:\s+(?:[A-Z0-9][\w'’.&-]*|of|and|for))*)\s+(?:is|was|are|were|has|had|have|[a-z]{3,}(?:s|ed))\b")


def _organization_subject_before(text: str, s0: int, named: Sequence[Mention]) -> str | None:
    """The organisation (or other non-person name) that is the subject of the sentence before ``s0``."""
    end = s0
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0:
        return None
    start = _sentence_start(text, end - 1)
    while start < end and text[start].isspace():
        start += 1
    m = _NAME_SUBJECT.match(text, start, end)
    if m is None:
        return None
    return next((x.name for x in named if x.start == m.start("name") and x.end == m.end("name")), None)


# An organisation that speaks or issues a text: "The NTSB has released a statement saying …".
_ORG_STATES = re.compile(
    rf"\s+(?:also\s+|has\s+|had\s+|have\s+)?(?:(?:{_VERB})\b|(?:issued|released|put\s+out|posted|sent|provided|gave)\s+"
    rf"(?:(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,3}}\s+)?(?:a|an|the)\s+(?:[a-z]+\s+)?(?:statement|release|letter|note)(?:\s+(?:saying|that|stating)\b|\s*:))"
)


def _stating_organization(
    text: str, s0: int, pos: int, organizations: Sequence[Mention], quotes: list[QuoteSpan]
) -> str | None:
    """The organisation of the quote's own sentence (from ``s0`` to ``pos``) that speaks there; for a
    quote opening its paragraph, of the sentence before when that ends in a colon ("The BSA sent
    WFAA the following statement:")."""
    if not text[s0:pos].strip(" \t\n“\"‘'"):
        end = len(text[:s0].rstrip())
        if not text[:end].endswith(":"):
            return None
        s0, pos = _sentence_start(text, end - 1), end
    for m in organizations:
        if s0 <= m.start < pos and not _inside(m.start, quotes) and _ORG_STATES.match(text, m.end, pos):
            return m.name
    return None


# The relations by which a speaker is described ("his father said", "Smith's lawyer said").
_FAMILY = KIN_RELATIONS
_RELATIONS = frozenset(_FAMILY) | RELATIONS
_RELATIVE_PHRASE = re.compile(rf"(?P<owner>his|her|their|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*['’]s)\s+(?P<rel>{'|'.join(sorted(_RELATIONS))})")
# "his mother suddenly opened": a relative of the family as the subject of a clause.
_KIN_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?,]\s)|(?<=[.!?,]\s\s)|(?<=\n))(?P<kin>(?:[Hh]is|[Hh]er|[Tt]heir)\s+(?:{'|'.join(sorted(_FAMILY))}))\s+(?:[a-z]+ly\s+)?[a-z]{{3,}}(?:ed|s)\b"
)


def _named_relative(
    text: str,
    pos: int,
    speaker: str,
    persons: Sequence[Mention],
    quotes: list[QuoteSpan],
    complete: Callable[[str | None], str | None],
    genders: dict[str, str],
) -> str:
    """The person a relational descriptor names ("his father" -> "John Comita"): the one the text
    describes by that relation ("Reid's father, John Comita", "her lawyer Tom Brown", "John Comita,
    Reid's father,"), else for a family relation the one person sharing the owner's surname whose
    gender fits it; the descriptor as it is when the text names nobody so."""
    m = _RELATIVE_PHRASE.fullmatch(speaker)
    if m is None:
        return speaker
    owner_word, rel = m.group("owner"), m.group("rel")
    if owner_word.lower() in ("his", "her"):
        gender = "m" if owner_word.lower() == "his" else "f"
        owner = _subject_before(
            text, _sentence_start(text, pos - 1) or pos, persons, quotes,
            agrees=lambda n: genders.get(complete(n) or n) in (None, gender),
        )  # fmt: skip
    elif owner_word.lower() == "their":
        owner = None
    else:
        owner = complete(re.sub(r"['’]s$", "", owner_word))
    owner_full = complete(owner) if owner else None
    owner_words = set((owner_full or "").split())
    named = []
    for p in persons:
        full = complete(p.name) or p.name
        if " " not in full or (owner_full and full == owner_full) or _inside(p.start, quotes):
            continue
        before = re.search(rf"\b(?P<own>\w+(?:['’]s)?)\s+{rel}\b,?\s+$", text[max(0, p.start - 60) : p.start])
        appo = _ROLE_APPOSITION.match(text, p.end, p.end + 80)
        after = appo and re.search(rf"\b(?P<own>\w+(?:['’]s)?)\s+{rel}$", appo.group("desc"))
        for hit in (before, after):
            if hit:
                own = re.sub(r"['’]s$", "", hit.group("own"))
                if own.lower() in ("his", "her", "their") or not owner_words or own in owner_words:
                    named.append(full)
    if named:
        return named[-1] if len(set(named)) > 1 else named[0]
    if rel in _FAMILY and owner_full and " " in owner_full:
        surname = owner_full.split()[-1]
        kin = {
            full for p in persons
            if " " in (full := complete(p.name) or p.name) and full != owner_full and full.split()[-1] == surname
            and genders.get(full) in (None, _FAMILY[rel])
        }  # fmt: skip
        if len(kin) == 1:
            return kin.pop()
    return speaker


def _parsed_tail_speaker(text: str, s0: int, start: int, end: int, close_at: int) -> str | None:
    """The name-shaped subject of a verb of saying that follows the quote in its sentence, from the
    parse (parsed only when such a verb follows), or None."""
    if text[:close_at].rstrip("”\"’' \t")[-1:] in (".", "!", "?"):
        return None  # the quote ends its sentence
    stop = _SENTENCE_END.search(text, close_at, min(len(text), close_at + 300))
    verb = _GAP_VERB.search(text, close_at, stop.start() if stop else min(len(text), close_at + 300))
    if verb is None or _QUOTE_MARKS & set(text[close_at : verb.start()]):
        return None
    found = _parsed_subject(text, s0, start, end)
    name = name_from_phrase(found) if found else None
    return name if name and name[:1].isupper() else None


def _parsed_subject(text: str, s0: int, start: int, end: int) -> str | None:
    """The subject of the verb of saying that governs the quote ``text[start:end]`` in its parsed
    sentence (from ``s0`` to the end of the sentence the quote closes in), or None.

    "A U.S. defense official said that the systems had also “detected and tracked” the missile"
    gives "A U.S. defense official"; a pronoun subject comes back as the pronoun.
    """
    stop = _SENTENCE_END.search(text, end + 1, min(len(text), end + 300))
    sentence = text[s0 : stop.start() + 1 if stop else min(len(text), end + 300)]
    if len(sentence) > 800:
        return None
    tokens = parse(sentence)
    q0, q1 = start - s0, end - s0
    inside = [i for i, t in enumerate(tokens) if q0 <= t.start < q1 and t.word not in _QUOTE_MARKS]
    # The quote's word highest in the tree: its head lies outside the quote.
    anchors = [i for i in inside if not q0 <= tokens[tokens[i].head].start < q1 or tokens[i].head == i]
    if not anchors:
        return None
    i = anchors[0]
    for _ in range(12):
        head = tokens[i].head
        if head == i:
            return None
        i = head
        t = tokens[i]
        if t.tag.startswith("NN") and not q0 <= t.start < q1:
            return None  # the quote names or describes a thing ('His memoir, “…,” published in 1995')
        if t.tag.startswith("VB") and t.word.lower() in _PARSED_VERBS:
            subject = _subject_of(tokens, i)
            if subject is None:
                return None
            if tokens[subject].tag in ("WDT", "WP") and tokens[i].dep == "relcl":
                subject = tokens[i].head  # 'a sign that read “…”': the sign
            phrase_start, phrase = _subject_text(tokens, subject, sentence)
            if phrase_start < q1 and q0 < phrase_start + len(phrase) or _QUOTE_MARKS & set(phrase):
                return None  # the subject holds the quote ('An ‘extremely credible source’ has called')
            return phrase
    return None


def _subject_of(tokens: list[Token], verb: int) -> int | None:
    """The nominal subject of ``verb``, or of the verb it hangs from ("…, saying", "… and said")."""
    for _ in range(3):
        for k, t in enumerate(tokens):
            if t.head == verb and k != verb and t.dep == "nsubj":
                return k
        if tokens[verb].dep not in ("advcl", "conj", "xcomp") or tokens[verb].head == verb:
            return None
        verb = tokens[verb].head
    return None


def _subject_text(tokens: list[Token], subject: int, sentence: str) -> tuple[int, str]:
    """The subject's words: its determiners, compounds, modifiers and possessors, not its clauses."""
    keep = {subject}
    frontier = [subject]
    while frontier:
        h = frontier.pop()
        for k, t in enumerate(tokens):
            if t.head == h and k != h and k not in keep and t.dep in _SUBJECT_PARTS:
                keep.add(k)
                frontier.append(k)
    lo, hi = min(keep), max(keep)
    return tokens[lo].start, sentence[tokens[lo].start : tokens[hi].start + len(tokens[hi].word)]


_REPORT_PATH = frozenset({"ROOT", "ccomp", "parataxis", "conj", "xcomp", "advcl"})
_NOT_REPORTED = frozenset({"when", "all", "it", "there", "what", "which", "that", "who", "this"})
# Verbs of saying whose subject is the source of what the sentence reports: those of quotes, less
# questions, wishes and appeals ("asked", "hoped", "urged"), with the verbs of disclosure.
_REPORTING_VERBS = (
    _PARSED_VERBS
    - {"ask", "asks", "asked", "asking", "want", "wants", "wanted", "hope", "hopes", "hoped", "feel", "feels", "felt",
       "urge", "urges", "urged", "urging", "vow", "promise", "promises", "pledge", "pledges", "decide", "decides",
       "decided", "call", "calls", "called", "calling", "describe", "describes", "describing", "described", "label",
       "labels", "labeled", "labelled", "deem", "deemed", "post", "posts", "read", "reads", "demanded", "demands"}
    | {"alleged", "allege", "reported", "report", "reports", "revealed", "reveals", "reveal", "confirmed", "confirms",
       "confirm", "announced", "announce", "announces", "estimated", "estimates", "disclosed", "testified"}
)  # fmt: skip
_OF_NAME = frozenset({"from", "for", "at", "of", "with"})


def _token_at(tokens: list[Token], start: int) -> int:
    """The index of the token starting at character ``start``."""
    return next(i for i, t in enumerate(tokens) if t.start == start)


# Works whose author is who reports ("a new estimate by one of the USA's top nuclear experts").
_WORK_HEADS = frozenset(
    {"research", "study", "report", "survey", "analysis", "estimate", "poll", "review", "paper", "statement"}
)
# Heads that count or share out a group: the group is who speaks ("the majority of Conservative MPs").
_GROUP_HEADS = frozenset(
    {"one", "some", "many", "most", "few", "several", "all", "both", "none", "each", "majority", "minority", "half",
     "two", "three", "four", "five", "dozens", "hundreds", "number", "group"}
)  # fmt: skip


def _group_member(tokens: list[Token], k: int) -> int:
    """"one of the USA's top experts": the experts; "new research by the University of Warwick", "a
    statement from Columbia": its author; any other phrase head: itself."""
    word = tokens[k].word.lower()
    if word not in _GROUP_HEADS and word not in _WORK_HEADS:
        return k
    joints = ("of",) if word in _GROUP_HEADS else ("by", "from")
    for j, x in enumerate(tokens):
        if x.head == k and x.dep == "prep" and x.word.lower() in joints:
            inner = [i for i, y in enumerate(tokens) if y.head == j and y.dep == "pobj"]
            if inner:
                return inner[0]
    return k


def _reported_subject(tokens: list[Token], verb: int) -> int | None:
    """The subject of a verb of saying; a participle or a second verb ("…, saying", "… and said")
    takes the subject of the verb it hangs from, a passive ("When all was said") has none."""
    children = [t.dep for t in tokens if t.head == verb]
    subjects = [k for k, t in enumerate(tokens) if t.head == verb and k != verb and t.dep == "nsubj"]
    if subjects:  # "…, the only people …, said Gallup's editor": the one nearest the verb
        return min(subjects, key=lambda k: abs(k - verb))
    if "nsubjpass" in children or "csubj" in children or not (tokens[verb].tag == "VBG" or tokens[verb].dep == "conj"):
        return None
    return _subject_of(tokens, verb)


def _reporting_phrase(tokens: list[Token], sentence: str) -> tuple[int, str, bool] | None:
    """The phrase naming who a parsed sentence reports, its start and whether it is a proper name: the
    object of "according to" or the subject of the verb of saying highest in its main clauses (see
    :func:`_actor_phrase`); None when no such verb governs the sentence (a "said" inside a relative
    clause or a noun's modifier reports nothing of the sentence)."""

    def depth(i: int) -> int | None:  # steps to the root through clauses only; None inside a noun's
        steps = 0
        while tokens[i].head != i:
            if tokens[i].dep not in _REPORT_PATH or not tokens[tokens[i].head].tag.startswith(("VB", "MD")):
                return None
            i, steps = tokens[i].head, steps + 1
            if steps > 12:
                return None
        return steps

    found: list[tuple[int, int, int, int]] = []  # (depth, "according" first, position, phrase head)
    for i, t in enumerate(tokens):
        word = t.word.lower()
        if word == "according" and i + 1 < len(tokens) and tokens[i + 1].word.lower() == "to":
            objects = [k for k, x in enumerate(tokens) if x.head == i + 1 and x.dep == "pobj"]
            d = depth(t.head) if tokens[t.head].tag.startswith("VB") else 99  # "Laughter ensued, according to …"
            if objects and d is not None:
                found.append((d, 0, i, _group_member(tokens, _group_member(tokens, objects[0]))))
        elif t.tag.startswith("VB") and word in _REPORTING_VERBS:
            if word in ("add", "adds", "added") and any(
                x.head == i and (x.dep == "dobj" or x.dep == "prep" and x.word.lower() == "to") for x in tokens
            ):
                continue  # "the weather adds to …", "he added the hashtag": not saying
            d = depth(i)
            subject = _reported_subject(tokens, i) if d is not None else None
            if subject is not None and tokens[subject].tag not in ("WDT", "WP", "EX"):
                found.append((d, 1, i, _group_member(tokens, subject)))  # type: ignore[arg-type]
    if not found:
        return None
    return _actor_phrase(tokens, min(found)[3], sentence)


def _actor_phrase(tokens: list[Token], k: int, sentence: str) -> tuple[int, str, bool] | None:
    """The words of the phrase headed by token ``k`` that name an actor: a common noun up to its head or
    the name it belongs to, a proper name with its title words dropped and its "of"/"for" names and a
    second joined name kept; None for "all", "it" and the like."""
    if tokens[k].tag in ("NN", "NNS"):  # "The businessman, Adam Victor, said", "friend and collaborator Sheila E."
        named = [j for j, x in enumerate(tokens) if x.head == k and x.dep in ("appos", "conj") and x.tag == "NNP"]
        k = named[0] if named else k
    start, phrase = _subject_text(tokens, k, sentence)
    proper = tokens[k].tag.startswith("NNP") and tokens[k].word[:1].isupper()  # not a mis-tagged "ministry"
    if not proper:  # "Sources close (to the couple)": up to the head, or to
        last = k  # the name it belongs to ("officials from the Bureau of Land Management")
        j = k + 1
        if j < len(tokens) and tokens[j].head == k and tokens[j].dep == "prep" and tokens[j].word.lower() in _OF_NAME:
            run = j + 1
            while run < len(tokens) and (tokens[run].tag in ("DT", "NNP", "NNPS", "POS") or tokens[run].word == "of"):
                run += 1
            if run - 1 > j + 1 and tokens[run - 1].tag.startswith("NNP") and run - _token_at(tokens, start) <= 10:
                last = run - 1
        phrase = sentence[start : tokens[last].start + len(tokens[last].word)]
    else:  # "His sister Karen Reynolds", "the Hollywood Chamber of Commerce": the name
        first = k
        while first > 0 and tokens[first - 1].tag.startswith("NNP") and tokens[first - 1].head in (k, first):
            first -= 1
        last = k  # "the Hollywood Chamber of Commerce", "the Court of Arbitration for Sport": with its "of" names
        while last + 2 < len(tokens) and tokens[last + 1].word.lower() in ("of", "for") and tokens[last + 1].head in (k, last):
            inner = [i for i, y in enumerate(tokens) if y.head == last + 1 and y.dep == "pobj" and y.tag.startswith("NNP")]
            if not inner or not all(t.tag.startswith("NNP") or t.tag == "DT" for t in tokens[last + 2 : inner[0] + 1]):
                break
            last = inner[0]
        both = [j for j, x in enumerate(tokens) if x.head == k and x.dep == "conj" and x.tag.startswith("NNP")]
        if both and both[0] - first <= 7:  # "Lisa Kendzior and Paul Petersen … said": both of them
            last = both[0]
        if first < k or last > k:  # a one-word name keeps its phrase ("Russia's Interfax")
            start, phrase = tokens[first].start, sentence[tokens[first].start : tokens[last].start + len(tokens[last].word)]
    if phrase.split()[0].lower() in _NOT_REPORTED:
        return None  # "When all was said and done", "It's alleged that"
    return start, phrase, proper


# Verbs that make a sentence worth parsing for who it reports (a cheap filter; words that are
# often nouns, "report", "states", "found", are left to :func:`attribution`).
REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|tell|according to|announced|announces|claimed|claims|claim|alleged|alleges|"
    r"insisted|insists|denied|denies|deny|warned|warns|reported|confirmed|confirms|added|adds|stated|argued|argues|"
    r"believes|believe|believed|wrote|writes|tweeted|noted|notes|explained|acknowledged|admitted|revealed|"
    r"testified|estimated|estimates|ruled)\b"
)
_REPORTED: dict[str, tuple[int, str, bool] | None] = {}  # sentence -> its reporting phrase (bounded)
_REPORTED_MAX = 200_000


def prime_reporters(sentences: Sequence[str]) -> None:
    """Parse, in one batch, the sentences :func:`reporter` will be asked about (about twice as fast
    as one by one); each sentence is parsed once per process."""
    todo = list(dict.fromkeys(s for s in sentences if s not in _REPORTED and len(s) <= 800 and REPORTING.search(s)))
    if not todo:
        return
    if len(_REPORTED) + len(todo) > _REPORTED_MAX:
        _REPORTED.clear()
    for sentence, tokens in zip(todo, parse_many(todo)):
        _REPORTED[sentence] = _reporting_phrase(tokens, sentence)


def reporter(sentence: str, persons: Sequence[Mention] = (), offset: int = 0, context: str = "") -> str | None:
    """Who a sentence reports, read from its dependency parse: the subject of its governing verb of
    saying ("Kent Craford, a lobbyist, said …", "…, said its officials", "a business owner who works
    nearby said") or the object of "according to", as a name completed like :func:`attribution`, or
    a description; a pronoun subject is the person :func:`attribution` resolves it to; None when no
    verb of saying governs the sentence's main clauses. Only sentences :data:`REPORTING` matches are
    parsed; the caller reads the others with :func:`attribution`.

    >>> reporter("Ballistics tests matched a gun at his home to the casings, the prosecutor said.")
    'prosecutor'
    >>> reporter("Since Kim ordered a test, which North Korea claimed was a success, missiles flew.") is None
    True
    """
    if len(sentence) > 800 or not REPORTING.search(sentence):
        return None
    if sentence not in _REPORTED:
        prime_reporters([sentence])
    found = _REPORTED[sentence]
    if found is None:
        return None
    start, phrase, proper = found
    if phrase.split()[0].lower() in _PRONOUNS:  # "he said": the person named last before (as attribution())
        before = _persons_before(persons, offset, max(0, offset - 600))  # before the sentence, not in it
        if before:
            return before[-1].name
        found = attribution(sentence, persons, offset, context)
        return found if found and found[0].isupper() else None  # a name, never a clause
    if proper and " of " not in phrase and " and " not in phrase:  # not "University of Warwick" cut to "Warwick"
        name = name_from_phrase(phrase)
        if name is None:
            return None
    else:  # a description ("a defense filing", "its officials"): its words, less the article
        name = re.sub(r"^(?:a|an|the|its|their)\s+", "", phrase, flags=re.IGNORECASE)
    return name_completer(persons)(_fuller(context or sentence, (offset if context else 0) + start, name))


# "one of its executives": a member of the organisation "its" refers to.
_ONE_OF_ITS = re.compile(r"(?i:one|another)\s+of\s+its\s+(?P<role>[a-z]+?)s(?:\s+(?:[a-z]+ly|last\s+\w+|on\s+\w+|later|earlier|today|yesterday))?")


# "One of the Romney campaign’s surrogates": a surrogate of the Romney campaign.
_ONE_OF_OWNERS = re.compile(
    r"(?i:one|another)\s+of\s+(?:the\s+)?(?P<owner>[A-Z][\w.&-]*(?:\s+[\w.&-]+){0,3}?)['’]s\s+(?P<role>[a-z]+?)s"
)


def _its_owner(
    last_speaker: str | None,
    pos: int,
    person_names: Sequence[str],
    complete: Callable[[str | None], str | None],
    organizations: Sequence[Mention],
    quotes: list[QuoteSpan],
) -> str | None:
    """The organisation "its" refers to before ``pos``: the last speaker when it is no person's full
    name ("Facebook said …. “…,” blogged one of its executives"), else the organisation named last."""
    if last_speaker and last_speaker[:1].isupper() and last_speaker not in person_names and complete(last_speaker) not in person_names:
        return last_speaker
    named = [m for m in organizations if pos - 1500 <= m.start < pos and not _inside(m.start, quotes)]
    return named[-1].name if named else None


def extract_quotes(text: str, persons: Sequence[Mention] = (), *, parser: bool = True) -> list[QuoteSpan]:
    """The direct quotes of ``text`` with their speakers; ``persons`` (spaCy mentions) help names.

    When no rule finds a speaker, the sentence around the quote is parsed (``parser``; spaCy's
    dependency parser, only for those sentences) and the subject of the verb of saying that governs
    the quote is taken (:func:`_parsed_subject`).

    >>> [q.speaker for q in extract_quotes('Biden said: "They are still coming, I think."')]
    ['Biden']
    """
    dateline = _DATELINE.match(text)
    if dateline:  # "SEOUL, South Korea — North Korea …, saying …": the dateline is no speaker
        text = " " * dateline.end() + text[dateline.end() :]
        persons = [m for m in persons if m.start >= dateline.end()]
    persons = _headline_verbs_cut(persons_relabelled(text, persons))
    complete = name_completer(persons)
    person_names = sorted({m.name for m in persons if m.kind == "person" and " " in m.name}, key=len, reverse=True)
    organizations = [m for m in persons if m.kind == "organization"]
    published = {m.name for m in organizations}  # who may have written "the article" quoted later
    named_things = [m for m in persons if m.kind in ("organization", "other")]
    others = [m for m in persons if m.kind != "person"]
    persons = _with_named_speakers(text, persons)
    # Names that speak count whatever spaCy labelled them ("Copper Comita said"): they complete too.
    complete = name_completer([*persons, *others])
    out: list[QuoteSpan] = []
    last_speaker: str | None = None
    last_quote_end = -1
    groups: list[list[tuple[int, int]]] = []
    afters: list[int] = []
    for start, end, cont, after_at in _pairs(text):
        if cont and groups:
            groups[-1].append((start, end))
            afters[-1] = after_at
        else:
            groups.append([(start, end)])
            afters.append(after_at)
    spans = [(g[0][0], g[-1][1]) for g in groups]
    genders = _genders(text, persons, spans, complete)
    # Organisations, not any name the text also uses for a person ("Bunch" of Kristine Bunch, a surname
    # spaCy once labelled an organisation).
    org_names = frozenset(m.name for m in organizations if not _maybe_person(m.name)) - {m.name for m in persons}

    def agreement(pronoun: str | None) -> Callable[[str], bool] | None:
        return _gender_agreement(pronoun, genders, complete, org_names)

    def learn(speaker: str | None, pronoun: str | None) -> None:
        """A person "he said" was given to is a man from then on (a woman for "she"), when the text
        had not said."""
        gender = _word_gender(pronoun.split()[0]) if pronoun and pronoun.split() else None
        if speaker and gender and speaker[:1].isupper():
            genders.setdefault(complete(speaker) or speaker, gender)

    for group, close_at in zip(groups, afters):
        first_start = group[0][0]
        last_end = group[-1][1]
        after = text[close_at : close_at + 120]
        line_start = text.rfind("\n", 0, first_start - 1) + 1
        before = text[max(line_start, first_start - 1 - 240) : first_start - 1]
        previous = text[:line_start].rstrip()
        in_previous = not before.strip() and previous.endswith((":", ","))
        if in_previous:
            # The attribution ends the paragraph before: 'According to the Chicago Tribune,\n\n“…”'.
            before = previous[max(previous.rfind("\n") + 1, len(previous) - 240) :] + " "
        inner_tail = text[group[-1][0] : last_end].rstrip()
        words = sum(len(text[s:e].split()) for s, e in group)
        phrase = None
        credit = None if text[line_start : first_start - 1].strip() else (
            _CREDIT_LINE.match(text, close_at) or _CREDIT_SAME_LINE.match(text, close_at)
        )
        if credit and len(credit.group("spk").split()) <= 6:
            phrase = credit.group("spk")
        elif not inner_tail.endswith(".") or after.lstrip(" \t")[:1].islower():
            phrase = _speaker_phrase_after(after)
        explicit = phrase is not None
        if phrase is None:
            phrase = _speaker_phrase_before(before, label=not in_previous)
            explicit = phrase is not None
        speaker: str | None = None
        s0 = _sentence_start(text, first_start - 1)
        prefix = text[s0 : first_start - 1]
        if phrase is not None:
            speaker = name_from_phrase(phrase)
            reads = _reads_from_document(before)
            if reads == "it" and last_speaker and 0 <= last_quote_end and first_start - last_quote_end <= 300:
                speaker = last_speaker  # '“…,” a spokesman said in an email.  It continues: “…”': the same speaker
            elif reads and (written := document_antecedent(text, first_start)):
                speaker = written  # 'the obituary …. Part of it reads: “…”': the obituary
            elif _THEY_PHRASE.fullmatch(phrase.strip()) and (crowd := _group_antecedent(text, first_start)):
                speaker = crowd  # "They have issued this advisory:" after "Illinois government officials warn"
            elif _THEM_PHRASE.fullmatch(phrase.strip()) and (crowd := _plural_antecedent(text, first_start, out)):
                speaker = crowd  # "hearing them chant “…”" after "the crowds"
            elif speaker is None or phrase.strip().lower() in _BARE_KIN:  # a pronoun: see _resolve_pronoun
                kin = speaker  # '“…,” says mom': the person the text calls a mom, else as "she says" would be
                described = _described_as(text, first_start, kin, persons) if kin is not None else None
                if kin is not None:
                    phrase = "she" if _word_gender(kin) == "f" else "he"
                gender = _word_gender(phrase.split()[0]) if phrase.split() else None
                speaker = described or _resolve_pronoun(
                    text, first_start, s0, prefix, persons, out, last_speaker, last_quote_end, agreement(phrase),
                    confirmed=lambda n, g=gender: g is not None and genders.get(complete(n) or n) == g,
                ) or kin
                learn(speaker, phrase)
            elif owned := _ONE_OF_OWNERS.fullmatch(phrase.strip()):
                speaker = f"{owned.group('owner')} {owned.group('role')}"  # "Romney campaign surrogate"
            elif (its := _ONE_OF_ITS.fullmatch(phrase.strip())) and (
                owner := _its_owner(last_speaker, first_start, person_names, complete, organizations, out)
            ):
                speaker = f"{owner} {its.group('role')}"  # "blogged one of its executives": a Facebook executive
            elif speaker and phrase.lstrip().lower().startswith("the ") and (role := earlier_role(text, first_start, speaker)) != speaker:
                speaker = role  # "the spokesman said" after "a spokesman for the Civil Aviation Authority": that spokesman
            elif not _INDEFINITE.match(phrase):  # "the president said", not "an official said"
                speaker = _title_holder(text, first_start, speaker, persons)
                if speaker and phrase.lstrip().lower().startswith("the "):
                    speaker = described_holder(text, first_start, speaker, persons)
        else:
            # No attribution: a quote right after another continues its speaker; else the
            # subject of its sentence, or of the sentence before when that subject is "he".
            gap = text[last_quote_end:first_start] if last_quote_end >= 0 else ""
            last_tokens = set((last_speaker or "").split())
            named_between = any(
                last_quote_end <= m.start < first_start
                and not _short_form(m.name, last_tokens)
                and not _attributive(text, m)
                and not _describes(text, m.end, first_start, last_tokens)
                and not _in_attribution(text, last_quote_end, m.start)
                for m in persons
            )  # the last speaker's own attribution ("…," Trump said.) names nobody new
            own = [m for m in persons if s0 <= m.start < first_start and not _inside(m.start, out)]
            tail = _TAIL_ATTRIBUTION.match(text, close_at, min(len(text), close_at + 300))
            # A scare quote of one or two words earlier in the sentence does not hide its opening attribution:
            # 'Trump lamented in November that the “saddest thing” about being president is that he is “…”'.
            opening = _OPENING_SAYS.match(_SCARE_QUOTE.sub(r" \1 ", prefix))
            according = _TAIL_ACCORDING.match(text, close_at, min(len(text), close_at + 300))
            if inner_tail.endswith((".", "!", "?")) and after.lstrip(" \t")[:1].isupper():
                according = None  # the quote ended its sentence: "according to" is the next one's
            if according and not _not_a_speaker(according.group("spk")) and (
                found_by := name_from_phrase(according.group("spk"))
            ):
                # '… offered to donate “…” to the agency, according to the organization's chief executive.'
                speaker = found_by if _INDEFINITE.match(according.group("spk")) else _title_holder(text, first_start, found_by, persons)
            elif tail:
                speaker = name_from_phrase(tail.group("spk") or tail.group("spk2"))
                if speaker is None:
                    speaker = _subject_before(text, s0, persons, out) or last_speaker
            elif parser and words >= MIN_WORDS and (parsed := _parsed_tail_speaker(text, s0, first_start, group[0][1], close_at)):
                # '“…,” Dr. Jeffrey Bender of the University of Oklahoma Medical Center … said Tuesday': the
                # parsed subject of the verb of saying after the quote, too far for the patterns.
                speaker = parsed
            elif opening and not _not_a_speaker(opening.group("spk")) and name_from_phrase(opening.group("spk")):
                # 'The family said last night that Mr McKinnon was "at risk of suicide"'
                speaker = name_from_phrase(opening.group("spk"))
            elif _DOCUMENT_SUBJECT.match(prefix) and not any(_SAYS_AFTER.match(text, m.end, m.end + 40) for m in own):
                speaker = _unspoken_source(text, first_start, prefix, persons)  # "The card has …, i.e. “…”"
            elif not own and (issuer := _stating_organization(text, s0, first_start, organizations, out)):
                speaker = issuer  # 'The NTSB has released a statement saying an intern “…”'
            elif last_speaker and 0 <= last_quote_end and len(gap) < 250 and not named_between:
                speaker = last_speaker
            elif _PRONOUN_START.match(prefix) or _pronoun_subject(text, s0, prefix, own):
                subject = _PRONOUN.search(prefix)
                speaker = _subject_before(text, s0, persons, out, agrees=agreement(subject and subject.group(0))) or last_speaker
            elif own:
                clause = [m for m in own if m.start >= s0 + prefix.rfind(",") + 1]
                if prefix.rstrip().endswith(":") and clause:
                    # '…, prompting Davidson to reference his record: "0 for 3."'; a label ending in a
                    # name is that name: 'Apology from KTVU president & GM Tom Raponi: “…”'.
                    labelled = [m for m in clause if not text[m.end : first_start - 1].strip(" \t:")]
                    if not text[s0 : clause[0].start].strip():
                        labelled = clause[:1]  # 'Sean Spicer on Nordstrom re: POTUS and Ivanka: "…"': who opens it
                    speaker = (labelled or clause)[0].name
                else:
                    speaker = _pick_subject(text, own)
            elif prefix.strip():
                speaker = _unspoken_source(text, first_start, prefix, persons)
            else:
                speaker = _subject_before(text, first_start - 1, persons, out, limit=300) or (
                    last_speaker if 0 <= last_quote_end and len(gap) < 600 else None
                )
        if (speaker is None or _fragment(speaker)) and parser and words >= MIN_WORDS:
            found = _parsed_subject(text, s0, first_start, group[0][1])
            if found is not None:
                parsed = name_from_phrase(found)
                if parsed is None:
                    parsed = _resolve_pronoun(
                        text, first_start, s0, prefix, persons, out, last_speaker, last_quote_end, agreement(found)
                    )
                    learn(parsed, found)
                elif not _INDEFINITE.match(found):
                    parsed = _title_holder(text, first_start, parsed, persons)
                speaker = parsed or speaker
        if speaker and _RELATIVE_PHRASE.fullmatch(speaker):
            speaker = _named_relative(text, first_start, speaker, persons, out, complete, genders)
        if speaker in _DOCUMENTS:
            speaker = _issuer(text, first_start, speaker)
        if not _is_document(speaker):  # "message" is not completed to "Similar to its first ad"
            speaker = _person_in(complete(_fuller(text, first_start, speaker)), person_names)
        if phrase is not None and phrase.lstrip().lower().startswith("the "):
            speaker = _named_organization(speaker, first_start, organizations, out, text, named_things)
            if speaker in _WRITINGS and (source := next((q.speaker for q in reversed(out) if q.speaker in published), None)):
                speaker = source  # 'According to the Chicago Tribune, “…” The article goes on to reveal “…”'
        if words < MIN_WORDS and (not explicit or text[first_start : first_start + 1] in "#@"):
            continue  # a short quote is speech only when attributed; a hashtag or a handle never
        if len(group) == 1 and not_speech(text, first_start, last_end, explicit=explicit):
            continue  # a title, a nickname or a scare quote: words no one is quoted as saying
        for k, (s, e) in enumerate(group):
            s, e = _trim(text, s, e)
            if s < e:
                out.append(QuoteSpan(text[s:e], s, e, speaker, continued=k > 0))
        if speaker is not None:
            last_speaker = speaker
        last_quote_end = last_end
    return _pull_quotes_credited(text, out)


def _alone_on_line(text: str, q: QuoteSpan) -> bool:
    """The quote is its paragraph, nothing but quotation marks around it (a pull quote)."""
    start = text.rfind("\n", 0, q.start) + 1
    end = text.find("\n", q.end)
    line = text[start : end if end >= 0 else len(text)]
    return not line.replace(q.text, "", 1).strip(" \t\r\"“”‘’'.,")


_WORDS = re.compile(r"[\w'’-]+")


def _pull_quotes_credited(text: str, quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """A pull quote (a paragraph of its own) repeated word for word inside a paragraph of the text
    takes that copy's speaker: the copy is where the article attributes it. A shorter one, a section
    heading of three words or more ('We will help'), takes the speaker of the nearest quote in the
    text whose words hold its words in a row ("They will be able to pass and we will help," he said)."""
    alone = [_alone_on_line(text, q) for q in quotes]
    attributed = [q for q, a in zip(quotes, alone) if q.speaker and not a]
    in_text = {q.text: q.speaker for q in attributed}
    spoken = [(q, " " + " ".join(_WORDS.findall(q.text.lower())) + " ") for q in attributed]
    out = []
    for q, a in zip(quotes, alone):
        if len(q.text.split()) >= 3 and a:
            if len(q.text.split()) >= 6 and q.text in in_text:
                q = replace(q, speaker=in_text[q.text])
            else:
                words = " " + " ".join(_WORDS.findall(q.text.lower())) + " "
                holders = [c for c, w in spoken if words in w and c.text != q.text]
                if holders:
                    q = replace(q, speaker=min(holders, key=lambda c: abs(c.start - q.start)).speaker)
        out.append(q)
    return out


def _is_person_name(phrase: str, persons: Sequence[Mention], start: int) -> bool:
    """Whether a capitalised phrase is a person's name: a person mention there, else (no mentions
    given) two or more capitalised words that are not a place or title phrase ("In Boston")."""
    if persons:
        end = start + len(phrase)
        return any(m.kind == "person" and m.start < end and start < m.end for m in persons)
    words = phrase.split()
    return len(words) >= 2 and words[0].lower() not in _NOT_NAME_START


_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
# What opens an apposition ("Chun, the South's lead delegate,"), not a clause ("Daniels, sources have told").
_APPOSITION_START = re.compile(r"(?:the|a|an|his|her|their|its|who|whose|one|[A-Z][\w.-]*['’]s?)\s")


_AFTER_PREPOSITION = re.compile(r"\b(?:to|in|at|of|from|with|for|on|by|about|against|into|near|the)\s+$")


def _reported_clause(phrase: str) -> bool:
    """What follows "said" is the reported clause, not a speaker: ", said Britain had seen", ", said
    the talks failed" (a verb: an auxiliary, or a lower-case last word in -ed)."""
    words = phrase.split()
    return bool(_CLAUSE_VERB.search(phrase)) or len(words) >= 2 and words[-1].islower() and words[-1].endswith("ed")


def _described_person(phrase: str, desc: str, persons: Sequence[Mention], start: int) -> bool:
    """A capitalised phrase whatever spaCy labelled it (no place), set off by an apposition that
    describes a person: "Volodymyr Zelenskiy, Ukraine's president," / "Kim, the country's leader,"."""
    words = phrase.split()
    if not words or any(not w[:1].isupper() for w in words) or words[0].lower() in _NOT_NAME_START or is_place(phrase):
        return False
    end = start + len(phrase)
    if any(m.kind == "place" and m.start < end and start < m.end for m in persons):
        return False
    return desc.split()[-1].lower() in _PERSON_ROLES and not _CLAUSE_VERB.search(desc)


_NOT_NAME_START = {"in", "on", "at", "the", "a", "an", "by", "from", "for", "after", "before", "when", "as", "but",
                   "and", "meanwhile", "yesterday", "today", "last", "this", "officials", "police"}


def attribution(sentence: str, persons: Sequence[Mention] = (), offset: int = 0, context: str = "") -> str | None:
    """Who a sentence reports ("X said …", "… , according to X"), as a name, or None.

    ``persons`` are mentions in the article's coordinates; ``offset`` is the sentence's start in
    ``context`` (the article text, which completes "the official" from an earlier fuller phrase).

    >>> attribution("The force numbered 150,000, according to a White House official.")
    'White House official'
    """
    m = _ATTR_ACCORDING.search(sentence)
    if m is None:
        m = next((x for x in _ATTR_VERB_SPK.finditer(sentence) if not _reported_clause(x.group("spk"))), None)
    if m is None:  # "Volodymyr Zelenskiy, Ukraine's president, said": the name, not the title
        m = next((x for x in _ATTR_NAME_TITLE_VERB.finditer(sentence)
                  if x.group("desc").split()[0].lower() not in _SUBJECT_PRONOUNS
                  and not _AFTER_PREPOSITION.search(sentence, 0, x.start("spk"))  # "In its letter to Sandusky, the …"
                  and ((" " in x.group("spk") or _APPOSITION_START.match(x.group("desc")))
                       and _is_person_name(x.group("spk"), persons, offset + x.start("spk"))
                       or _described_person(x.group("spk"), x.group("desc"), persons, offset + x.start("spk")))), None)
    if m is None:  # "The ministry, which runs the army, said": the ministry
        m = _ATTR_RELATIVE_VERB.match(sentence)
    if m is None:
        m = next((x for x in _ATTR_SPK_VERB.finditer(sentence) if not _OBJECT_AFTER.match(sentence, x.end())), None)
    if m is None:
        return None
    name = name_from_phrase(m.group("spk"))
    if name is None or name.lower() in _PRONOUNS:
        inside = _persons_before(persons, offset + m.start(), max(0, offset - 600))
        return inside[-1].name if inside else None
    if context:
        return name_completer(persons)(_fuller(context, offset + m.start("spk"), name))
    return name_completer(persons)(_fuller(sentence, m.start("spk"), name))


# --- names spaCy's small model labels as places or organisations -----------------------------------

# Words that make a capitalised phrase an organisation, a place or a thing, never a person's name.
_NOT_PERSON_WORDS = frozenset(
    {
     "inc", "corp", "co", "ltd", "llc", "plc", "group", "company", "association", "university", "college", "school",
     "department", "ministry", "agency", "police", "news", "times", "post", "journal", "council", "committee",
     "party", "bank", "church", "foundation", "institute", "center", "centre", "court", "service", "services",
     "office", "administration", "commission", "board", "club", "team", "network", "media", "press", "airlines",
     "airline", "fund", "union", "house", "senate", "congress", "army", "navy", "force", "forces", "command",
     "academy", "society", "league", "federation", "organization", "organisation", "hospital", "museum", "project",
     "program", "programme", "studios", "pictures", "records", "securities", "capital", "partners", "holdings",
     "county", "city", "state", "street", "river", "park", "island", "islands", "mountain", "valley", "beach",
     "republic", "kingdom", "united", "national", "international", "american", "british", "global", "world",
     "america", "europe", "africa", "asia", "north", "south", "east", "west", "new", "san", "los", "las", "fort",
     "day", "week", "games", "cup", "award", "awards", "prize", "festival", "act", "bill", "law", "war",
     "airport", "station", "bridge", "road", "avenue", "square", "lake", "bay", "hall", "tower", "stadium",
    }
)  # fmt: skip
# Words that, in an apposition, describe a person: "Copper Comita, Reid's mother," / "X, the country's leader,".
_PERSON_ROLES = TITLES - {"state", "foreign", "interior", "finance", "defence", "defense", "first", "former", "acting",
                          "deputy", "vice", "prime", "general", "st", "saint", "head"} | frozenset(
    {
     "mother", "father", "son", "daughter", "wife", "husband", "brother", "sister", "aunt", "uncle", "grandmother",
     "grandfather", "grandson", "granddaughter", "niece", "nephew", "cousin", "friend", "girlfriend", "boyfriend",
     "fiance", "fiancee", "fiancé", "fiancée", "widow", "widower", "mom", "dad", "neighbor", "neighbour", "founder",
     "co-founder", "owner", "manager", "coach", "lawyer", "analyst", "author", "researcher", "scientist",
     "teacher", "student", "doctor", "nurse", "editor", "reporter", "economist", "expert", "historian",
     "archaeologist", "singer", "actor", "actress", "player", "resident", "pastor", "priest", "survivor", "victim",
     "witness", "executive", "president", "monarch", "ruler", "dictator", "boss", "partner", "co-owner", "candidate",
     "lawmaker", "legislator", "congressman", "congresswoman", "councilman", "councilwoman", "activist", "artist",
     "writer", "journalist", "photographer", "producer", "director", "designer", "chef", "farmer", "worker",
     "employee", "spokesman", "spokeswoman", "spokesperson", "representative", "mayor", "governor", "senator",
    }
)  # fmt: skip
# Honorifics and titles written before a person's name ("Sgt. Ron Galaviz", "King Felipe").
_NAME_TITLES = (
    "Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Lord|Lady|President|Senator|Sen|Rep|Gov|Governor|Mayor|Judge|Justice|King|"
    "Queen|Prince|Princess|Pope|Rev|Gen|Col|Sgt|Capt|Lt|Det|Detective|Sheriff|Chancellor|Minister|Officer|Coach|"
    "General|Secretary|Ambassador|Speaker|Chairman|Chairwoman|Director|Commissioner|Inspector|Superintendent"
)
_TITLE_BEFORE = re.compile(rf"(?:^|[\s(])(?:{_NAME_TITLES})\.?\s+$")
_NAME_TOKEN = re.compile(r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|de|da|van|von|der|del|al|bin|ibn|la|le|di|du)$")
_ROMAN = re.compile(r"(?:II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI)$")
_WORD_BEFORE = re.compile(r"\b([A-Za-z-]+),?\s+$")
_ROLE_APPOSITION = re.compile(r",\s+(?P<desc>[^,.;:!?“”\"\n]{2,60}?),")
_SAYS_NEXT = re.compile(rf",?\s+(?:[a-z]+ly\s+)?(?:also\s+|later\s+|then\s+|has\s+|had\s+)?(?:{_VERBS})\b")


def _name_shaped(name: str) -> bool:
    """One to four capitalised name words, none of them an organisation's, a place's or a title's."""
    tokens = name.split()
    if not 1 <= len(tokens) <= 4 or not tokens[0][:1].isupper() or name.isupper():
        return False
    if any(t.lower().strip(".") in _NOT_PERSON_WORDS or t.lower().strip(".") in TITLES for t in tokens):
        return False
    body = tokens[:-1] if len(tokens) > 1 and _ROMAN.match(tokens[-1]) else tokens
    return all(_NAME_TOKEN.match(t) for t in body)


def _person_evidence(text: str, m: Mention, labels: set[str]) -> bool:
    """Whether the text treats a name spaCy labelled otherwise as a person's: a regnal number ("Felipe
    VI"), an honorific before it ("Sgt. Galaviz"), an apposition that describes a person ("Copper
    Comita, Reid's mother,"), or a full name that speaks ("Volodymyr Zelenskiy said") when spaCy's
    labels for it disagree or it is named once (``labels``: the kinds of all its mentions; an
    organisation named again and again as one, "Wells Fargo said", stays one)."""
    tokens = m.name.split()
    if text[max(0, m.start - 4) : m.start] == " of ":
        return False  # "Secretary of Agriculture Sonny Perdue": the mention holds part of a title
    if len(tokens) >= 2 and _ROMAN.match(tokens[-1]):
        return True
    if _TITLE_BEFORE.search(text, max(0, m.start - 14), m.start):
        return True
    role = _WORD_BEFORE.search(text, max(0, m.start - 30), m.start)
    if role and role.group(1).lower() in _PERSON_ROLES and (role.group(1).islower() or role.group(1).lower() not in TITLES):
        return True  # "Author and actor Christopher Kennedy Lawford", "His mother, Janis Sharp", "spokesman Jay Carney"
    appo = _ROLE_APPOSITION.match(text, m.end, m.end + 80)
    if appo and appo.group("desc").split()[-1].lower() in _PERSON_ROLES and not _CLAUSE_VERB.search(appo.group("desc")):
        return True
    speaks = _SAYS_NEXT.match(text, m.end, m.end + 40) or (
        _SAYS_BEFORE.search(text, max(0, m.start - 20), m.start) and text[m.end : m.end + 1] in (",", ".", "")
    )
    return len(tokens) >= 2 and bool(speaks) and len(labels) != 1


# "Volodymyr Zelenskiy, Ukraine's president, said": a name, an apposition, a verb of saying.
_NAME_APPOSITION_SAYS = re.compile(
    rf"(?<![\w'’.-])(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|al|bin|ibn|la|le)){{1,3}}),"
    rf"\s+(?P<desc>[^,.;:!?“”\"\n]{{2,60}}?),\s+(?:[a-z]+ly\s+)?(?:also\s+|has\s+|had\s+)?(?:{_VERBS})\b"
)


def _described_speakers(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Person mentions spaCy missed: a name-shaped phrase described as a person in an apposition and
    then speaking ("Volodymyr Zelenskiy, Ukraine's president, said"), where no mention lies."""
    out = []
    for m in _NAME_APPOSITION_SAYS.finditer(text):
        words = m.group("name").split()
        while len(words) > 2 and words[0].lower() in _LEADING | _SKIP_FIRST:
            words.pop(0)  # "On Tuesday Volodymyr Zelenskiy"
        name = " ".join(words)
        start = m.start("name") + m.group("name").rfind(name)
        desc = m.group("desc")
        if (
            _name_shaped(name) and not is_place(name) and desc.split()[-1].lower() in _PERSON_ROLES
            and not _CLAUSE_VERB.search(desc)
            and not any(x.start < start + len(name) and start < x.end for x in mentions)
        ):  # fmt: skip
            out.append(Mention(name, "person", start, start + len(name)))
    return out


# A news agency's dateline opening the text: "SEOUL, South Korea — ", "MURPHY, N.C. — ", "NEW YORK (AP) — ".
_DATELINE = re.compile(r"\s*[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?\s*(?:\([^()\n]{1,30}\)\s*)?[—–-]+\s+")
_HEADLINE_VERB = re.compile(r"[A-Z][a-z]{2,}(?:s|ed)")
_PLURAL_ORG_WORDS = frozenset(
    {"productions", "industries", "enterprises", "films", "records", "studios", "holdings", "partners", "associates",
     "brothers", "sons", "systems", "services", "pictures", "communications", "products", "labs", "laboratories"}
)  # fmt: skip


def _headline_verbs_cut(mentions: Sequence[Mention]) -> list[Mention]:
    """A person mention that is another person's full name followed by a capitalised verb of a
    headline ("Jay Leno Celebrates …", "Eva Longoria Shows Off") is cut to that name, so that the
    surname is not completed to the headline; "Dick Clark Productions" stays a company."""
    names = {m.name for m in mentions if m.kind == "person" and len(m.name.split()) >= 2}
    out = []
    for m in mentions:
        words = m.name.split()
        if m.kind == "person" and len(words) >= 3:
            for k in range(2, len(words)):
                head = " ".join(words[:k])
                if head in names and _HEADLINE_VERB.fullmatch(words[k]) and words[k].lower() not in _PLURAL_ORG_WORDS:
                    m = replace(m, name=head, end=m.start + len(head))
                    break
        out.append(m)
    return out


_SURNAME_VERB = re.compile(rf"\s+(?:also\s+|then\s+|later\s+|has\s+|had\s+)?(?:{_VERB}|(?!based\b|led\b)[a-z]{{3,}}ed)\b")


def persons_relabelled(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` with the names the text treats as persons' relabelled "person", whatever label
    spaCy gave them (:func:`_person_evidence`), and each single-word mention of the first word of such
    a full name with them ("Felipe" after "Felipe VI"); places of the gazetteer are left alone."""
    mentions = list(mentions) + _described_speakers(text, mentions)
    labels: dict[str, set[str]] = {}
    counts = Counter(m.name for m in mentions)
    for m in mentions:
        labels.setdefault(m.name, set()).add(m.kind)
    promoted = {
        m.name for m in mentions
        if m.kind != "person" and _name_shaped(m.name) and not is_place(m.name)
        and _person_evidence(text, m, labels[m.name] if counts[m.name] > 1 else set())
    }  # fmt: skip
    # A surname alone that spaCy labelled an organisation, of a person the article names in full, as the
    # subject of a verb ("Donald Trump …. In an August speech, Trump attacked “…”"), not of a noun ("Trump campaign").
    surnames = {m.name.split()[-1] for m in mentions if m.kind == "person" and len(m.name.split()) >= 2}
    promoted |= {
        m.name for m in mentions
        if m.kind != "person" and " " not in m.name and m.name in surnames and not is_place(m.name)
        and _SURNAME_VERB.match(text, m.end, m.end + 40)
    }  # fmt: skip
    if not promoted:
        return list(mentions)
    full = {m.name for m in mentions if m.kind == "person"} | promoted
    firsts = Counter(n.split()[0] for n in full if len(n.split()) >= 2)
    firsts_of_promoted = {n.split()[0] for n in promoted if len(n.split()) >= 2 and firsts[n.split()[0]] == 1}
    return [
        replace(m, kind="person")
        if m.kind != "person" and (m.name in promoted or m.name in firsts_of_promoted and not is_place(m.name))
        else m
        for m in mentions
    ]
