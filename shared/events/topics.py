"""Which event type goes on which topic, keyed by which aggregate id (DESIGN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema

from shared.events import schemas as s

DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True)
class EventType:
    name: str
    topic: str
    key_field: str
    schema: type[Schema]


def _types(topic: str, key_field: str, **schemas: type[Schema]) -> dict[str, EventType]:
    return {f"mentoring.{suffix.replace('__', '.')}": EventType(f"mentoring.{suffix.replace('__', '.')}",
                                                                  topic, key_field, schema)
            for suffix, schema in schemas.items()}


EVENT_TYPES: dict[str, EventType] = {
    **_types("mentoring.profiles", "employee_id", profile__created=s.ProfileData,
             profile__updated=s.ProfileData, profile__deleted=s.ProfileDeletedData),
    **_types("mentoring.goals", "employee_id", goal__created=s.GoalData, goal__progressed=s.GoalData,
             goal__completed=s.GoalData),
    **_types("mentoring.programs", "program_id", program__created=s.ProgramData,
             enrollment__created=s.EnrollmentData, enrollment__withdrawn=s.EnrollmentData,
             matching_run__completed=s.MatchingRunData),
    **_types("mentoring.mentorships", "mentorship_id", mentorship__proposed=s.MentorshipData,
             mentorship__started=s.MentorshipData, mentorship__declined=s.MentorshipData,
             mentorship__ended=s.MentorshipData),
    **_types("mentoring.sessions", "mentorship_id", session__scheduled=s.SessionData,
             session__completed=s.SessionData, session__cancelled=s.SessionData),
    **_types("mentoring.feedback", "mentorship_id", feedback__submitted=s.FeedbackData),
    **_types("mentoring.notifications", "recipient_id", notification__delivered=s.NotificationData,
             notification__failed=s.NotificationData),
}

TOPICS: tuple[str, ...] = tuple(dict.fromkeys(t.topic for t in EVENT_TYPES.values()))


def dlq_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX
