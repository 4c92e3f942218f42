"""Every topic and event type on the bus, declared once (DESIGN.md §3).

Grep an event type's name and this is where it is declared: its topic, the aggregate id that keys
it, and the marshmallow schema of its `data`. Services refer to these constants, never to the
strings; `shared.topology` says who publishes and consumes each topic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from marshmallow import Schema

from shared.events import schemas as s

DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True)
class Topic:
    """A Kafka topic, the data field its messages are keyed by, and its broker settings."""

    name: str
    key_field: str
    description: str
    configs: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def dlq(self) -> str:
        return self.name + DLQ_SUFFIX


@dataclass(frozen=True)
class EventType:
    """One CloudEvents `type`: where it is published and what its `data` holds."""

    name: str
    topic: Topic
    schema: type[Schema]
    summary: str

    @property
    def key_field(self) -> str:
        return self.topic.key_field

    def __str__(self) -> str:
        return self.name


# Compacted, so that once the erasure tombstone is written the person's earlier profiles leave the log;
# a tombstone itself stays readable for delete.retention.ms (1 day) so every consumer sees it.
PROFILES = Topic("mentoring.profiles", "employee_id", "People as HR describes them; erasure signals.",
                 {"cleanup.policy": "compact", "delete.retention.ms": str(24 * 3600 * 1000),
                  "min.compaction.lag.ms": "0", "segment.ms": str(3600 * 1000),
                  "min.cleanable.dirty.ratio": "0.01"})
GOALS = Topic("mentoring.goals", "employee_id", "Development goals and their progress (never their text).")
PROGRAMS = Topic("mentoring.programs", "program_id", "Programs, enrollments and matching runs.")
MENTORSHIPS = Topic("mentoring.mentorships", "mentorship_id", "The life of each mentor–mentee pair.")
SESSIONS = Topic("mentoring.sessions", "mentorship_id", "Sessions of a pair (never their notes).")
FEEDBACK = Topic("mentoring.feedback", "mentorship_id", "Ratings given in a pair (never their comments).")
NOTIFICATIONS = Topic("mentoring.notifications", "recipient_id", "Outcomes of notification deliveries.")

TOPICS_DECLARED: tuple[Topic, ...] = (PROFILES, GOALS, PROGRAMS, MENTORSHIPS, SESSIONS, FEEDBACK, NOTIFICATIONS)

PROFILE_CREATED = EventType("mentoring.profile.created", PROFILES, s.ProfileData, "A person was added.")
PROFILE_UPDATED = EventType("mentoring.profile.updated", PROFILES, s.ProfileData, "A person's profile changed.")
PROFILE_DELETED = EventType("mentoring.profile.deleted", PROFILES, s.ProfileDeletedData,
                            "Erasure: every service removes or pseudonymises the person's data.")
GOAL_CREATED = EventType("mentoring.goal.created", GOALS, s.GoalData, "A development goal was set.")
GOAL_PROGRESSED = EventType("mentoring.goal.progressed", GOALS, s.GoalData, "A goal's progress or status changed.")
GOAL_COMPLETED = EventType("mentoring.goal.completed", GOALS, s.GoalData, "A goal reached 100 % or completed.")
PROGRAM_CREATED = EventType("mentoring.program.created", PROGRAMS, s.ProgramData, "A program was set up.")
ENROLLMENT_CREATED = EventType("mentoring.enrollment.created", PROGRAMS, s.EnrollmentData,
                               "A person joined a program as mentor or mentee.")
ENROLLMENT_WITHDRAWN = EventType("mentoring.enrollment.withdrawn", PROGRAMS, s.EnrollmentData,
                                 "A person left a program.")
MATCHING_RUN_COMPLETED = EventType("mentoring.matching_run.completed", PROGRAMS, s.MatchingRunData,
                                   "A cohort matching run finished.")
MENTORSHIP_PROPOSED = EventType("mentoring.mentorship.proposed", MENTORSHIPS, s.MentorshipData,
                                "A pair was proposed, with the reasons for the match.")
MENTORSHIP_STARTED = EventType("mentoring.mentorship.started", MENTORSHIPS, s.MentorshipData,
                               "The mentor accepted: the pair is active.")
MENTORSHIP_DECLINED = EventType("mentoring.mentorship.declined", MENTORSHIPS, s.MentorshipData,
                                "A proposed pair was declined.")
MENTORSHIP_ENDED = EventType("mentoring.mentorship.ended", MENTORSHIPS, s.MentorshipData, "A pair ended.")
SESSION_SCHEDULED = EventType("mentoring.session.scheduled", SESSIONS, s.SessionData, "A session was scheduled.")
SESSION_COMPLETED = EventType("mentoring.session.completed", SESSIONS, s.SessionData, "A session took place.")
SESSION_CANCELLED = EventType("mentoring.session.cancelled", SESSIONS, s.SessionData, "A session was cancelled.")
FEEDBACK_SUBMITTED = EventType("mentoring.feedback.submitted", FEEDBACK, s.FeedbackData,
                               "A member of a pair rated a session or the mentorship.")
NOTIFICATION_DELIVERED = EventType("mentoring.notification.delivered", NOTIFICATIONS, s.NotificationData,
                                   "A notification reached its recipient on one channel.")
NOTIFICATION_FAILED = EventType("mentoring.notification.failed", NOTIFICATIONS, s.NotificationData,
                                "A delivery on one channel failed for good.")

EVENT_TYPES: dict[str, EventType] = {t.name: t for t in (
    PROFILE_CREATED, PROFILE_UPDATED, PROFILE_DELETED, GOAL_CREATED, GOAL_PROGRESSED, GOAL_COMPLETED,
    PROGRAM_CREATED, ENROLLMENT_CREATED, ENROLLMENT_WITHDRAWN, MATCHING_RUN_COMPLETED, MENTORSHIP_PROPOSED,
    MENTORSHIP_STARTED, MENTORSHIP_DECLINED, MENTORSHIP_ENDED, SESSION_SCHEDULED, SESSION_COMPLETED,
    SESSION_CANCELLED, FEEDBACK_SUBMITTED, NOTIFICATION_DELIVERED, NOTIFICATION_FAILED)}

TOPICS: tuple[str, ...] = tuple(t.name for t in TOPICS_DECLARED)


def dlq_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


def type_name(event_type: EventType | str) -> str:
    """The CloudEvents `type` of a declared type (or of its name, as it arrives on the bus)."""
    return event_type.name if isinstance(event_type, EventType) else event_type
