"""Reading local files: every supported kind, sidecars, and a reason for every rejection."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from conftest import BAD, EXAMPLES

from parallax.models import RawDocument, Rejected
from parallax.settings import load
from parallax.sources.files import parse_date, read_paths


def split(items):
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    return docs, rejected


def test_examples_folder_reads_every_kind():
    docs, rejected = split(list(read_paths([EXAMPLES])))
    kinds = {(Path(d.source.split("#")[0]).suffix, d.kind) for d in docs}
    assert (".html", "html") in kinds
    assert (".txt", "text") in kinds
    assert (".jsonl", "text") in kinds
    assert (".gz", "html") in kinds  # the WARC's HTML response
    # The WARC's image response is not an article, and says so.
    assert [r.reason for r in rejected] == ["not an HTML response (image/png) for https://www.dw.com/image/tanks.png"]


def test_jsonl_metadata_and_dates():
    docs, _ = split(list(read_paths([EXAMPLES / "wire-and-sport.jsonl"])))
    assert len(docs) == 5
    first = docs[0]
    assert first.source.endswith("wire-and-sport.jsonl#1")
    assert first.outlet == "BBC News" and first.byline == "Paul Kirby"
    assert first.published.isoformat() == "2022-02-15T12:40:00+00:00"


def test_sidecar_metadata_is_applied():
    docs, _ = split(list(read_paths([EXAMPLES / "guardian-russia-pullback.txt"])))
    assert docs[0].outlet == "The Guardian"
    assert docs[0].url.startswith("https://www.theguardian.com/world/2022/feb/15/")


def test_warc_response_carries_target_uri():
    docs, _ = split(list(read_paths([EXAMPLES / "dw-archive.warc.gz"])))
    assert docs[0].url.startswith("https://www.dw.com/en/ukraine-doubts")
    assert b"Stoltenberg" in docs[0].content


def test_bad_inputs_are_rejected_with_reasons_and_the_rest_goes_on():
    docs, rejected = split(list(read_paths([BAD, BAD / "missing.html"])))
    reasons = {Path(r.source).name: r.reason for r in rejected}
    assert reasons["binary.txt"] == "file is binary, not text or HTML"
    assert reasons["broken.html.gz"].startswith("broken gzip file")
    assert reasons["empty.txt"] == "file is empty"
    assert reasons["report.pdf"] == "unsupported file type '.pdf'"
    assert reasons["truncated.warc.gz"].startswith("malformed WARC")
    assert reasons["missing.html"] == "no such file or directory"
    assert reasons["mixed.jsonl#2"].startswith("malformed JSON line")
    assert reasons["mixed.jsonl#3"] == "record is a JSON list, not an object"
    assert reasons["mixed.jsonl#4"] == "record has neither a non-empty 'text' nor 'html'"
    # The good record of the mixed file and the short text still come through (cleaning judges length).
    assert sorted(Path(d.source).name for d in docs) == ["mixed.jsonl#1", "tiny.txt"]


def test_oversized_file_is_rejected(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    _, rejected = split(list(read_paths([big], load(max_input_bytes=100))))
    assert rejected[0].reason.startswith("file is too large")


def test_gzip_html_and_json_array(tmp_path):
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(b"<html><body><p>Hello</p></body></html>"))
    array = tmp_path / "records.json"
    array.write_text('[{"text": "one two three"}, {"html": "<p>four</p>", "outlet": "X"}]')
    docs, rejected = split(list(read_paths([tmp_path])))
    assert not rejected
    assert [(d.kind, d.source.rsplit("/", 1)[-1]) for d in docs] == [
        ("html", "page.html.gz"), ("text", "records.json#1"), ("html", "records.json#2")]


def test_legacy_encoding_is_decoded(tmp_path):
    dump = tmp_path / "latin.txt"
    dump.write_bytes("Le président a déclaré mardi que les négociations continueraient à Genève.".encode("cp1252"))
    docs, _ = split(list(read_paths([dump])))
    assert "président" in docs[0].content and "Genève" in docs[0].content


def test_parse_date_forms():
    assert parse_date("Tue, 15 Feb 2022 21:30:00 GMT").isoformat() == "2022-02-15T21:30:00+00:00"
    assert parse_date("2022-02-15").isoformat() == "2022-02-15T00:00:00+00:00"
    assert parse_date("not a date") is None
    assert parse_date(None) is None


def test_deep_nesting_is_refused_with_a_reason_and_the_batch_goes_on(tmp_path):
    deep = "[" * 50_000 + "]" * 50_000
    (tmp_path / "deep.json").write_text(deep, encoding="utf-8")
    (tmp_path / "records.jsonl").write_text(
        '{"text": "A first record that is fine."}\n' + '{"text": ' + deep + "}\n" + '{"text": "A third one."}\n',
        encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>Body of a page with a deep sidecar.</p>", encoding="utf-8")
    (tmp_path / "page.html.meta.json").write_text('{"title": ' + "[" * 50_000 + "]" * 50_000 + "}",
                                                   encoding="utf-8")
    docs, rejected = split(list(read_paths([tmp_path])))
    reasons = {Path(r.source).name: r.reason for r in rejected}
    assert reasons["deep.json"] == "malformed JSON: nested more than 64 levels deep"
    assert reasons["records.jsonl#2"] == "malformed JSON line: nested more than 64 levels deep"
    assert sorted(Path(d.source).name for d in docs) == ["page.html", "records.jsonl#1", "records.jsonl#3"]
    page = next(d for d in docs if d.source.endswith("page.html"))
    assert page.title is None  # the unreadable sidecar is ignored, the page is read


def test_jsonl_is_split_on_newlines_only(tmp_path):
    # U+2028, U+2029 and U+0085 are allowed raw inside JSON strings; splitlines() broke records on them
    records = ['{"text": "Line\u2028separator inside"}', '{"text": "Paragraph\u2029separator"}',
               '{"text": "Next\u0085line"}', '{"text": "Windows line end"}']
    (tmp_path / "r.jsonl").write_bytes(("\n".join(records[:3]) + "\r\n" + records[3] + "\r\n").encode("utf-8"))
    docs, rejected = split(list(read_paths([tmp_path / "r.jsonl"])))
    assert rejected == []
    assert [Path(d.source).name for d in docs] == ["r.jsonl#1", "r.jsonl#2", "r.jsonl#3", "r.jsonl#4"]
    assert docs[0].content == "Line\u2028separator inside" and docs[3].content == "Windows line end"


def test_truncated_plain_warc_record_is_refused(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for number in range(2):
        body = b"<html><body><p>" + b"Quarterly figures were published on Monday. " * 40 + b"</p></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://example.org/{number}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    whole = buffer.getvalue()
    (tmp_path / "whole.warc").write_bytes(whole)
    (tmp_path / "cut.warc").write_bytes(whole[:-300])
    docs, rejected = split(list(read_paths([tmp_path])))
    assert sorted(d.source.rsplit("/", 1)[-1] for d in docs) == ["cut.warc#1", "whole.warc#1", "whole.warc#2"]
    [cut] = rejected
    assert cut.source.endswith("cut.warc#2") and cut.reason.startswith("truncated WARC record: ")


def test_a_text_longer_than_any_article_is_refused_with_its_reason(tmp_path):
    settings = load({}, max_article_chars=5_000)
    (tmp_path / "long.txt").write_text("word " * 2_000, encoding="utf-8")  # 10,000 characters on one line
    (tmp_path / "ok.txt").write_text("A short article body. " * 50, encoding="utf-8")
    (tmp_path / "r.jsonl").write_text('{"text": "' + "word " * 2_000 + '"}\n{"text": "Fine."}\n', encoding="utf-8")
    docs, rejected = split(list(read_paths([tmp_path], settings)))
    reasons = {Path(r.source).name: r.reason for r in rejected}
    assert set(reasons) == {"long.txt", "r.jsonl#1"}
    assert all("more than max_article_chars (5,000)" in reason for reason in reasons.values())
    assert sorted(Path(d.source).name for d in docs) == ["ok.txt", "r.jsonl#2"]


def test_a_gzip_bomb_in_a_warc_is_refused_before_it_is_inflated(tmp_path, monkeypatch):
    import parallax.sources.files as files

    monkeypatch.setattr(files, "BOMB_FLOOR", 1 << 20)  # a small bomb for the test: 64 MiB of zeros
    member = gzip.compress(b"\0" * (8 << 20), 9)
    (tmp_path / "bomb.warc.gz").write_bytes(member * 8)
    _, [rejected] = split(list(read_paths([tmp_path / "bomb.warc.gz"])))
    assert "decompression bomb" in rejected.reason


def test_deeply_nested_html_is_rejected_with_a_hint_why():
    from parallax.clean import clean_document

    html = "<html><body>" + "<div>" * 5_000 + "A paragraph of real text. " * 40 + "</div>" * 5_000 + "</body></html>"
    rejected = clean_document(RawDocument(source="deep.html", content=html.encode(), kind="html"), load())
    assert isinstance(rejected, Rejected) and "more than 255 deep" in rejected.reason
    shallow = "<html><body><p>Too short.</p></body></html>"
    rejected = clean_document(RawDocument(source="short.html", content=shallow.encode(), kind="html"), load())
    assert isinstance(rejected, Rejected) and "deep" not in rejected.reason


def test_an_empty_json_array_is_rejected_with_a_reason(tmp_path):
    """Found by bench/reliability/fuzz.py: a .json file holding [] gave nothing at all (no document,
    no rejection), so the file vanished from the batch's report."""
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    (items,) = [list(read_paths([tmp_path / "empty.json"]))]
    assert items == [Rejected(str(tmp_path / "empty.json"), "file has no records (an empty JSON array)")]


def test_a_warc_response_without_a_target_uri_is_rejected_and_the_batch_goes_on(tmp_path):
    """Found by bench/reliability/fuzz.py: warcio raised AttributeError on a response record with no
    WARC-Target-URI, which escaped read_paths and stopped the batch."""
    (tmp_path / "a.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: 48\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\nabc\r\n\r\n")
    (tmp_path / "b.txt").write_text("The batch goes on.", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert isinstance(items[0], Rejected) and items[0].reason.startswith("malformed WARC: AttributeError")
    assert isinstance(items[1], RawDocument) and items[1].content == "The batch goes on."


def test_a_file_of_white_space_is_rejected_whatever_its_kind(tmp_path):
    """Found by bench/reliability/fuzz.py: a gzipped .html of blank lines became a document with no content."""
    (tmp_path / "blank.html.gz").write_bytes(gzip.compress(b"\n\t\n\n"))
    (tmp_path / "blank.html").write_bytes(b"  \r\n ")
    reasons = [item.reason for item in read_paths([tmp_path])]
    assert reasons == ["file holds only white space", "file holds only white space"]


def _two_record_warc() -> tuple[bytes, bytes]:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    body = b"<html><body><p>" + b"Quarterly figures were published on Monday. " * 40 + b"</p></body></html>"
    for number in range(2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://example.org/{number}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue(), body


def test_a_warc_record_whose_content_length_is_short_is_refused_and_nothing_is_printed(tmp_path, capfd):
    """warcio printed "Record not followed by newline" to stderr and the cut record went on as whole."""
    whole, _ = _two_record_warc()
    first_end = whole.index(b"WARC/1.0", 10)
    length = re.search(rb"Content-Length: (\d+)", whole[:first_end])
    assert length is not None
    short = str(int(length.group(1)) - 40).encode()
    cut = whole[: length.start(1)] + short.rjust(len(length.group(1))) + whole[length.end(1):]
    (tmp_path / "short.warc").write_bytes(cut)
    docs, rejected = split(list(read_paths([tmp_path])))
    assert [Path(d.source).name for d in docs] == ["short.warc#2"]
    [bad] = rejected
    assert Path(bad.source).name == "short.warc#1"
    assert bad.reason.startswith("malformed WARC record: not followed by a blank line") and "Content-Length" in bad.reason
    assert capfd.readouterr().err == ""


def test_a_warc_broken_after_a_whole_record_keeps_that_record(tmp_path, capfd):
    whole, _ = _two_record_warc()
    second = whole.index(b"WARC/1.0", 10)
    (tmp_path / "broken.warc").write_bytes(whole[:second] + b"NOT A WARC HEADER\r\n\r\n" + b"x" * 500)
    docs, rejected = split(list(read_paths([tmp_path])))
    assert [Path(d.source).name for d in docs] == ["broken.warc#1"]
    assert [r.reason.split(":")[0] for r in rejected] == ["malformed WARC"]
    assert capfd.readouterr().err == ""
