"""bench/profile_extraction.py: CPU timing and the page-field dump used to compare commits."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

FIXTURE = Path(__file__).parent / "fixtures" / "clean" / "article.html"


def test_page_fields_hold_every_page_field_and_errors_as_text():
    from profile_extraction import page_fields

    text, title, outlet, _byline, _published, language = page_fields(
        FIXTURE.read_bytes(), "https://www.harbourherald.example/world/1"
    )
    assert "storm flooded several coastal towns" in text and title and outlet and language == "en"
    assert page_fields(b"", None)[0].startswith("error: ")


def test_cpu_seconds_times_each_page_once():
    from profile_extraction import cpu_seconds

    seen = []
    assert cpu_seconds(lambda c, u: seen.append((c, u)), [("a", "u1"), ("b", "u2")]) >= 0
    assert seen == [("a", "u1"), ("b", "u2")]
