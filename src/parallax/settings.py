"""Every Parallax setting, declared once: name, default, help.

Each setting can be overridden by the environment variable ``PARALLAX_<NAME>`` (upper case), and
by keyword in code: ``load(db="x.db")``. Bad values fail at start-up with a clear message.

>>> load(summary_words=80).summary_words
80
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import ConfigError
from .priority import POLICIES


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "parallax.db", "Database: a SQLite file path, or a postgresql:// URL."),
    Setting("max_input_bytes", 20_000_000, "Largest input file or record read, in bytes."),
    Setting("max_article_chars", 150_000, "Longest text document or record read, in characters (about 25,000 words; the longest article of the evaluation sets has 58,073): a longer one is refused with its reason rather than costing minutes of cleaning and analysis."),
    Setting("min_words", 20, "An article with fewer words of body text is rejected."),
    Setting("summary_words", 120, "Target length of a story summary, in words."),
    Setting("dedup_threshold", 0.8, "Estimated Jaccard similarity at which an article is a syndicated copy."),
    Setting("dedup_num_perm", 128, "MinHash permutations for near-duplicate detection."),
    Setting("dedup_shingle", 5, "Words per shingle for near-duplicate detection."),
    Setting("dedup_window_days", 30.0, "Copies are sought among articles published this many days before the newest (0: all ever seen)."),
    Setting("story_threshold", 0.45, "Similarity at which an article joins an existing story (tuned on GoogleNews-TS)."),
    Setting("story_window_days", 7.0, "Articles further apart than this in time rarely share a story."),
    Setting("embeddings", True, "Use MiniLM sentence embeddings for story grouping and summaries."),
    Setting("allow_private_networks", False, "Let the fetcher reach loopback/private addresses (tests, self-hosting)."),
    Setting("fetch_timeout", 20.0, "Total deadline of one HTTP request, in seconds."),
    Setting("fetch_max_bytes", 10_000_000, "Largest decompressed HTTP response body, in bytes."),
    Setting("fetch_max_redirects", 5, "Most redirects followed by one request."),
    Setting("user_agent", "Parallax/0.1 (+https://example.invalid/parallax; news reader)", "User-Agent sent by the fetcher."),
    Setting("host_delay", 1.0, "Least time between two requests to one host, in seconds."),
    Setting("poll_interval", 900.0, "Default seconds between two polls of a feed (adapted per feed)."),
    Setting("batch_nice", 10, "Niceness batch work adds to itself (`parallax build`, `feeds poll`, the polling threads of `parallax run`) so the web app's readers get the CPU first; a batch command that leads its own session (a systemd service, `setsid`) adds it to its session's autogroup too; 0 turns it off."),
    Setting("batch_policy", "idle", "Linux scheduling policy batch work puts itself under (the same work as `batch_nice`): `idle` (SCHED_IDLE: it runs only on CPU time that no normal process wants, and a web request preempts it at once), `batch` (SCHED_BATCH) or `normal` (unchanged)."),
    Setting("host", "127.0.0.1", "Address the web app listens on."),
    Setting("port", 8000, "Port the web app listens on."),
    Setting("multi_user", False, "Require login (accounts, roles) instead of single-user mode."),
    Setting("secret_key", "", "Key that signs session cookies; generated and stored in the database when empty."),
)

_BY_NAME = {s.name: s for s in SETTINGS}
_CHOICES = {"batch_policy": tuple(POLICIES)}


def _coerce(setting: Setting, raw: Any) -> Any:
    kind = type(setting.default)
    if isinstance(raw, kind) and not (kind is int and isinstance(raw, bool)):
        return raw
    text = str(raw).strip()
    try:
        if kind is bool:
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(text)
        return kind(text)
    except ValueError:
        raise ConfigError(
            f"setting {setting.name!r} (PARALLAX_{setting.name.upper()}) wants a {kind.__name__}, got {raw!r}"
        ) from None


@dataclass(frozen=True, slots=True)
class Settings:
    db: str
    max_input_bytes: int
    max_article_chars: int
    min_words: int
    summary_words: int
    dedup_threshold: float
    dedup_num_perm: int
    dedup_shingle: int
    dedup_window_days: float
    story_threshold: float
    story_window_days: float
    embeddings: bool
    allow_private_networks: bool
    fetch_timeout: float
    fetch_max_bytes: int
    fetch_max_redirects: int
    user_agent: str
    host_delay: float
    poll_interval: float
    batch_nice: int
    batch_policy: str
    host: str
    port: int
    multi_user: bool
    secret_key: str

    def with_(self, **overrides: Any) -> Settings:
        """A copy with some settings changed (``None`` values are ignored)."""
        clean = {k: _coerce(_BY_NAME[k], v) for k, v in overrides.items() if v is not None}
        return replace(self, **clean)


def load(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then ``PARALLAX_*`` environment variables, then keyword overrides."""
    env = os.environ if environ is None else environ
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(f"PARALLAX_{setting.name.upper()}", setting.default)
        values[setting.name] = _coerce(setting, raw)
    for name, value in overrides.items():
        if value is not None:
            values[name] = _coerce(_BY_NAME[name], value)
    for name, allowed in _CHOICES.items():
        if values[name] not in allowed:
            raise ConfigError(f"setting {name!r} (PARALLAX_{name.upper()}) must be one of {', '.join(allowed)}, "
                              f"got {values[name]!r}")
    return Settings(**values)


assert {f.name for f in fields(Settings)} == set(_BY_NAME), "Settings fields must match SETTINGS"
