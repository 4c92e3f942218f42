"""The demo seed (deploy/local/seed_demo.py) writes its story in time order, against a fake of the two
services' answers: what a backfilled matching run must already know (the pairs that ended, the people
who left before it) is sent before the run, and no goal, pair or profile gets a moment before its last."""

from __future__ import annotations

import random
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "deploy" / "local"))

import demo_story as story  # noqa: E402
import seed_demo  # noqa: E402

TIMELINE = story.Timeline.ending(datetime(2031, 6, 2, 10, 0, tzinfo=UTC))


class FakeServices(seed_demo.Portal):
    """Answers as profiles and matching would; a run proposes a mentor to every enrolled mentee not in an
    open pair (as the real one does); every call is kept, in the order it was made."""

    def __init__(self):
        super().__init__("http://profiles", "http://matching", "token")
        self.calls: list[tuple[str, str, dict]] = []
        self.enrolled: dict[str, str] = {}  # employee_id -> role
        self.open: dict[str, str] = {}  # mentorship id -> mentee, while active
        self.pairs: dict[str, str] = {}  # mentorship id -> mentee, once proposed
        self.mentors: dict[str, str] = {}  # mentorship id -> mentor
        self.gone: set[str] = set()
        self._lock = threading.Lock()

    def call(self, method: str, url: str, **kw):
        path, body = url.split("/v1/", 1)[1], kw.get("json") or kw.get("params") or {}
        with self._lock:
            self.calls.append((method, path, body))
            return self.answer(method, path, body)

    def answer(self, method: str, path: str, body):
        parts = [*path.split("/"), ""]  # e.g. ["mentorships", "<id>", "accept", ""]; ["programs", ""]
        if path.endswith("enrollments:import"):
            self.enrolled |= {row["employee_id"]: row["role"] for row in body}
        elif method == "PUT" and body.get("employment_status") == "terminated":
            self.gone.add(parts[1])
            self.open = {m: mentee for m, mentee in self.open.items() if parts[1] not in (mentee, self.mentors[m])}
        elif parts[-2] == "accept":
            self.open[parts[1]] = self.pairs[parts[1]]
        elif parts[-2] == "end":
            self.open.pop(parts[1], None)
        return {"failed": [], "program_id": "p", "goal_id": f"goal-{parts[1]}", "session_id": f"s{len(self.calls)}",
                "run_id": "run", "status": "completed", "assignments": self.proposals(path),
                "items": [{}] * len(self.gone & set(self.enrolled))}

    def proposals(self, path: str) -> list[dict]:
        if path != "matching-runs/run":
            return []
        mentors = [e for e, role in self.enrolled.items() if role == "mentor" and e not in self.gone]
        waiting = sorted(e for e, role in self.enrolled.items()
                         if role == "mentee" and e not in self.gone and e not in self.open.values())
        found = [{"mentorship_id": f"m{len(self.pairs) + i}", "mentee_id": e, "mentor_id": mentors[i % len(mentors)]}
                 for i, e in enumerate(waiting)]
        self.pairs |= {a["mentorship_id"]: a["mentee_id"] for a in found}
        self.mentors |= {a["mentorship_id"]: a["mentor_id"] for a in found}
        return found


def moment(body: dict) -> datetime:
    return datetime.fromisoformat(body["occurred_at"])


def seeded() -> FakeServices:
    services = FakeServices()
    seed_demo.Seeder(services, random.Random(7), TIMELINE, 420).run()
    assert services.refused == []
    return services


def test_what_ended_or_left_before_a_wave_is_written_before_that_wave_is_matched():
    calls = seeded().calls
    runs = [(i, moment(body)) for i, (method, path, body) in enumerate(calls) if path.endswith("matching-runs")]
    history = [(i, moment(body)) for i, (method, path, body) in enumerate(calls)
               if path.endswith("/end") or method == "PUT"]
    assert len(runs) == 3 and len(history) > 50
    for run, run_at in runs:
        assert all(i < run for i, at in history if at < run_at)
        assert all(i > run for i, at in history if at > run_at)  # and nothing of after it is written before


def test_no_goal_pair_or_person_is_given_a_moment_before_its_last():
    latest: dict[str, datetime] = {}
    for method, path, body in seeded().calls:
        if not isinstance(body, dict) or "occurred_at" not in body or path.endswith("matching-runs"):
            continue
        aggregate = path.removesuffix("/end").removesuffix("/accept").removesuffix("/decline")
        if aggregate.startswith(("mentorships/", "goals/", "profiles/")) and "/goals" not in aggregate:
            assert moment(body) >= latest.get(aggregate, TIMELINE.hired), (method, path)
            latest[aggregate] = moment(body)
