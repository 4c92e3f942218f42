"""Keeping this service's copy of the program current from the bus: people, programs, pairs, sessions, goals.

Each takes a whole batch of one event type's data (the consumer hands over a partition batch at once),
so every repository writes it with a few bulk operations. Replays and late events change nothing:
people and goals keep their newest version, pairs and sessions their furthest status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from services.notifications.use_cases.ports import UnitOfWork

Batch = Sequence[Mapping[str, Any]]


def record_profiles(uow: UnitOfWork, profiles: Batch) -> None:
    uow.people.record(profiles)


def record_programs(uow: UnitOfWork, programs: Batch) -> None:
    uow.programs.record(programs)


def record_mentorships(uow: UnitOfWork, mentorships: Batch) -> None:
    uow.mentorships.record(mentorships)


def record_sessions(uow: UnitOfWork, sessions: Batch) -> None:
    uow.sessions.record(sessions)


def record_goals(uow: UnitOfWork, goals: Batch) -> None:
    uow.goals.record(goals)


def record_feedback(uow: UnitOfWork, feedback: Batch) -> None:
    """Only that feedback exists and when: ratings never enter this store, so no message can leak one."""
    uow.feedback.record(feedback)
