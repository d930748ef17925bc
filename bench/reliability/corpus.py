"""Generated news articles for the reliability runs: events covered by several outlets, plus copies.

Each event has its own vocabulary (place, person, subject words), so its articles group together
and apart from other events; each outlet writes its own sentences, so two outlets' reports are not
copies of each other. A syndicated copy repeats an article's text with a wire line and an
advertisement added, which the de-duplicator must find.

>>> arts = articles("a", events=2, per_event=2, seed=1)
>>> len(arts), len({a["event"] for a in arts})
(4, 2)
>>> copy = syndicated_copy(arts[0], "Copy Daily")
>>> copy["text"].endswith(arts[0]["text"]) and copy["outlet"] == "Copy Daily"
True
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PLACES = ["Valdivia", "Tromso", "Cusco", "Mombasa", "Da Nang", "Bergen", "Arequipa", "Kumasi", "Hobart",
          "Izmir", "Leon", "Cebu", "Tartu", "Oaxaca", "Gdansk", "Salta", "Kochi", "Nantes", "Perm", "Bursa",
          "Tabriz", "Sfax", "Cork", "Linz", "Pecs", "Trieste", "Oulu", "Aarhus", "Riga", "Split", "Braga",
          "Ghent", "Kaunas", "Brno", "Lublin", "Malmo", "Turku", "Porto", "Varna", "Iasi"]
FIRST = ["Ana", "Boris", "Chen", "Dara", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kemal", "Lena",
         "Marek", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sami", "Tova", "Umar", "Vera", "Wim", "Yara"]
LAST = ["Alvarez", "Brandt", "Castro", "Dimitrov", "Eriksen", "Fischer", "Gomez", "Halloran", "Ivanova",
        "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi",
        "Santos", "Tanaka", "Urban", "Varga", "Weber", "Zielinski"]
TOPICS = [
    "harbour bridge cables deck repairs traffic engineers steel lane budget",
    "earthquake tremor magnitude tsunami warning coast buildings landslides rescue",
    "wildfire blaze hectares firefighters evacuation smoke winds village",
    "election ballots turnout candidates coalition parliament votes count",
    "strike union workers wages railway trains negotiations pay",
    "flood river rainfall levees homes water rescue barges",
    "hospital nurses patients ward shortage surgery waiting beds",
    "airport runway flights passengers delays terminal airline luggage",
    "factory plant jobs closure layoffs production workers shifts",
    "museum painting theft gallery police collection auction thieves",
    "drought reservoir farmers crops harvest irrigation wells cattle",
    "vaccine clinic doses outbreak infections health ministry cases",
    "stadium football club fans match tickets league season",
    "mine collapse miners shaft rescue tunnel oxygen families",
    "tram network routes commuters fares timetable depot carriages",
    "budget tax deficit spending ministry bonds inflation revenue",
]
VERBS = ["said", "reported", "confirmed", "announced", "warned", "told reporters", "added", "noted"]
GLUE = ["on Monday", "late on Tuesday", "this week", "according to officials", "in a statement",
        "after a meeting", "by the evening", "earlier in the day", "at a news conference", "overnight"]


def _event(index: int, rng: random.Random) -> dict[str, Any]:
    topic = TOPICS[index % len(TOPICS)].split()
    return {
        "place": PLACES[index % len(PLACES)],
        "person": f"{FIRST[(index * 7) % len(FIRST)]} {LAST[(index * 5 + index // len(LAST)) % len(LAST)]}",
        "words": topic,
        "number": rng.randint(12, 980),
    }


def _sentence(event: dict[str, Any], rng: random.Random) -> str:
    words = rng.sample(event["words"], 4)
    number = event["number"] + rng.choice([0, 0, 1, 2, 10])
    forms = [
        (f"{event['person']} {rng.choice(VERBS)} that the {words[0]} and the {words[1]} in {event['place']} "
        f"were affected {rng.choice(GLUE)}."),
        (f"In {event['place']}, {number} {words[2]} were counted {rng.choice(GLUE)}, and the {words[3]} "
        f"remained a concern."),
        (f"Officials {rng.choice(VERBS)} the {words[0]} would take weeks, while the {words[1]} drew "
        f"crowds {rng.choice(GLUE)}."),
        f"\"We are watching the {words[2]} closely,\" {event['person']} {rng.choice(VERBS)}.",
        f"The {words[3]} near {event['place']} was the focus of the {words[0]} {rng.choice(GLUE)}.",
    ]
    return rng.choice(forms)


def articles(prefix: str, *, events: int, per_event: int, seed: int = 0, event_offset: int = 0,
             start: datetime | None = None) -> list[dict[str, Any]]:
    """``events`` x ``per_event`` JSONL records (``key``, ``event``, ``outlet``, ``published``, ...)."""
    rng = random.Random(f"{prefix}-{seed}")
    start = start or datetime(2026, 3, 2, 6, tzinfo=UTC)
    out = []
    for e in range(events):
        number = event_offset + e
        event = _event(number, random.Random(number))
        for k in range(per_event):
            body = " ".join(_sentence(event, rng) for _ in range(rng.randint(9, 13)))
            stamp = start + timedelta(hours=number % 48, minutes=7 * k + rng.randint(0, 5))
            out.append({
                "key": f"{prefix}-e{number}-{k}",
                "event": number,
                "outlet": f"{prefix.upper()} Outlet {k}",
                "url": f"https://{prefix}{k}.example/e{number}/{seed}",
                "published": stamp.isoformat(),
                "title": f"{event['place']}: {' '.join(rng.sample(event['words'], 3))}",
                "text": f"{event['place']} ({prefix}) - {body}",
            })
    return out


def syndicated_copy(record: dict[str, Any], outlet: str) -> dict[str, Any]:
    """A syndicated copy: the same text under another outlet, with a wire line and an advert around it."""
    return {
        **record,
        "key": record["key"] + "-copy-" + outlet.replace(" ", "").lower(),
        "outlet": outlet,
        "url": record["url"] + "?syndicated=" + outlet.replace(" ", "").lower(),
        "title": record["title"] + " (wire)",
        "text": "Advertisement\n\n" + record["text"],
        "copy_of": record["key"],
    }


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
