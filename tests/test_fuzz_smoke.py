"""A short, deterministic run of every fuzz target of bench/reliability/fuzz.py (the long run writes
docs/reliability-fuzz.md): the file readers, feed parsing and OPML, the URL guard and fetcher, the
HTML sanitizer. Any exception other than Parallax's documented errors, or a broken invariant, fails."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench" / "reliability"))

import fuzz

#: Examples per target: a few hundred, the same ones on every run (derandomized).
SMOKE_EXAMPLES = 200


@pytest.mark.parametrize("target", sorted(fuzz.TARGETS))
def test_target_survives_a_few_hundred_generated_inputs(target):
    outcome = fuzz.run_target(target, SMOKE_EXAMPLES, derandomize=True)
    assert outcome.examples >= SMOKE_EXAMPLES // 2, outcome.examples
    report = "\n".join(f"{key} x{c['count']}: {c['error']}\n  {c['example']}" for key, c in outcome.crashes.items())
    assert not outcome.crashes, report


def test_the_checks_can_fail():
    """Each target's check catches a planted fault (so a clean run means something)."""
    from parallax.models import RawDocument

    with pytest.raises(fuzz.Broken):
        fuzz.expect(fuzz.executable_parts('<a href="javascript:x" onclick="y">', {"a"}, {"a": {"href"}}) == [], "x")
    files = fuzz.FileTarget()
    try:
        original = fuzz.FileTarget.check

        def planted(self, example):  # a reader that loses one valid JSONL record
            from parallax.sources import files as module

            real = module.read_file

            def lossy(path, settings=None):
                items = list(real(path, settings))
                return iter(items[1:] if len(items) > 1 and isinstance(items[0], RawDocument) else items)

            module.read_file = lossy
            try:
                return original(self, example)
            finally:
                module.read_file = real

        lines = b'{"text": "one"}\n{"text": "two"}\n'
        with pytest.raises(fuzz.Broken, match="valid JSONL records"):
            planted(files, (".jsonl", lines, None, {"documents": 2}))
    finally:
        files.close()
    guard = fuzz.GuardTarget()
    with pytest.raises(fuzz.Broken, match="let through"):
        from unittest import mock

        with mock.patch("parallax.sources.fetch.blocked_reason", lambda address: None):
            guard.check(("10.0.0.1", "http://news.example/", ("http://news.example/", [["93.184.216.34"]],
                                                               [b"HTTP/1.1 404 X\r\nContent-Length: 0\r\n\r\n"])))
