"""Local files as article sources: HTML (optionally gzipped), text dumps, JSON/JSONL, WARC.

>>> docs = list(read_paths(["tests/fixtures/articles"]))  # doctest: +SKIP

Every input yields either a :class:`~parallax.models.RawDocument` or a
:class:`~parallax.models.Rejected` with the reason; one bad file never stops the batch.
A sidecar ``NAME.meta.json`` next to ``NAME`` supplies metadata (url, outlet, title, byline,
published) for it.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import logging
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import RawDocument, Rejected
from ..settings import Settings, load

log = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
TEXT_SUFFIXES = (".txt", ".text", ".txt.gz")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
META_SUFFIX = ".meta.json"
META_KEYS = ("url", "outlet", "title", "byline", "published")


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for group in (HTML_SUFFIXES, TEXT_SUFFIXES, WARC_SUFFIXES, JSON_SUFFIXES):
        for suffix in sorted(group, key=len, reverse=True):
            if name.endswith(suffix):
                return suffix
    return path.suffix.lower()


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime from an ISO/RFC date string, or None when it cannot be read."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        from dateutil import parser as dateparser

        try:
            parsed = dateparser.parse(str(value))
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM), falling back to charset detection."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("text is not in a known character encoding")
    return str(best)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


def _read_bytes(path: Path, settings: Settings) -> bytes:
    size = path.stat().st_size
    if size > settings.max_input_bytes:
        raise InputError(f"file is too large ({size} bytes > {settings.max_input_bytes})")
    if size == 0:
        raise InputError("file is empty")
    data = path.read_bytes()
    if path.name.lower().endswith(".gz") and not path.name.lower().endswith(".warc.gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                data = handle.read(settings.max_input_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"broken gzip file: {exc}") from None
        if len(data) > settings.max_input_bytes:
            raise InputError(f"decompressed file is too large (> {settings.max_input_bytes} bytes)")
        if not data:
            raise InputError("file is empty")
    if not data.strip():
        raise InputError("file holds only white space")
    return data


#: A WARC's gzip stream may be large, but one that inflates more than BOMB_RATIO times its compressed
#: size past BOMB_FLOOR bytes is a decompression bomb (web archives compress 3-10 fold).
BOMB_RATIO = 100
BOMB_FLOOR = 64 << 20

#: Deepest nesting of arrays and objects accepted in a JSON file, record or sidecar. A news record
#: is two or three levels deep; 50,000 levels made ``json.loads`` raise RecursionError.
MAX_JSON_DEPTH = 64
_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply ``text``'s arrays and objects nest (strings skipped), counting up to ``limit + 1``.

    >>> json_depth('{"a": [1, {"b": "[[["}]}'), json_depth("[" * 100, limit=5)
    (3, 6)
    """
    depth = deepest = 0
    for match in _NESTING.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif token in "]}":
            depth -= 1
    return deepest


def loads_json(text: str) -> Any:
    """``json.loads`` that refuses deep nesting with a reason (ValueError) instead of recursing."""
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return json.loads(text)
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep") from None


def _sidecar(path: Path) -> dict[str, Any]:
    meta_path = path.with_name(path.name + META_SUFFIX)
    if not meta_path.exists():
        stem = path.name.split(".")[0]
        alt = path.with_name(stem + META_SUFFIX)
        meta_path = alt if alt.exists() else meta_path
    if not meta_path.exists():
        return {}
    try:
        meta = loads_json(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable sidecar %s: %s", meta_path, exc)
        return {}
    return meta if isinstance(meta, dict) else {}


def _meta_fields(record: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in META_KEYS:
        value = record.get(key)
        if key == "published":
            fields[key] = parse_date(value)
        elif isinstance(value, str) and value.strip():
            fields[key] = value.strip()
        else:
            fields[key] = None
    return fields


def _too_long(text: str, settings: Settings) -> str | None:
    """The reason a text document is refused for its length, or None."""
    if len(text) > settings.max_article_chars:
        return (f"text has {len(text):,} characters, more than max_article_chars ({settings.max_article_chars:,}):"
                " too long for an article (raise PARALLAX_MAX_ARTICLE_CHARS to read it)")
    return None


def file_time(path: Path) -> datetime | None:
    """The file's modification time (UTC): where its undated articles are placed; None if unreadable."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except (OSError, ValueError, OverflowError):
        return None


def _record_document(record: Any, source: str, settings: Settings, placed: datetime | None = None) -> RawDocument | Rejected:
    if not isinstance(record, dict):
        return Rejected(source, f"record is a JSON {type(record).__name__}, not an object")
    meta = {**_meta_fields(record), "placed": placed}
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        return RawDocument(source=source, content=html, kind="html", **meta)
    if isinstance(text, str) and text.strip():
        too_long = _too_long(text, settings)
        if too_long:
            return Rejected(source, too_long)
        return RawDocument(source=source, content=text, kind="text", **meta)
    return Rejected(source, "record has neither a non-empty 'text' nor 'html'")


def _read_json(path: Path, data: bytes, settings: Settings) -> Iterator[RawDocument | Rejected]:
    text = decode_text(data)
    stripped = text.lstrip()
    if path.name.lower().endswith((".json", ".json.gz")) and stripped[:1] in "[{":
        try:
            value = loads_json(text)
        except ValueError as exc:
            yield Rejected(str(path), f"malformed JSON: {exc}")
            return
        records = value if isinstance(value, list) else [value]
        if not records:
            yield Rejected(str(path), "file has no records (an empty JSON array)")
            return
        for index, record in enumerate(records):
            yield _record_document(record, f"{path}#{index + 1}" if isinstance(value, list) else str(path), settings,
                                   file_time(path))
        return
    seen = 0
    placed = file_time(path)
    # JSON Lines are split on "\n" alone: str.splitlines also breaks on U+2028, U+2029 and U+0085,
    # which JSON allows raw inside strings
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        seen += 1
        try:
            record = loads_json(line)
        except ValueError as exc:
            yield Rejected(f"{path}#{number}", f"malformed JSON line: {exc}")
            continue
        yield _record_document(record, f"{path}#{number}", settings, placed)
    if not seen:
        yield Rejected(str(path), "file has no records")


def _warc_response(record: Any, source: str, path: Path, settings: Settings) -> RawDocument | Rejected:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
    status = record.http_headers.get_statuscode() if record.http_headers else "200"
    if status and not str(status).startswith("2"):
        return Rejected(source, f"HTTP status {status} for {uri}")
    if "html" not in ctype.lower() and "xml" not in ctype.lower():
        return Rejected(source, f"not an HTML response ({ctype or 'no content type'}) for {uri}")
    body = record.content_stream().read(settings.max_input_bytes + 1)
    missing = getattr(record.raw_stream, "limit", 0) or 0  # bytes its Content-Length promised
    if len(body) > settings.max_input_bytes:
        return Rejected(source, f"response body is too large (> {settings.max_input_bytes} bytes)")
    if missing > 0:
        declared = record.rec_headers.get_header("Content-Length")
        return Rejected(source, f"truncated WARC record: {missing} of its {declared} bytes are missing")
    if not body.strip():
        return Rejected(source, "empty response body")
    stamp = parse_date(record.rec_headers.get_header("WARC-Date")) or file_time(path)
    return RawDocument(source=source, content=body, kind="html", url=uri, placed=stamp)


@functools.cache
def _quiet_archive_iterator() -> type:
    from warcio.archiveiterator import ArchiveIterator

    class QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
        """warcio's reader, with the warning it prints to stderr (a record not followed by a blank line: its
        Content-Length ends before the record does) kept as data: the record before it is refused."""

        def __init__(self, fileobj: Any) -> None:
            super().__init__(fileobj)
            self.misaligned: list[int] = []
            self.INC_RECORD = _Offsets(self.misaligned)

        def judge(self, item: RawDocument | Rejected) -> RawDocument | Rejected:
            if self.misaligned and isinstance(item, RawDocument):
                return Rejected(item.source, f"malformed WARC record: not followed by a blank line at byte "
                                             f"{self.misaligned[0]:,}: its Content-Length is wrong")
            return item

    return QuietArchiveIterator


class _Offsets:
    """Stands in for warcio's warning template: ``format`` records the offset and prints nothing."""

    def __init__(self, into: list[int]) -> None:
        self.into = into

    def format(self, offset: int, _line: bytes) -> str:
        self.into.append(offset)
        return ""


def _read_warc(path: Path, settings: Settings) -> Iterator[RawDocument | Rejected]:
    from warcio.exceptions import ArchiveLoadFailed

    responses = 0
    if path.name.lower().endswith(".gz"):
        try:  # warcio reads a truncated gzip stream without complaint: check it whole first
            with path.open("rb") as raw, gzip.GzipFile(fileobj=raw) as stream:
                inflated = 0
                while chunk := stream.read(1 << 20):
                    inflated += len(chunk)
                    if inflated > BOMB_FLOOR and inflated > BOMB_RATIO * max(raw.tell(), 1):
                        yield Rejected(str(path), f"gzip stream inflates more than {BOMB_RATIO}-fold "
                                                  f"({raw.tell():,} bytes to over {inflated:,}): a decompression bomb")
                        return
        except (OSError, EOFError, zlib.error) as exc:
            yield Rejected(str(path), f"malformed WARC: broken or truncated gzip stream ({exc})")
            return
    pending: RawDocument | Rejected | None = None  # held until the next record shows where it ended
    records: Any = None
    try:
        with path.open("rb") as handle:
            records = _quiet_archive_iterator()(handle)
            for number, record in enumerate(records, start=1):
                if pending is not None:
                    yield records.judge(pending)
                    pending = None
                if record.rec_type != "response":
                    continue
                responses += 1
                pending = _warc_response(record, f"{path}#{number}", path, settings)
                records.misaligned.clear()
            if pending is not None:
                yield records.judge(pending)
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        if pending is not None:  # read whole before the break
            yield records.judge(pending)
        yield Rejected(str(path), f"malformed WARC: {exc}")
        return
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        # warcio trips over some malformed headers itself (a response record without a
        # WARC-Target-URI raises AttributeError): the file is malformed, the batch goes on
        if pending is not None:
            yield records.judge(pending)
        yield Rejected(str(path), f"malformed WARC: {type(exc).__name__} in the record headers ({exc})")
        return
    if not responses:
        yield Rejected(str(path), "WARC has no response records")


def read_file(path: Path, settings: Settings | None = None) -> Iterator[RawDocument | Rejected]:
    """The documents of one file (several for JSONL and WARC), or a rejection with the reason."""
    settings = settings or load()
    source = str(path)
    suffix = _suffix(path)
    try:
        if suffix in WARC_SUFFIXES:
            if path.stat().st_size == 0:
                raise InputError("file is empty")
            yield from _read_warc(path, settings)
            return
        data = _read_bytes(path, settings)
        if suffix in JSON_SUFFIXES:
            yield from _read_json(path, data, settings)
            return
        if suffix not in HTML_SUFFIXES and suffix not in TEXT_SUFFIXES:
            raise InputError(f"unsupported file type {suffix or '(none)'!r}")
        if _looks_binary(data):
            raise InputError("file is binary, not text or HTML")
        meta = {**_meta_fields(_sidecar(path)), "placed": file_time(path)}
        if suffix in HTML_SUFFIXES:
            yield RawDocument(source=source, content=data, kind="html", **meta)
        else:
            text = decode_text(data)
            if not text.strip():
                raise InputError("file has no text")
            too_long = _too_long(text, settings)
            if too_long:
                raise InputError(too_long)
            yield RawDocument(source=source, content=text, kind="text", **meta)
    except InputError as exc:
        yield Rejected(source, str(exc))
    except OSError as exc:
        yield Rejected(source, f"cannot read file: {exc.strerror or exc}")


def _walk(path: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower().endswith(META_SUFFIX):
                continue
            yield Path(root) / name


def read_paths(paths: Iterable[str | os.PathLike[str]], settings: Settings | None = None) -> Iterator[RawDocument | Rejected]:
    """Every document under the given files and directories (recursively), in a stable order."""
    settings = settings or load()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path):
                yield from read_file(file, settings)
        elif path.is_file():
            yield from read_file(path, settings)
        elif not path.exists():
            yield Rejected(str(path), "no such file or directory")
        else:
            yield Rejected(str(path), "not a regular file")
