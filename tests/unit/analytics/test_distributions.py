"""How long mentees waited for a match and how full the mentors are, on the hand-built program."""

from __future__ import annotations

from services.analytics.domain.distributions import match_waits, mentor_load
from tests.unit.analytics import builders as b
from tests.unit.analytics import scenario
from tests.unit.analytics.builders import at
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import P

FACTS = Projected().apply(scenario.events()).facts(P)


def test_matched_mentees_by_their_wait_from_enrollment_to_start():
    # A 48 h, E 75 h, B 96 h; C was declined and D only proposed; F withdrew
    assert {w["waited"]: w["mentees"] for w in match_waits(FACTS)} == {
        "< 3 days": 1, "3–7 days": 2, "1–2 weeks": 0, "2–4 weeks": 0, "4+ weeks": 0}


def test_mentors_by_their_pairs_against_their_capacity():
    # M1: X1 active + X5 proposed of 2 (full); M2: X4 active of 1 (full), X3 declined; M3: nobody of 3
    assert mentor_load(FACTS) == {"without_mentee": 1, "with_room": 0, "full": 2}
    another = b.mentorship("proposed", "X6", P, "M3", "C", created=at(11))
    assert mentor_load(Projected().apply([*scenario.events(), another]).facts(P)) == {
        "without_mentee": 0, "with_room": 1, "full": 2}
