"""The claim-actor scorer of bench/eval_claims.py (see "Claim actors" in bench/gold/README.md)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_an_actor_names_the_gold_by_its_words_and_head():
    from eval_claims import names_actor

    assert names_actor("Hospital officials", "hospital officials")
    assert names_actor("officials", "Hospital officials")  # one inside the other, same head
    assert names_actor("top nuclear experts", "the region's top nuclear experts")
    assert names_actor("Dennis", "Alan R. Dennis")  # a capitalised name inside the output
    assert not names_actor("report", "Windy Blackwell")
    assert not names_actor("officials", "officials' lawyers")  # another head
    assert not names_actor("business owner", "owner of the business")


def test_none_is_right_only_against_none():
    from eval_claims import names_actor

    assert names_actor(None, None)
    assert not names_actor(None, "North Korea")
    assert not names_actor("police", None)
