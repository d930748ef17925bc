"""Web security helpers: headers, passwords, signed session cookies, CSRF tokens, safe output.

>>> safe_url("javascript:alert(1)") is None
True
>>> sanitize_html('<p onclick="x()">hi<script>bad()</script></p>')
'<p>hi</p>'
>>> str(highlight("<b>" + "\\x02" + "war" + "\\x03"))
'&lt;b&gt;<mark>war</mark>'

Every page answers with a strict Content-Security-Policy (no inline script or style, no framing),
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``. State-changing requests
carry a CSRF token bound to the browser's session cookie (both modes: a hostile page must not be
able to post to a loopback Parallax either).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import nh3
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup, escape
from starlette.responses import JSONResponse

from ..store.queries import MATCH_END, MATCH_START

log = logging.getLogger(__name__)

#: Name of the cookie that carries the signed session token (anonymous or logged in).
SESSION_COOKIE = "parallax_session"
#: Form field and header that carry the CSRF token.
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
#: How long a login lasts.
SESSION_DAYS = 14
#: State key of the generated signing key when ``PARALLAX_SECRET_KEY`` is empty.
SECRET_STATE_KEY = "web.secret_key"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    "script-src 'self'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'; "
    "base-uri 'none'; "
    "object-src 'none'"
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

#: Tags and attributes kept when article HTML is shown (everything else is dropped or escaped).
ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "b", "i", "blockquote", "ul", "ol", "li", "q", "cite", "code"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}

_hasher = PasswordHasher()


# -- output -------------------------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link, else None (``javascript:``, ``data:`` ...)."""
    if not url:
        return None
    text = url.strip()
    if any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text):  # C0, DEL and C1 controls
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return text


def sanitize_html(html: str) -> str:
    """Article HTML reduced to an allowlist of tags (nh3); links get ``rel=noopener noreferrer``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def highlight(snippet: str | None) -> Markup:
    """A search snippet escaped first, then its match marks turned into ``<mark>``."""
    text = str(escape((snippet or "").replace("<mark>", "")))
    return Markup(text.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>"))


def plain_snippet(snippet: str | None) -> str:
    """A search snippet without its match marks (for JSON and feeds)."""
    return (snippet or "").replace(MATCH_START, "").replace(MATCH_END, "")


class SafeJSONResponse(JSONResponse):
    """JSON whose ``<``, ``>`` and ``&`` are ``\\u`` escapes, so no byte of it reads as markup."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=str)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return text.encode("utf-8")


# -- passwords ----------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches the argon2 hash (False for a missing or broken hash)."""
    if not password_hash:
        _hasher.hash(password)  # spend the same time as a real check
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# -- sessions and CSRF --------------------------------------------------------------------


def new_token() -> str:
    """A fresh random session token."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def session_expiry(days: int = SESSION_DAYS) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat(timespec="seconds")


class Signer:
    """Signs session cookies and derives CSRF tokens from one secret key."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("empty secret key")
        self._key = hashlib.sha256(("parallax-csrf:" + secret).encode()).digest()
        self._cookies = URLSafeTimedSerializer(secret, salt="parallax-session")

    def sign(self, token: str) -> str:
        return self._cookies.dumps(token)

    def unsign(self, value: str | None, *, max_age_days: int = SESSION_DAYS) -> str | None:
        """The session token inside a signed cookie, or None when forged, malformed or too old."""
        if not value:
            return None
        try:
            token = self._cookies.loads(value, max_age=max_age_days * 86400)
        except (BadSignature, ValueError, TypeError):
            return None
        return token if isinstance(token, str) and 20 <= len(token) <= 100 else None

    def csrf_token(self, session_token: str) -> str:
        """The CSRF token bound to one session token."""
        return hmac.new(self._key, session_token.encode(), hashlib.sha256).hexdigest()

    def mac(self, message: str) -> str:
        """An HMAC-SHA256 of ``message`` under the signing key (hex): API tokens derived, not stored."""
        return hmac.new(self._key, ("api:" + message).encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, session_token: str | None, candidate: str | None) -> bool:
        if not session_token or not candidate:
            return False
        return hmac.compare_digest(self.csrf_token(session_token), candidate.strip())


def is_loopback(host: str | None) -> bool:
    """True for a loopback client address (127.0.0.0/8, ::1)."""
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False
