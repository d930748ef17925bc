"""Metadata of dumps (head reader, outlet table), stable outlet labels, dates in other languages."""

from __future__ import annotations

import re

import numpy as np
import pytest

from parallax.clean import clean_document, dumphead
from parallax.clean.dumphead import publication_name
from parallax.clean.metadata import parse_date
from parallax.clean.outlets import article_outlet, canonical, domain_name, outlet_label
from parallax.clean.textdump import clean_text_dump
from parallax.models import RawDocument
from parallax.settings import load

BODY = [
    "Stocks in Asia fell on Monday after the central bank raised its main interest rate by half a point.",
    "The benchmark index lost 3.2 per cent by the close, its worst day since the spring, traders said.",
    "Analysts said further rises were likely before the summer, as inflation stayed above the target.",
]
DUMP = "\n".join(
    [
        "The Daily Bugle",
        "Home | World | Business | Sport",
        "Markets slide as rates rise",
        "By Jane Doe",
        "12 March 2024",
        *BODY,
        "Support The Daily Bugle!",
        "© 2024 The Daily Bugle Ltd. All rights reserved.",
    ]
)


def test_dump_head_gives_outlet_byline_and_date_and_they_leave_the_body():
    page = clean_text_dump(DUMP)
    assert page.outlet == "The Daily Bugle"
    assert page.byline == "Jane Doe"
    assert page.published is not None and page.published.date().isoformat() == "2024-03-12"
    assert page.title == "Markets slide as rates rise"
    for line in BODY:
        assert line in page.text
    for furniture in ("By Jane Doe", "12 March 2024", "Support The Daily Bugle", "©", "Markets slide"):
        assert furniture not in page.text


def test_dump_head_rows_outside_the_window_carry_only_what_the_gap_columns_read():
    import numpy as np

    from parallax.clean import dumphead

    far = [f"Sidebar item number {k} about something else" for k in range(60)]
    lines = ["Markets slide as rates rise", *far, "By Jane Doe", "12 March 2024", *BODY]
    keep = np.array([False] * (len(lines) - len(BODY)) + [True] * len(BODY))
    index = [0, 5, len(far) + 1, len(far) + 2, len(far) + 3]  # line 0: a top line far above the body
    x = dumphead.features(lines, keep, index)
    window = x[:, dumphead._IN_WINDOW] > 0
    assert window.tolist() == [False, False, True, True, True]
    kept = set(dumphead._RELATIVE_AT) | set(range(len(dumphead.FEATURES) - len(dumphead.RELATIVE), len(dumphead.FEATURES)))
    others = [c for c in range(len(dumphead.FEATURES)) if c not in kept]
    assert not x[~window][:, others].any()
    assert x[0, dumphead.FEATURES.index("words")] == np.log1p(5)  # relative columns are still filled
    assert x[window][:, dumphead.FEATURES.index("parses_date")].tolist() == [0.0, 1.0, 0.0]
    assert (x[:, -len(dumphead.RELATIVE):] <= 0).all()  # gaps to the page's best candidate


def test_known_outlet_of_the_url_wins_over_the_dump():
    assert clean_text_dump(DUMP, url="https://www.theguardian.com/business/x").outlet == "The Guardian"


def test_publication_names_from_copyright_and_support_lines():
    assert publication_name("Copyright © 2019 Example News Ltd. All rights reserved.") == "Example News"
    assert publication_name("Support The Guardian") == "The Guardian"
    assert publication_name("This is a long sentence that is no masthead at all, said the reporter.") is None


def test_copyright_holder_ends_at_brackets_dots_slashes_and_foreign_rights_clauses():
    assert publication_name("© 2020 Daily Bugle · Alle Rechte vorbehalten") == "Daily Bugle"
    assert publication_name("© 2019 Daily Bugle (www.dailybugle.example)") == "Daily Bugle"
    assert publication_name("Copyright © 2019 Daily Bugle / Bugle Media GmbH Alle Rechte vorbehalten.") == "Daily Bugle"
    assert publication_name("© Verein der Leser e.V.") == "Verein der Leser"
    assert publication_name("© 2019 Bugle Media, Inc. All rights reserved") == "Bugle"  # the site, not its company


def test_outlet_names_come_from_the_dump_windows_and_skip_navigation():
    filler = [f"Line {k} of the article body, which goes on for a while without naming anyone." for k in range(150)]
    lines = ["Zum Inhalt springen", "Daily Bugle", *filler[:75], "Metro Ledger Weekly", *filler[75:],
             "© 2024 Daily Bugle Ltd. All rights reserved."]
    names, rows = dumphead.outlet_candidates(lines)
    keys = [n.casefold() for n in names]
    assert "daily bugle" in keys and "zum inhalt springen" not in keys
    assert "metro ledger weekly" not in keys  # a mid-dump line is outside the head and tail windows
    lines_with = rows[keys.index("daily bugle"), dumphead.NAME_FEATURES.index("lines_with")]
    assert lines_with == pytest.approx(np.log1p(2))  # the masthead and the copyright line
    assert rows.shape[1] == len(dumphead.NAME_FEATURES)


def test_headline_loses_its_breadcrumb_trail():
    assert dumphead.headline_of("Home > World > Storm hits the coast") == "Storm hits the coast"
    assert dumphead.headline_of("Storm hits the coast") == "Storm hits the coast"


def test_outlet_table_has_the_default_opml_names_and_domains():
    assert canonical("Deutsche Welle") == "Deutsche Welle"
    assert canonical("dw.com") == "Deutsche Welle"
    assert domain_name("https://feeds.bbci.co.uk/news") is None or domain_name("https://www.bbc.co.uk/news") == "BBC"


@pytest.mark.parametrize(
    ("outlet", "url", "source", "label"),
    [
        ("Reuters", "https://example.org/a", "a.txt", "Reuters"),
        (None, "https://www.example.org/a", "a.txt", "example.org"),
        (None, "https://www.theguardian.com/a", "a.txt", "The Guardian"),
        (None, None, "/data/dumps/bugle/a.txt", "bugle"),
        (None, None, "story.txt", "story.txt"),
        (None, None, "batch.jsonl#4", "batch.jsonl"),
    ],
)
def test_one_stable_label_for_an_unknown_outlet(outlet, url, source, label):
    assert outlet_label(outlet, url, source) == label


def test_clean_document_always_labels_the_outlet():
    body = " ".join(BODY)
    doc = RawDocument(source="inbox/mystery/a.txt", content="Menu\n" + body, kind="text")
    article = clean_document(doc, load(min_words=10))
    assert article.outlet == "mystery"
    assert article_outlet(article) == "mystery"


def test_dates_in_other_languages_and_day_first_dots():
    assert parse_date("19. Juni 2019").date().isoformat() == "2019-06-19"
    assert parse_date("Publié le 6 novembre 2019").date().isoformat() == "2019-11-06"
    assert parse_date("Veröffentlicht am 07.06.2019").date().isoformat() == "2019-06-07"
    assert parse_date("2019-06-07").date().isoformat() == "2019-06-07"
    assert parse_date("Die Zeit") is None


def test_written_out_dates_with_abbreviated_and_inflected_months_and_text_around():
    cases = {
        "18. Okt 2023": "2023-10-18",  # dateutil read "Okt" as no month: 2023-10-01
        ", 01. Dez. 2017, 12:01 Uhr": "2017-12-01",
        "16 marca 2021": "2021-03-16",  # Polish genitive
        "sabado 07 de mayo del 2022Actualizado 07 May 2022 | 13:43 h": "2022-05-07",
        "28.04.2021 - 07:18 | Quelle: dpa-afx": "2021-04-28",
        "19.2.2020 klo 14.00": "2020-02-19",
        "July 24, 2019 by Amy Motroni 5 Comments": "2019-07-24",
        "3 de mayo de 202221:25": "2022-05-03",  # a time glued to the year: not the year 2025
    }
    for text, day in cases.items():
        assert parse_date(text).date().isoformat() == day, text
    assert parse_date("31.02.2020") is None or parse_date("31.02.2020").month != 2


def test_longer_repeated_name_wins_over_the_name_it_holds_but_not_a_publisher_or_a_distant_score():
    rows = np.zeros((3, len(dumphead.NAME_FEATURES)))
    rows[:, 0] = np.log1p([9, 3, 1])
    assert dumphead.longer_name(["NBC", "NBC News", "NBC News NOW"], rows, np.array([0.96, 0.93, 0.95]), 0, 0.6) == 1
    assert dumphead.longer_name(["Vox", "Vox Media", "x"], rows, np.array([0.96, 0.93, 0.1]), 0, 0.6) == 0
    assert dumphead.longer_name(["WSJ", "WSJ Pro", "x"], rows, np.array([0.96, 0.6, 0.1]), 0, 0.6) == 0
    assert dumphead.furniture_name("Über uns") and dumphead.furniture_name("MediaNews Group")
    assert not dumphead.furniture_name("Unsere Zeitung") and not dumphead.furniture_name("news.com.au")


def test_byline_of_a_dateline_that_names_the_author_and_the_date_it_gives():
    assert dumphead.byline_of("July 24, 2019 by Amy Motroni 5 Comments") == "Amy Motroni"
    assert dumphead.byline_of("By Jane Doe | Politics") == "Jane Doe"
    lines = ["Daily Bugle", "Storm hits the coast", "July 24, 2019 by Amy Motroni",
             "A storm hit the coast on Monday, cutting power to thousands of homes across the region.",
             "Crews worked through the night to restore the lines, the utility said in a statement.",
             "© 2024 Daily Bugle Ltd. All rights reserved."]
    page = clean_text_dump("\n".join(lines))
    assert page.published is not None and page.published.date().isoformat() == "2019-07-24"


def test_web_outlet_chips_of_unlabelled_articles_link_to_working_outlet_pages(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
    import webdata

    from parallax.pipeline import Pipeline
    from parallax.store import open_store

    store = open_store(":memory:")
    text = "\n\n".join(BODY) + "\n\nThe central bank said the decision was unanimous and it would act again if needed."
    docs = [
        RawDocument(source=f"dumps/{name}/rates.txt", content=f"Markets slide as rates rise\n{text}", kind="text")
        for name in ("bugle", "herald")
    ]
    docs.append(RawDocument(source="x.txt", content=text + "\nShares of exporters rose.", kind="text",
                            url="https://news.example.net/rates"))
    Pipeline(store, load(min_words=10)).ingest(docs)
    client = webdata.make_client(store)
    stories = client.get("/api/stories").json()["stories"]
    assert stories
    html = client.get(f"/stories/{stories[0]['id']}").text
    hrefs = set(re.findall(r'href="(/outlets/[^"]+)"', html))
    assert {"/outlets/bugle", "/outlets/herald", "/outlets/example.net"} <= hrefs
    assert "Unknown outlet" not in html and "outlet-" not in html
    for href in hrefs:
        assert client.get(href).status_code == 200, href
