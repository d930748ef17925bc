"""The substring rules of a synthesis: every cited text is verbatim in each article it cites."""

from __future__ import annotations

from collections.abc import Mapping

from ..models import Article, Synthesis


def check_substrings(synthesis: Synthesis, articles_by_id: Mapping[str, Article]) -> list[str]:
    """Violations of the substring rules (empty when every text is in every article it cites).

    >>> check_substrings(Synthesis("s", "t", (), ()), {})
    []
    """
    items: list[tuple[str, str, tuple[str, ...]]] = []
    items += [("summary", s.text, s.article_ids) for s in synthesis.summary]
    items += [("quote", q.text, q.article_ids) for q in synthesis.quotes]
    items += [("figure", f.text, f.article_ids) for f in synthesis.figures]
    items += [("position", p.text, p.article_ids) for c in synthesis.claims for p in c.positions]
    items += [("timeline", e.text, e.article_ids) for e in synthesis.timeline]
    violations = []
    for kind, text, ids in items:
        if not ids:
            violations.append(f"{kind} cites no article: {text[:60]!r}")
        if not text.strip():
            violations.append(f"{kind} has an empty text")
        for aid in ids:
            article = articles_by_id.get(aid)
            if article is None:
                violations.append(f"{kind} cites unknown article {aid}: {text[:60]!r}")
            elif text not in article.text:
                violations.append(f"{kind} not in article {aid}: {text[:60]!r}")
    for c in synthesis.coverage:
        for text in c.exclusive:
            if not any(text in articles_by_id[aid].text for aid in c.article_ids if aid in articles_by_id):
                violations.append(f"coverage of {c.outlet} not in its articles: {text[:60]!r}")
    return violations
