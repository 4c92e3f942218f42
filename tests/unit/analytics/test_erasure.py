"""Erasure: aggregates stay, the person's employee id, name and email go, even from replays."""

from __future__ import annotations

import json

from services.analytics.domain.kpis import summary
from services.analytics.domain.outcomes import outcomes
from tests.unit.analytics import builders as b
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, EXPECTED_SUMMARY, P

ERASE_A = b.deleted("A", 3)


def stored_text(projected: Projected) -> str:
    return json.dumps(projected.repo.kinds) + json.dumps(projected.repo.erasures)


def test_erased_person_leaves_no_id_name_or_email_but_every_figure_stays():
    projected = Projected().apply(scenario.events() + [ERASE_A])
    text = stored_text(projected)
    assert "Name A" not in text and "A@example.com" not in text and '"A"' not in text
    assert "Name B" in text  # everyone else is untouched
    assert summary(projected.facts(P), AS_OF) == EXPECTED_SUMMARY
    assert outcomes(projected.facts(P), 5, AS_OF)["participants"]["promoted"] == 1


def test_a_replay_after_the_erasure_does_not_bring_the_personal_data_back():
    projected = Projected().apply(scenario.events() + [ERASE_A])
    projected.apply(scenario.events() + [ERASE_A])
    assert "Name A" not in stored_text(projected)
    assert summary(projected.facts(P), AS_OF) == EXPECTED_SUMMARY


def test_a_version_arriving_after_the_erasure_is_stored_without_contact_data():
    projected = Projected().apply([b.profile("Z", 1, when=b.T0), b.deleted("Z", 3)])
    projected.apply([b.profile("Z", 2, when=b.at(1), name="Zed Late")])
    assert "Zed Late" not in stored_text(projected)


def test_people_appear_only_under_pseudonyms_outside_their_own_profile():
    projected = Projected().apply(scenario.events())
    for kind in ("mentorships", "sessions", "feedback", "goals", "enrollments"):
        assert '"M1"' not in json.dumps(projected.repo.kinds[kind]), kind
    assert projected.pseudonymise("M1") == projected.pseudonymise("M1") != projected.pseudonymise("M2")
    assert Projected().pseudonymise("M1") != projected.pseudonymise("M1")  # another key, another pseudonym


def test_export_shows_an_erased_participant_without_identity():
    from services.analytics.domain.export import rows

    projected = Projected().apply(scenario.events() + [ERASE_A])
    erased = [r for r in rows(projected.facts(P), AS_OF) if r["name"] == "(erased)"]
    assert len(erased) == 1 and erased[0]["employee_id"] is None and erased[0]["sessions_completed"] == 2


def test_an_erasure_in_the_same_consumer_batch_as_the_profile_still_strips_it():
    projected = Projected().apply([b.profile("Y", 1, name="Why Same"), b.deleted("Y", 2)], batch=100)
    assert "Why Same" not in stored_text(projected) and "Y@example.com" not in stored_text(projected)
