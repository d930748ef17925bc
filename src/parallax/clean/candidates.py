"""Body blocks trafilatura left out, added back by a classifier over the page's own blocks.

The page is cut into block lines (p, li, h1-h6, blockquote, td, div text, ...; nav, footer, aside,
forms and scripts skipped). Lines whose text is already in the extracted body are *kept*; each of
the others is scored by gradient-boosted trees (shipped as JSON, trained on AEB by
bench/train_html_add.py) on features of the line and its relation to the kept body: DOM steps to
the nearest kept line, inside the body's container, siblings and same-class blocks kept, position,
tag, length, link density, sentence shape and class/id words. Lines scored at least the model's
threshold are inserted after the kept line that precedes them in the page. A second ensemble (the
DROP trees, same features plus body_features) scores the kept lines, and a body paragraph whose
lines all score below its threshold (bylines, "originally published on", related links that
trafilatura kept) is dropped; both use one feature pass over the page. Embedded social posts
(tweets, ...) standing between body lines are added whatever the trees say (embedded_posts).

>>> from lxml import html
>>> tree = html.fromstring("<html><body><div class='story'><p>First body line of the report.</p>"
...     "<p>Second line that the extractor missed.</p></div><nav><p>Home</p></nav></body></html>")
>>> [line.text for line in block_lines(tree)]
['First body line of the report.', 'Second line that the extractor missed.']
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path

import numpy as np
from lxml import etree
from lxml.html import HtmlElement

from .boilerplate import noise_reason
from .textdump import _DROP_TAGS, _INLINE_TAGS, _STOP, TreeEnsemble

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("data") / "html_add_model.json"
# A line is added when its probability reaches this (overridden by the model file's "threshold").
ADD_THRESHOLD = 0.6
# A paragraph of the extracted body is dropped when every page line it holds scores below this with
# the model's drop trees (overridden by the model file's "drop_threshold").
DROP_THRESHOLD = 0.35
# A line is kept (already extracted) when this share of its 4-word shingles is in the body.
MATCH_SHARE = 0.5
# Distances (in lines, DOM steps) are capped here.
MAX_DISTANCE = 40

_SKIP = {
    "script", "style", "noscript", "template", "svg", "iframe", "head", "select", "option", "button",
    "nav", "footer", "aside", "form", "textarea", "input", "figcaption", "menu",
}  # fmt: skip
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "label", "img", "br",
}  # fmt: skip
_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "div", "dd", "dt", "pre")
_BAD_WORDS = re.compile(
    r"comment|related|share|social|footer|nav|menu|sidebar|widget|promo|banner|caption|credit|author"
    r"|byline|meta|tags?\b|newsletter|subscri|breadcrumb|recommend|teaser|popular|trending|login"
    r"|signup|modal|popup|cookie|advert|\bads?\b|sponsor|outbrain|taboola|toolbar|headline|title|date"
    r"|time|kicker|label|button|link|footnote|disclaimer|bio\b|most",
    re.IGNORECASE,
)
_GOOD_WORDS = re.compile(
    r"article|content|body|story|text|entry|post|main|copy|paragraph|detail|prose|rich", re.IGNORECASE
)
# Class of a blockquote holding an embedded social post (the embed codes of X/Twitter, Instagram,
# TikTok, Bluesky, Threads and Mastodon are blockquotes so classed), see embedded_posts.
_POST_CLASS = re.compile(r"tweet|instagram|tiktok|bluesky|threads|mastodon", re.IGNORECASE)
_WORD = re.compile(r"\w+", re.UNICODE)
_PUNCT = re.compile(r"[.!?;:]")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"""[.!?…:;。！？]["'”’»)\]」』）]*$""")
# the same test without a search from every position (line texts hold no newline): the last
# character before any closing quotes and brackets ends a sentence
_SENTENCE_ENDERS = ".!?…:;。！？"
_SENTENCE_CLOSERS = "\"'”’»)]」』）"
_STRIP = ".,;:!?\"'()"  # stripped from a token before the stop-word test
_FIRST = itemgetter(slice(None, 1))  # a token's first character


@dataclass(slots=True)
class BlockLine:
    """One block line of the page: its text, the block element holding it, characters in links."""

    text: str
    element: HtmlElement
    link_chars: int
    key: str = ""


def block_lines(tree: HtmlElement) -> list[BlockLine]:
    """The page's text, one line per innermost block element (skipped chrome left out)."""
    return page_lines(tree)[1]


def page_lines(tree: HtmlElement) -> tuple[list[str], list[BlockLine]]:
    """The page's visible lines (as textdump.html_visible_lines gives them) and its block lines.

    One walk of the tree gives both: visible lines break at every block element and ``br`` and
    keep nav, footer and forms; block lines break at block elements only and leave out _SKIP. The
    text either side of a ``br`` is joined as lxml gives it, without a space (the model is trained
    so; adding a space scored worse in cross-validation: AEB 0.9698, trafilatura-eval 0.9329).
    """
    text, lines = page_text(tree)
    return visible_lines_of(text), lines


def page_text(tree: HtmlElement) -> tuple[str, list[BlockLine]]:
    """The page's visible text, its lines not yet split (see visible_lines_of), and its block lines
    (see page_lines); ``len(text.split())`` counts the visible lines' words without making them."""
    visible: list[str] = []
    lines: list[BlockLine] = []
    blocks: list[HtmlElement] = []
    parts: list[str] = []
    link_chars = 0
    anchors = 0
    hidden = 0  # open elements of _SKIP that visible lines keep (nav, footer, ...)
    # the text of an element or a tail goes to the visible lines, and to the current block line
    # unless hidden (counted as link text inside an anchor); a block boundary ends the block line
    # (inlined rather than helper functions: this loop sees every element of the page)
    walker = etree.iterwalk(tree, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):
            tag = ""
        if event == "comment" or event == "pi":
            text = element.tail  # its own text is not page text, its tail is
        elif event == "start":
            if not tag or tag in _DROP_TAGS:
                walker.skip_subtree()  # its end event still comes, and adds the tail
                continue
            if tag == "br" or tag not in _INLINE_TAGS:
                visible.append("\n")
            if tag in _SKIP:
                hidden += 1
            elif hidden:
                pass
            elif tag == "a":
                anchors += 1
            elif tag not in _INLINE:
                if parts:
                    _flush(parts, link_chars, blocks, lines)
                    link_chars = 0
                blocks.append(element)
            text = element.text
        else:
            if tag and tag not in _DROP_TAGS and tag not in _INLINE_TAGS:
                visible.append("\n")
            if tag in _SKIP:
                hidden -= tag not in _DROP_TAGS
            elif hidden:
                pass
            elif tag == "a":
                anchors -= 1
            elif tag and tag not in _INLINE:
                if parts:
                    _flush(parts, link_chars, blocks, lines)
                    link_chars = 0
                if blocks:
                    blocks.pop()
            text = element.tail
        if text:
            visible.append(text)
            if not hidden:
                parts.append(text)
                if anchors:
                    link_chars += len(text.strip())
    if parts:
        _flush(parts, link_chars, blocks, lines)
    return "".join(visible), lines


def visible_lines_of(text: str) -> list[str]:
    """The visible lines of page_text's text: whitespace-normalised, empty ones left out."""
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _flush(parts: list[str], link_chars: int, blocks: list[HtmlElement], lines: list[BlockLine]) -> None:
    """End the current block line: its text parts (then cleared) become a BlockLine of the
    innermost open block, when there is text and an open block."""
    text = " ".join("".join(parts).split())
    if text and blocks:
        lines.append(BlockLine(text, blocks[-1], min(link_chars, len(text)), _key(text)))
    parts.clear()


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _grams(words: Sequence[str]) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + 4]) for i in range(len(words) - 3)]


def matched_lines(lines: Sequence[BlockLine], paragraphs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per line: the index of the body paragraph holding its text (-1: none), its shingle overlap."""
    keys = [_key(p) for p in paragraphs]
    index: dict[str, int] = {}
    gram_para: dict[tuple[str, ...], int] = {}
    for i, key in enumerate(keys):
        index.setdefault(key, i)
        for gram in _grams(key.split()):
            gram_para.setdefault(gram, i)
    joined = " " + " ".join(keys) + " "
    owner = [-1] * len(lines)
    overlap = [0.0] * len(lines)
    for n, line in enumerate(lines):
        key = line.key
        if not key:
            continue
        if key in index:
            owner[n], overlap[n] = index[key], 1.0
            continue
        grams = _grams(key.split())
        if grams:
            hits = [gram_para[g] for g in grams if g in gram_para]
            overlap[n] = len(hits) / len(grams)
            if overlap[n] >= MATCH_SHARE:
                owner[n] = max(set(hits), key=hits.count)
        elif " " + key + " " in joined:
            overlap[n] = 1.0
            owner[n] = next((i for i, k in enumerate(keys) if key in k), 0)
    return np.array(owner, dtype=np.int64), np.array(overlap)


FEATURE_NAMES = (
    "log_words", "log_chars", "link_density", "sentence_end", "punct_per_word", "comma_per_word",
    "digit_share", "capital_share", "stop_share", "noise", "overlap", "duplicate",
    *(f"tag_{t}" for t in _TAGS), "tag_other",
    "position", "between", "lines_to_prev_kept", "lines_to_next_kept", "words_to_prev_kept",
    "steps_to_prev_kept", "steps_to_next_kept", "lca_depth_prev", "depth", "in_body_root",
    "steps_to_body_root", "parent_kept_share", "parent_lines", "same_class_kept_share",
    "same_class_lines", "class_bad", "class_good", "ancestor_bad", "ancestor_good",
    "page_kept_words", "page_kept_share", "words_over_kept", "after_last_kept_words",
    "before_first_kept_words",
)  # fmt: skip


def _depths_and_paths(lines: Sequence[BlockLine]) -> list[list[HtmlElement]]:
    """Each line's element with its ancestors, root first."""
    cache: dict[HtmlElement, list[HtmlElement]] = {}
    paths = []
    for line in lines:
        element = line.element
        if element not in cache:
            cache[element] = [*reversed(list(element.iterancestors())), element]
        paths.append(cache[element])
    return paths


def _common(a: list[HtmlElement], b: list[HtmlElement]) -> int:
    """Depth of the lowest common ancestor of two root-first paths."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x is not y:
            break
        n += 1
    return n


def _body_root(
    paths: Sequence[list[HtmlElement]], kept: Sequence[int], words: Sequence[int], kept_words: float
) -> tuple[int, HtmlElement | None]:
    """The body's root and its depth: the deepest element holding at least 80 % of the kept lines'
    words (``kept``: their indices; ``paths``: each line's root-first path; ``words``: per line).

    Words are summed bottom-up once per element, not once per line and ancestor.

    >>> from lxml import html
    >>> tree = html.fromstring("<html><body><div><p>a b c</p><p>d e f g</p></div><p>h</p></body></html>")
    >>> ps = list(tree.iter("p"))
    >>> paths = [[*reversed(list(p.iterancestors())), p] for p in ps]
    >>> depth, root = _body_root(paths, [0, 1, 2], [3, 4, 1], 8.0)
    >>> depth, root.tag
    (2, 'div')
    """
    if not kept:
        return 0, None
    count: dict[int, int] = {}
    node: dict[int, list[HtmlElement]] = {}  # a root-first path whose element at the node's depth is it
    level: dict[int, list[int]] = {}  # node ids by depth
    for i in kept:
        path = paths[i]
        key = id(path[-1])
        if key not in count:
            count[key], node[key] = 0, path
            level.setdefault(len(path) - 1, []).append(key)
        count[key] += words[i]
    deepest = max(level)
    for depth in range(deepest, 0, -1):
        for key in level.get(depth, ()):
            path = node[key]
            parent = id(path[depth - 1])
            if parent not in count:
                count[parent], node[parent] = 0, path
                level.setdefault(depth - 1, []).append(parent)
            count[parent] += count[key]
    need = 0.8 * kept_words
    for depth in range(deepest, -1, -1):
        for key in level.get(depth, ()):
            if count[key] >= need:
                return depth, node[key][depth]
    return 0, None


@lru_cache(maxsize=1 << 14)
def _class_counts(kind: str | None, ident: str | None) -> tuple[int, int]:
    """Boilerplate and body words in an element's class and id."""
    if not kind and not ident:
        return 0, 0
    words = f"{kind or ''} {ident or ''}".lower()
    return len(_BAD_WORDS.findall(words)), len(_GOOD_WORDS.findall(words))


def embedded_posts(lines: Sequence[BlockLine], owner: np.ndarray) -> np.ndarray:
    """Lines of embedded social posts (tweets, Instagram posts, ...) quoted inside the body: in a
    blockquote whose class names the service (at most 3 levels up), between the first and the last
    line already in the body. The story quotes them, so they are added whatever the trees say.

    >>> from lxml import html
    >>> tree = html.fromstring("<div><p>The mayor answered on Monday evening.</p>"
    ...     "<blockquote class='twitter-tweet'><p>We will rebuild the pier this summer.</p>"
    ...     "— Mayor (@mayor) May 1</blockquote><p>Work starts in June, the council said.</p></div>")
    >>> lines = block_lines(tree)
    >>> embedded_posts(lines, np.array([0, -1, -1, 1])).tolist()
    [False, True, True, False]
    """
    mask = np.zeros(len(lines), dtype=bool)
    kept = np.flatnonzero(owner >= 0)
    if not kept.size:
        return mask
    for i in range(int(kept[0]) + 1, int(kept[-1])):
        if owner[i] >= 0:
            continue
        element = lines[i].element
        for _ in range(4):
            if element is None:
                break
            if element.tag == "blockquote" and _POST_CLASS.search(element.get("class") or ""):
                mask[i] = True
                break
            element = element.getparent()
    return mask


def candidate_mask(lines: Sequence[BlockLine], owner: np.ndarray) -> np.ndarray:
    """Lines the classifier scores: those not in the body.

    Leaving out short all-link lines (menu items, related headlines; 5 words or fewer) halves the
    lines to score but cost trafilatura-eval F1 (CV by page 0.9356/0.9356 -> 0.9332/0.9355 over two
    fold seeds), so every line outside the body is scored.
    """
    return owner < 0


def line_features(
    lines: Sequence[BlockLine], owner: np.ndarray, overlap: np.ndarray, rows: np.ndarray | None = None
) -> np.ndarray:
    """Feature rows (FEATURE_NAMES) of the lines, given which lines are already in the body; only the
    ``rows`` mask is filled (default: the candidates, candidate_mask), other rows stay zero."""
    n = len(lines)
    x = np.zeros((n, len(FEATURE_NAMES)))
    if not n:
        return x
    kept = owner >= 0
    tokens = [line.text.split() for line in lines]
    sizes = [len(t) for t in tokens]
    words = np.array(sizes, dtype=float)
    kept_idx = np.flatnonzero(kept)
    kept_words = float(words[kept].sum())
    paths = _depths_and_paths(lines)
    root_depth, root = _body_root(paths, kept_idx.tolist(), sizes, kept_words)
    kept_list = kept.tolist()
    parent_total: dict[int, int] = {}
    parent_kept: dict[int, int] = {}
    kind_total: dict[tuple[str, str], int] = {}
    kind_kept: dict[tuple[str, str], int] = {}
    texts: dict[str, int] = {}
    pids: list[int] = []
    kinds: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        element = line.element
        path = paths[i]
        pid = id(path[-2]) if len(path) > 1 else id(element)  # the parent (the element at the root)
        pids.append(pid)
        parent_total[pid] = parent_total.get(pid, 0) + 1
        parent_kept[pid] = parent_kept.get(pid, 0) + kept_list[i]
        kind = (element.tag, element.get("class") or "")
        kinds.append(kind)
        kind_total[kind] = kind_total.get(kind, 0) + 1
        kind_kept[kind] = kind_kept.get(kind, 0) + kept_list[i]
        texts[line.key] = texts.get(line.key, 0) + 1
    first = int(kept_idx[0]) if kept_idx.size else -1
    last = int(kept_idx[-1]) if kept_idx.size else -1
    cum = [0.0]
    for value in words.tolist():
        cum.append(cum[-1] + value)
    prev = -1
    prev_list = [-1] * n
    for i in range(n):
        prev_list[i] = prev
        if kept_list[i]:
            prev = i
    nxt = -1
    next_list = [-1] * n
    for i in range(n - 1, -1, -1):
        next_list[i] = nxt
        if kept_list[i]:
            nxt = i
    tag_col = FEATURE_NAMES.index("tag_p")
    tag_index = {tag: tag_col + k for k, tag in enumerate(_TAGS)}
    other_tag = tag_col + len(_TAGS)
    class_counts: dict[int, tuple[int, int]] = {}

    def class_words(element: HtmlElement) -> tuple[int, int]:
        counts = class_counts.get(id(element))
        if counts is None:
            counts = class_counts[id(element)] = _class_counts(element.get("class"), element.get("id"))
        return counts

    ancestor_words: dict[int, tuple[int, int]] = {}  # per element: class words of its near ancestors

    width = len(FEATURE_NAMES)
    log1p = math.log1p
    punct, digit, strip, upper = _PUNCT.findall, _DIGIT.findall, _STRIP, str.isupper
    stop = _STOP.__contains__
    page_kept = log1p(kept_words)
    kept_share = kept_idx.size / n
    overlap_list = overlap.tolist()
    c = other_tag + 1
    filled = np.flatnonzero(candidate_mask(lines, owner) if rows is None else rows).tolist()
    table: list[list[float]] = []
    for i in filled:
        line = lines[i]
        text, element = line.text, line.element
        toks = tokens[i]
        size, length = sizes[i], len(text)
        w = max(size, 1)
        row = [0.0] * width
        row[0] = log1p(size)
        row[1] = log1p(length)
        row[2] = line.link_chars / max(length, 1)
        final = text.rstrip(_SENTENCE_CLOSERS)[-1:]
        row[3] = float(bool(final) and final in _SENTENCE_ENDERS)  # _SENTENCE_END.search(text)
        row[4] = len(punct(text)) / w
        row[5] = text.count(",") / w
        row[6] = len(digit(text)) / max(length, 1)
        row[7] = sum(map(upper, map(_FIRST, toks))) / w
        row[8] = sum(map(stop, map(str.strip, text.casefold().split(), repeat(strip)))) / w
        row[9] = float(noise_reason(text) is not None)
        row[10] = overlap_list[i]
        row[11] = float(texts[line.key] > 1)
        tag = element.tag if isinstance(element.tag, str) else ""
        row[tag_index.get(tag, other_tag)] = 1.0
        row[c] = i / n
        row[c + 1] = float(first <= i <= last)
        p, q = prev_list[i], next_list[i]
        row[c + 2] = min(i - p, MAX_DISTANCE) if p >= 0 else MAX_DISTANCE
        row[c + 3] = min(q - i, MAX_DISTANCE) if q >= 0 else MAX_DISTANCE
        row[c + 4] = log1p(cum[i] - cum[p + 1]) if p >= 0 else 10.0
        path = paths[i]
        depth = len(path)
        lca_p = _common(path, paths[p]) if p >= 0 else 0
        lca_q = _common(path, paths[q]) if q >= 0 else 0
        row[c + 5] = min(depth - lca_p, MAX_DISTANCE) if p >= 0 else MAX_DISTANCE
        row[c + 6] = min(depth - lca_q, MAX_DISTANCE) if q >= 0 else MAX_DISTANCE
        row[c + 7] = lca_p
        row[c + 8] = depth
        inside = root is not None and depth > root_depth and path[root_depth] is root
        row[c + 9] = float(inside)
        row[c + 10] = min(depth - root_depth, MAX_DISTANCE) if inside else MAX_DISTANCE
        pid = pids[i]
        others = parent_total[pid] - 1
        row[c + 11] = (parent_kept[pid] - kept_list[i]) / others if others else -1.0
        row[c + 12] = others
        kind = kinds[i]
        others = kind_total[kind] - 1
        row[c + 13] = (kind_kept[kind] - kept_list[i]) / others if others else -1.0
        row[c + 14] = others
        row[c + 15], row[c + 16] = class_words(element)
        near = ancestor_words.get(id(element))
        if near is None:
            bad = good = 0
            for ancestor in path[max(root_depth, depth - 6) : -1]:
                b, g = class_words(ancestor)
                bad += b
                good += g
            near = ancestor_words[id(element)] = (bad, good)
        row[c + 17], row[c + 18] = near
        row[c + 19] = page_kept
        row[c + 20] = kept_share
        row[c + 21] = size / max(kept_words, 1.0)
        row[c + 22] = log1p(cum[i] - cum[last + 1]) if last >= 0 and i > last else 0.0
        row[c + 23] = log1p(cum[first] - cum[i + 1]) if 0 <= i < first else 0.0
        table.append(row)
    if table:
        x[filled] = table
    return x


BODY_FEATURE_NAMES = (
    "kept_words_before_share", "kept_words_after_share", "paragraph_position", "first_kept",
    "last_kept", "log_kept_words",
)  # fmt: skip


def body_features(lines: Sequence[BlockLine], owner: np.ndarray, paragraphs: int) -> np.ndarray:
    """Where each kept line stands in the extracted body (BODY_FEATURE_NAMES; the DROP trees' extra
    input): shares of the body's words before and after it, its paragraph's position, whether it
    is the body's first or last line, and the body's size.

    >>> lines = [BlockLine(t, None, 0) for t in ("Menu", "One two three", "Four five", "By Jo")]
    >>> body_features(lines, np.array([-1, 0, 1, 2]), 3).round(2).tolist()[1:]
    [[0.0, 0.57, 0.0, 1.0, 0.0, 2.08], [0.43, 0.29, 0.33, 0.0, 0.0, 2.08], [0.71, 0.0, 0.67, 0.0, 1.0, 2.08]]
    """
    n = len(lines)
    kept = owner >= 0
    words = np.array([len(line.text.split()) for line in lines], dtype=float) * kept
    total = max(float(words.sum()), 1.0)
    before = np.cumsum(words) - words
    first, last = np.zeros(n), np.zeros(n)
    index = np.flatnonzero(kept)
    if index.size:
        first[index[0]] = last[index[-1]] = 1.0
    return np.column_stack(
        [
            before / total,
            (total - before - words) / total,
            np.maximum(owner, 0) / max(paragraphs, 1),
            first,
            last,
            np.full(n, math.log1p(total)),
        ]
    )


@dataclass(frozen=True, slots=True)
class AddModel:
    """The candidate classifier and its threshold, and the optional DROP trees over kept lines."""

    trees: TreeEnsemble
    threshold: float = ADD_THRESHOLD
    drop: TreeEnsemble | None = None
    drop_threshold: float = DROP_THRESHOLD

    @classmethod
    def from_spec(cls, spec: dict) -> AddModel:
        """The model from its JSON export (see bench/train_html_add.py)."""
        return cls(
            TreeEnsemble(spec["trees"]),
            float(spec.get("threshold", ADD_THRESHOLD)),
            TreeEnsemble(spec["drop"]) if spec.get("drop") else None,
            float(spec.get("drop_threshold", DROP_THRESHOLD)),
        )

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Probability that each row's line is body text."""
        return self.trees.predict_proba(x)

    def dropped(
        self, lines: Sequence[BlockLine], owner: np.ndarray, x: np.ndarray, paragraphs: int
    ) -> set[int]:
        """Body paragraphs whose kept lines (rows of ``x`` filled for them) all score below the
        drop threshold (none without DROP trees)."""
        kept = owner >= 0
        if self.drop is None or not kept.any():
            return set()
        rows = np.hstack([x[kept], body_features(lines, owner, paragraphs)[kept]])
        low = self.drop.predict_proba(rows) < self.drop_threshold
        high = {int(o) for o, k in zip(owner[kept], low, strict=True) if not k}
        return {int(o) for o in owner[kept]} - high


@lru_cache(maxsize=1)
def load_add_model(path: Path = MODEL_PATH) -> AddModel | None:
    """The shipped candidate classifier, or None (nothing is added) when the file is missing."""
    if not path.exists():
        log.debug("candidate model %s missing: no blocks added", path)
        return None
    return AddModel.from_spec(json.loads(path.read_text(encoding="utf-8")))


def merge(
    paragraphs: Sequence[str],
    lines: Sequence[BlockLine],
    owner: np.ndarray,
    add: np.ndarray,
    drop: set[int] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """The paragraphs (but those numbered in ``drop``) with the added lines inserted after the kept
    line that precedes each."""
    before: list[str] = []
    after: dict[int, list[str]] = {}
    current = -1
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if owner[i] >= 0:
            current = max(current, int(owner[i]))
        elif add[i]:
            key = line.key
            if key in seen:
                continue
            seen.add(key)
            (before if current < 0 else after.setdefault(current, [])).append(line.text)
    out = list(before)
    for i, paragraph in enumerate(paragraphs):
        if i not in drop:
            out.append(paragraph)
        out.extend(after.get(i, ()))
    return out


def add_candidates(
    lines: Sequence[BlockLine], paragraphs: list[str], model: AddModel | None = None
) -> list[str]:
    """The paragraphs plus the page's block lines (see block_lines) the model scores as body, minus
    the paragraphs its DROP trees score as noise."""
    model = model or load_add_model()
    if model is None or not paragraphs:
        return paragraphs
    owner, overlap = matched_lines(lines, paragraphs)
    if (owner < 0).all():  # nothing of the body found on the page
        return paragraphs
    free = candidate_mask(lines, owner)
    # one feature pass: the candidates' rows, and the kept lines' too when there are DROP trees
    x = line_features(lines, owner, overlap, np.ones(len(lines), dtype=bool) if model.drop else free)
    add = np.zeros(len(lines), dtype=bool)
    add[free] = model.probabilities(x[free]) >= model.threshold
    add |= embedded_posts(lines, owner)
    drop = model.dropped(lines, owner, x, len(paragraphs))
    if not add.any() and not drop:
        return paragraphs
    return merge(paragraphs, lines, owner, add, drop)
