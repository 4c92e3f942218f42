"""Seed a living demo program over HTTP, the way an HR portal and the people in it would.

    python deploy/local/seed_demo.py --profiles URL --matching URL --token TOKEN

A few hundred people in a management tree, goals for mentees, the program "Tandem demo cohort",
enrollments, a matching run, accepted proposals, weeks of completed sessions and feedback.
Idempotent: when the demo program exists already, its id is printed and nothing else happens.
Per-person tokens (for feedback, which only the pair may give) are signed with AUTH_JWT_SECRET.
The last line printed is `DEMO_PROGRAM_ID=<id>`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shared.auth import issue_token  # noqa: E402  (the repo root is put on the path just above)

PROGRAM_NAME = "Tandem demo cohort"
DEPARTMENTS = {
    "Engineering": ["python", "system design", "kubernetes", "sql", "testing", "security"],
    "Finance": ["financial modelling", "excel", "forecasting", "sql", "negotiation"],
    "Sales": ["negotiation", "public speaking", "account planning", "crm", "storytelling"],
    "Marketing": ["storytelling", "seo", "analytics", "brand strategy", "public speaking"],
    "People": ["coaching", "hiring", "employment law", "facilitation", "analytics"],
    "Operations": ["process design", "logistics", "excel", "project management", "negotiation"],
    "Legal": ["contract law", "employment law", "negotiation", "compliance", "writing"],
    "Product": ["product discovery", "roadmapping", "analytics", "storytelling", "system design"],
}
PLACES = [("Berlin", "Europe/Berlin", ["en", "de"]), ("London", "Europe/London", ["en"]),
          ("New York", "America/New_York", ["en", "es"]), ("San Francisco", "America/Los_Angeles", ["en"]),
          ("Tokyo", "Asia/Tokyo", ["ja", "en"]), ("São Paulo", "America/Sao_Paulo", ["pt", "en"]),
          ("Paris", "Europe/Paris", ["fr", "en"])]
FIRST = ["Ada", "Ben", "Chloé", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Maya",
         "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Vera", "Wen", "Ximena", "Yusuf", "Zoe"]
LAST = ["Abe", "Berg", "Costa", "Diallo", "Eriksen", "Fischer", "García", "Haddad", "Ito", "Jensen", "Kowalski",
        "Lopez", "Meyer", "Nakamura", "Okafor", "Petrov", "Rossi", "Singh", "Tanaka", "Umar", "Varga", "Weber"]


class Portal:
    """HTTP calls with the admin token, or with a person's own token when a secret is available."""

    def __init__(self, profiles: str, matching: str, token: str):
        self.profiles, self.matching, self.token = profiles.rstrip("/"), matching.rstrip("/"), token
        self.secret, self.audience = os.environ.get("AUTH_JWT_SECRET", ""), os.environ.get("AUTH_AUDIENCE", "")
        self.issuer = os.environ.get("AUTH_ISSUER", "")
        self._local = threading.local()  # one HTTP session per thread

    def each(self, work, items) -> list:
        """Do `work` for each item on a few threads: the services answer in parallel, the seed waits less."""
        with ThreadPoolExecutor(max_workers=6) as pool:
            return list(pool.map(work, items))

    def call(self, method: str, url: str, as_person: str | None = None, ok=(200, 201, 202, 204), **kw):
        token = self.token
        if as_person and self.secret:
            token = issue_token(self.secret, sub=as_person, roles=["employee"], employee_id=as_person,
                                audience=self.audience, issuer=self.issuer)
        if not hasattr(self._local, "http"):
            self._local.http = requests.Session()
        response = self._local.http.request(method, url, headers={"Authorization": f"Bearer {token}"}, timeout=120,
                                            **kw)
        if response.status_code not in ok:
            raise SystemExit(f"{method} {url} -> {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None


def people(rng: random.Random, count: int) -> list[dict]:
    """A company: a CEO, department heads, managers and their teams."""
    staff = [_person(rng, 0, "Operations", 15, None)]
    for department in DEPARTMENTS:
        head = _person(rng, len(staff), department, 13, staff[0]["employee_id"])
        staff.append(head)
        managers = [_person(rng, len(staff) + i, department, rng.choice([10, 11]), head["employee_id"])
                    for i in range(3)]
        staff += managers
        per_department = (count - 1) // len(DEPARTMENTS) - 4
        staff += [_person(rng, len(staff) + i, department, rng.randint(3, 9), rng.choice(managers)["employee_id"])
                  for i in range(per_department)]
    return staff


def _person(rng: random.Random, n: int, department: str, grade: int, manager_id: str | None) -> dict:
    city, timezone, languages = rng.choice(PLACES)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    pool = DEPARTMENTS[department] + rng.sample([s for d in DEPARTMENTS.values() for s in d], 2)
    top = min(5, max(1, grade // 2 - 1))
    skills = [{"name": s, "level": rng.randint(max(1, top - 2), top)} for s in dict.fromkeys(rng.sample(pool, 4))]
    roles = (["mentor"] if grade >= 9 else []) + (["mentee"] if grade <= 7 else [])
    roles = roles or rng.choice([["mentor"], ["mentee"], ["mentor", "mentee"]])
    return {"employee_id": f"demo-{n:04d}", "name": name, "email": f"{name.lower().replace(' ', '.')}.{n}@example.com",
            "title": f"{department} {'lead' if grade >= 10 else 'specialist'}", "department": department,
            "location": city, "timezone": timezone, "languages": languages, "manager_id": manager_id,
            "grade": grade, "years_experience": float(grade + rng.randint(0, 6)), "skills": skills, "roles": roles,
            "mentor_capacity": rng.randint(1, 3) if "mentor" in roles else 0}


def seed(portal: Portal, rng: random.Random, size: int) -> str:
    staff = people(rng, size)
    portal.call("POST", f"{portal.profiles}/v1/profiles:import", json=staff)
    mentees = [(p, rng.choice([0, 0, 0, 10, 25, 40, 60, 80])) for p in staff if "mentee" in p["roles"]]
    portal.each(lambda job: goal(portal, *job), mentees)
    today = date.today()
    program = portal.call("POST", f"{portal.matching}/v1/programs", json={
        "name": PROGRAM_NAME, "starts_on": (today - timedelta(days=56)).isoformat(),
        "ends_on": (today + timedelta(days=300)).isoformat(), "checkin_every_days": 14,
        "constraints": {"exclude_reporting_line": True, "max_grade_gap": 8}})
    enroll(portal, program["program_id"], staff)
    pairs = match(portal, program["program_id"])
    meet(portal, rng, pairs)
    return program["program_id"]


def goal(portal: Portal, person: dict, progress: int) -> None:
    """A development goal in the person's field, with some progress already made."""
    wanted = [s for s in DEPARTMENTS[person["department"]] if s not in {k["name"] for k in person["skills"]}]
    created = portal.call("POST", f"{portal.profiles}/v1/profiles/{person['employee_id']}/goals",
                          json={"title": f"Grow in {wanted[0]}", "target_skills": wanted[:2],
                                "milestones": [{"title": "Find a mentor"}, {"title": "Apply it on a project"}]})
    if progress:
        portal.call("PATCH", f"{portal.profiles}/v1/goals/{created['goal_id']}", json={"progress": progress})


def enroll(portal: Portal, program_id: str, staff: list[dict]) -> None:
    """Mentors and mentees in, retried while matching is still hearing about new people."""
    rows = [{"employee_id": p["employee_id"], "role": "mentor" if "mentor" in p["roles"] else "mentee"}
            for p in staff if p["grade"] < 15]
    deadline = time.monotonic() + 120
    while True:
        report = portal.call("POST", f"{portal.matching}/v1/programs/{program_id}/enrollments:import", json=rows)
        if not report["failed"] or time.monotonic() > deadline:
            print(f"enrolled {len(rows) - len(report['failed'])} people ({len(report['failed'])} not yet known)")
            return
        time.sleep(1)


def match(portal: Portal, program_id: str) -> list[dict]:
    """Run matching, then most mentors accept; returns the active pairs."""
    run_id = portal.call("POST", f"{portal.matching}/v1/programs/{program_id}/matching-runs")["run_id"]
    deadline = time.monotonic() + 600
    while (run := portal.call("GET", f"{portal.matching}/v1/matching-runs/{run_id}"))["status"] == "running":
        if time.monotonic() > deadline:
            raise SystemExit(f"matching run {run_id} did not finish")
        time.sleep(1)
    print(f"matching run {run['status']}: {len(run['assignments'])} assigned, {len(run['unmatched'])} unmatched")

    def answer(numbered: tuple[int, dict]) -> dict:
        n, assignment = numbered
        action = "decline" if n % 9 == 8 else "accept"  # most mentors say yes; a few decline
        return portal.call("POST", f"{portal.matching}/v1/mentorships/{assignment['mentorship_id']}/{action}",
                           as_person=assignment["mentor_id"])

    answered = portal.each(answer, enumerate(run["assignments"]))
    return [pair for pair in answered if pair["status"] == "active"]


def meet(portal: Portal, rng: random.Random, pairs: list[dict]) -> None:
    """A few weeks of fortnightly sessions already held, one coming up, and feedback from most pairs."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    # choices are drawn up front so the demo is the same whatever order the threads run in
    plans = [(pair, rng.choice([0, 1, 2, 3]), rng.randint(1, 10), rng.choices([5, 4, 3, 2], weights=[5, 4, 2, 1], k=2))
             for pair in pairs]
    portal.each(lambda plan: meetings(portal, now, *plan), plans)
    print(f"{len(pairs)} active pairs with sessions and feedback")


def meetings(portal: Portal, now: datetime, pair: dict, held: int, next_in_days: int, ratings: list[int]) -> None:
    """Fortnightly sessions already held (some pairs have not met yet), the next one, and ratings."""
    path = f"{portal.matching}/v1/mentorships/{pair['mentorship_id']}"
    for week in range(held * 2, 0, -2):
        session = portal.call("POST", f"{path}/sessions", as_person=pair["mentee_id"], json={
            "scheduled_at": (now - timedelta(weeks=week)).isoformat(), "duration_minutes": 45,
            "agenda": "Check in on goals"})
        portal.call("POST", f"{portal.matching}/v1/sessions/{session['session_id']}/complete",
                    as_person=pair["mentor_id"], json={"notes": "Discussed progress and next steps."})
    portal.call("POST", f"{path}/sessions", as_person=pair["mentor_id"], json={
        "scheduled_at": (now + timedelta(days=next_in_days, hours=9)).isoformat(), "duration_minutes": 45,
        "agenda": "Next steps"})
    if held and portal.secret:
        for author, rating in zip((pair["mentee_id"], pair["mentor_id"]), ratings, strict=True):
            portal.call("POST", f"{path}/feedback", as_person=author,
                        json={"rating": rating, "comment": "Helpful and well prepared."})


def existing_program(portal: Portal) -> str | None:
    found = portal.call("GET", f"{portal.matching}/v1/programs", params={"name": PROGRAM_NAME})
    return found["items"][0]["program_id"] if found["items"] else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", required=True)
    parser.add_argument("--matching", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args, _ = parser.parse_known_args(argv)  # the launcher also passes the other services' URLs
    portal = Portal(args.profiles, args.matching, args.token)
    program_id = existing_program(portal)
    if program_id:
        print(f"demo program exists already: {program_id}")
    else:
        program_id = seed(portal, random.Random(args.seed), args.people)
    print(f"DEMO_PROGRAM_ID={program_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
