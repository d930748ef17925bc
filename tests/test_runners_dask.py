"""The Dask runner gives the same stories and syntheses as an in-process build (2-worker LocalCluster),
into either store (archives in, PostgreSQL out is the backfill path), with every article's analysis stored."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed", reason="the Dask runner needs dask[distributed] (pip install 'parallax-news[dask]')")

from parallax.pipeline import Pipeline
from parallax.runners import InProcessRunner
from parallax.runners.dask import DaskRunner
from parallax.settings import load
from parallax.store import open_store
from parallax.synthesis.stored import analysis_version

FIXTURE = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"
NAV = "<nav><p>Home | World | Business | Sport | Sign in to read more from The Daily Example</p></nav>"
FOOT = "<footer><p>Copyright The Daily Example. All rights reserved. Subscribe to our newsletter.</p></footer>"


def _folder(tmp_path: Path) -> Path:
    """A JSONL archive, HTML pages of one outlet (with its repeated boilerplate), a bad file."""
    folder = tmp_path / "in"
    folder.mkdir()
    records = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    as_pages, as_jsonl = records[::2], records[1::2]
    (folder / "archive.jsonl").write_text("\n".join(json.dumps(r) for r in as_jsonl) + "\n", encoding="utf-8")
    for n, record in enumerate(as_pages):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split(". "))
        page = (f"<html><head><title>{html.escape(record['title'])}</title>"
                f'<meta property="article:published_time" content="{record["published"]}">'
                f'<meta property="og:site_name" content="The Daily Example"></head><body>{NAV}'
                f"<article><h1>{html.escape(record['title'])}</h1>{body}</article>{FOOT}</body></html>")
        (folder / f"page{n:02d}.html").write_text(page, encoding="utf-8")
    (folder / "broken.bin").write_bytes(b"\x00\x01\x02")
    return folder


def _build(folder: Path, db: Path | str, runner: Any) -> dict[str, Any]:
    settings = load(db=str(db))
    store = open_store(str(db))
    try:
        report = Pipeline(store, settings, runner=runner).ingest(runner.read([folder], settings))
        canonical = [a.id for a in report.articles if a.duplicate_of is None]
        analysed = store.analyses(canonical, version=analysis_version())
        stories = {}
        for row in store.list_stories(limit=1000):
            body = store.story(row["id"])
            stories[row["id"]] = body
        members = {sid: sorted(a.id for a in store.story_articles(sid)) for sid in stories}
        return {"report": report, "members": members, "stories": stories, "analysed": sorted(analysed),
                "canonical": sorted(canonical)}
    finally:
        store.close()


def test_dask_build_equals_in_process_build(tmp_path: Path, store_url: str) -> None:
    folder = _folder(tmp_path)
    local = _build(folder, tmp_path / "local.db", InProcessRunner())
    with DaskRunner.local(2) as runner:
        assert runner.workers == 2
        dask = _build(folder, store_url, runner)

    assert local["report"].articles_added >= 8 and local["stories"]
    assert [r.source for r in dask["report"].rejected] == [r.source for r in local["report"].rejected]
    assert any(r.source.endswith("broken.bin") for r in local["report"].rejected)
    assert dask["report"].articles_added == local["report"].articles_added
    assert dask["report"].duplicates == local["report"].duplicates
    assert dask["members"] == local["members"]
    assert dask["analysed"] == dask["canonical"] and local["analysed"] == local["canonical"]
    assert any(len(m) > 1 for m in local["members"].values())  # stories were actually grouped
    for sid, body in local["stories"].items():
        assert json.dumps(dask["stories"][sid], sort_keys=True, default=str) == json.dumps(body, sort_keys=True, default=str)
        assert body.get("synthesis") or body.get("summary")  # a synthesis was made
