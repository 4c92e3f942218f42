"""Right to erasure (`mentoring.profile.deleted`): the person leaves every notifications collection.

What stays is a tombstone in the people projection (so a late or replayed event cannot bring them
back), and their id in other people's notifications, which render them as a neutral stand-in — a
message still to be sent that is about them is withdrawn when its turn comes (`domain.composition`).
Their name was never copied anywhere but the people projection; the match reasons that carry first
names are dropped from their pairs, and their rows leave managers' digests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from services.notifications.use_cases.ports import UnitOfWork


def erase_people(uow: UnitOfWork, erasures: Sequence[Mapping[str, Any]]) -> None:
    for erasure in erasures:
        person = erasure["employee_id"]
        uow.people.erase(person, erasure["version"])
        uow.goals.erase(person)
        uow.preferences.erase(person)
        uow.mentorships.forget_reasons_of(person)
        uow.notifications.erase_recipient(person)
        uow.notifications.forget_in_digests(person)
        uow.after_commit(lambda person=person: uow.handoff.forget(person))
