"""The hand-computed program of the integration tests.

People and goals go through the real profiles service (PUT /v1/profiles as hr_admin, goals API);
the program, enrollments, mentorships, sessions and feedback are produced by the test as matching
would publish them — some deliberately before what they belong to (sessions before their
mentorship starts, feedback before the program is known).

Departments Eng-<uid> (m1, m2, e1..e5; colleagues c1..c5) and Fin-<uid> (m3, f1..f4; d1, d2).
Mentors grade 9, mentees grade 4. Everyone enrolled at BASE; X1 m1-e1 starts +24 h, X2 m1-e2 +48 h
(ended +96 h), X3 m2-f1 +72 h, X4 m2-e3 proposed, X5 m3-f2 declined. Sessions completed: S1, S2 (X1),
S3 (X3). Ratings 5, 4 (X1) and 3 (X3). Goals: e1 completed, e2 at 50 %, f1 abandoned, plus a mentor's
and a colleague's goal that do not count. e4 is promoted, f4 leaves; c1 is promoted, d1 leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from kafka import KafkaProducer

from shared.events import Event, new_event
from shared.timeutil import to_rfc3339, utcnow
from tests.support.http import Client

MATCHING = "/tandem/matching"


@dataclass
class World:
    uid: str
    program_id: str
    ids: dict[str, str]
    events: list[Event] = field(default_factory=list)

    def __getitem__(self, short: str) -> str:
        return self.ids[short]


def person(name: str, department: str, grade: int, role: str, **extra) -> dict:
    return {"name": name, "email": f"{name.lower().replace(' ', '.')}@example.com", "department": department,
            "grade": grade, "roles": [role], "mentor_capacity": 2 if role == "mentor" else 0, **extra}


def put_people(hr: Client, world: World) -> None:
    eng, fin = f"Eng-{world.uid}", f"Fin-{world.uid}"
    plan = {"m1": (eng, 9, "mentor"), "m2": (eng, 9, "mentor"), "m3": (fin, 9, "mentor"),
            **{f"e{i}": (eng, 4, "mentee") for i in range(1, 6)}, **{f"f{i}": (fin, 4, "mentee") for i in range(1, 5)},
            **{f"c{i}": (eng, 4, "mentee") for i in range(1, 6)}, "d1": (fin, 4, "mentee"), "d2": (fin, 4, "mentee")}
    for short, (dept, grade, role) in plan.items():
        extra = {"mentor_capacity": 1} if short == "m3" else {}
        body = person(f"Analytic {short.upper()} {world.uid}", dept, grade, role, **extra)
        assert hr.put(f"/v1/profiles/{world[short]}", json=body).status_code == 201
    for short, change in (("e4", {"grade": 5}), ("f4", {"employment_status": "terminated"}),
                          ("c1", {"grade": 5}), ("d1", {"employment_status": "terminated"})):
        dept, grade, role = plan[short]
        body = {**person(f"Analytic {short.upper()} {world.uid}", dept, grade, role), **change}
        assert hr.put(f"/v1/profiles/{world[short]}", json=body).status_code == 200


def post_goals(hr: Client, world: World) -> None:
    def goal(short: str) -> str:
        created = hr.post(f"/v1/profiles/{world[short]}/goals", json={"title": f"private goal of {short}"})
        assert created.status_code == 201
        return created.json()["goal_id"]

    for short, change in (("e1", {"progress": 100}), ("e2", {"progress": 50}), ("f1", {"status": "abandoned"}),
                          ("m1", {"progress": 100}), ("c2", {"progress": 100})):
        assert hr.patch(f"/v1/goals/{goal(short)}", json=change).status_code == 200


def matching_events(world: World) -> list[Event]:
    """What matching would publish, in an order that puts facts before what they belong to."""
    base = utcnow().replace(microsecond=0) - timedelta(days=5)
    t = lambda hours: to_rfc3339(base + timedelta(hours=hours))  # noqa: E731
    pid = world.program_id
    ev = lambda kind, data: new_event(f"mentoring.{kind}", data, source=MATCHING)  # noqa: E731

    def pair(mid: str, mentor: str, mentee: str, status: str, **times) -> dict:
        return {"mentorship_id": f"{mid}-{world.uid}", "program_id": pid, "mentor_id": world[mentor],
                "mentee_id": world[mentee], "status": status, "created_at": t(12), **times}

    def session(sid: str, mid: str, mentor: str, mentee: str, status: str, done: float | None = None) -> Event:
        return ev(f"session.{status}", {
            "session_id": f"{sid}-{world.uid}", "mentorship_id": f"{mid}-{world.uid}", "program_id": pid,
            "mentor_id": world[mentor], "mentee_id": world[mentee], "status": status, "scheduled_at": t(done or 100),
            "duration_minutes": 45, "completed_at": t(done) if done else None})

    def rating(fid: str, mid: str, author: str, stars: int) -> Event:
        return ev("feedback.submitted", {"feedback_id": f"{fid}-{world.uid}", "mentorship_id": f"{mid}-{world.uid}",
                                         "program_id": pid, "author_id": world[author], "author_role": "mentee",
                                         "rating": stars, "submitted_at": t(60)})

    sessions = [session("S1", "X1", "m1", "e1", "completed", 30), session("S2", "X1", "m1", "e1", "completed", 50),
                session("S3", "X3", "m2", "f1", "completed", 80), session("S4", "X3", "m2", "f1", "scheduled"),
                session("S5", "X2", "m1", "e2", "scheduled"), session("S5", "X2", "m1", "e2", "cancelled")]
    feedback = [rating("F1", "X1", "e1", 5), rating("F2", "X3", "f1", 3), rating("F3", "X1", "e1", 4)]
    program = [ev("program.created", {"program_id": pid, "name": f"Analytics program {world.uid}",
                                      "starts_on": (base - timedelta(days=5)).date().isoformat(),
                                      "ends_on": (base + timedelta(days=90)).date().isoformat(),
                                      "checkin_every_days": 14})]
    enrolled = [ev("enrollment.created", {"program_id": pid, "employee_id": world[s], "role": role, "at": t(0)})
                for s, role in [("m1", "mentor"), ("m2", "mentor"), ("m3", "mentor")] +
                [(f"e{i}", "mentee") for i in range(1, 6)] + [(f"f{i}", "mentee") for i in range(1, 5)]]
    pairs = [ev("mentorship.proposed", pair("X1", "m1", "e1", "proposed")),
             ev("mentorship.started", pair("X1", "m1", "e1", "active", started_at=t(24))),
             ev("mentorship.proposed", pair("X2", "m1", "e2", "proposed")),
             ev("mentorship.started", pair("X2", "m1", "e2", "active", started_at=t(48))),
             ev("mentorship.ended", pair("X2", "m1", "e2", "ended", started_at=t(48), ended_at=t(96))),
             ev("mentorship.proposed", pair("X3", "m2", "f1", "proposed")),
             ev("mentorship.started", pair("X3", "m2", "f1", "active", started_at=t(72))),
             ev("mentorship.proposed", pair("X4", "m2", "e3", "proposed")),
             ev("mentorship.proposed", pair("X5", "m3", "f2", "proposed")),
             ev("mentorship.declined", pair("X5", "m3", "f2", "declined"))]
    return sessions + feedback + enrolled + pairs + program


def produce(bootstrap: str, events: list[Event]) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for event in events:
        producer.send(event.topic, key=event.key.encode(), value=event.to_json())
    producer.flush()
    producer.close()


def build(hr: Client, bootstrap: str, uid: str) -> World:
    world = World(uid, f"prog-{uid}", {short: f"an-{short}-{uid}" for short in
                                       ["m1", "m2", "m3", *(f"e{i}" for i in range(1, 6)),
                                        *(f"f{i}" for i in range(1, 5)), *(f"c{i}" for i in range(1, 6)), "d1", "d2"]})
    put_people(hr, world)
    post_goals(hr, world)
    world.events = matching_events(world)
    produce(bootstrap, world.events)
    return world


EXPECTED_SUMMARY = {
    "enrolled_mentees": 9, "enrolled_mentors": 3, "matched_mentees": 3, "match_rate": 0.3333,
    "median_hours_to_match": 48.0,  # e1 24 h, e2 48 h, f1 72 h
    "active_mentorships": 2, "ended_mentorships": 1, "sessions_completed": 3,
    "sessions_per_active_mentorship_per_month": 1.0,  # 3 sessions / 3 started pairs, each under a month
    "goals_total": 3, "goals_completed": 1, "goal_completion_rate": 0.3333,
    "average_feedback_rating": 4.0, "feedback_count": 3,
    "mentor_utilization": 0.6,  # X1, X3 active + X4 proposed / capacity 2 + 2 + 1
}
