"""Seed the demo: six months of a mentoring program, written through the public API as a migration would.

    python deploy/local/seed_demo.py --profiles URL --matching URL --token TOKEN

The story (demo_story.py) is a company of about 420 people, a program that started 26 weeks ago and
the HR changes of those months. Everything of the past goes in with its `occurred_at` (the admin
backfill: validated, audited, and marked so nobody is notified about history now), in time order per
aggregate: HR's import, enrollments in three waves, a matching run per wave, the mentors' answers,
fortnightly sessions with their ratings and the mentees' goal progress, pairs that ended or went
quiet, promotions and leavers. Idempotent: when the demo program exists, nothing is written.
A fresh seed prints `DEMO_COUNTS=<json>` (what it made); the last line printed is `DEMO_PROGRAM_ID=<id>`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import demo_story as story  # noqa: E402  (deploy/local is not a package)
from demo_portal import Portal, Refused  # noqa: E402

PROGRAM_NAME = "Tandem demo cohort"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Seeder:
    """Writes the story in time order, as a migration must: a backfilled matching run sees the pairs as they
    are when it runs, so whatever ended (or left) before a wave is recorded before that wave is matched."""

    def __init__(self, portal: Portal, rng: random.Random, timeline: story.Timeline, size: int):
        self.portal, self.rng, self.timeline = portal, rng, timeline
        self.company = story.company(rng, size, timeline)
        self.goals: dict[str, dict] = {}  # mentee -> {"goal_id", "progress"}
        self.plans: list[story.PairPlan] = []
        self.ends: list[tuple[datetime, str, str]] = []  # (when, mentorship path, reason), not yet written
        self.changes = list(self.company.changes)  # HR's, in time order, not yet written
        self.people = {p["employee_id"]: dict(p) for p in self.company.staff}  # as HR last recorded them
        self.leavers = 0  # participants who left so far: matching withdraws them
        self.started = time.monotonic()

    def run(self) -> str:
        self.hire()
        program_id = self.program()
        for wave in range(len(story.WAVES)):
            self.catch_up(program_id, self.matched_at(wave))
            self.enroll(program_id, wave)
            self.match(program_id, wave)
        self.catch_up(program_id, self.timeline.now)
        return program_id

    def catch_up(self, program_id: str, until: datetime) -> None:
        """The ends and HR changes before `until`, ends first (a pair ends before its member leaves)."""
        due, self.ends = [e for e in self.ends if e[0] < until], [e for e in self.ends if e[0] >= until]
        self.portal.each(lambda end: self.portal.call("POST", f"{end[1]}/end", json={
            "reason": end[2], "occurred_at": stamp(end[0])}), due)
        changes, self.changes = [c for c in self.changes if c.at < until], [c for c in self.changes if c.at >= until]
        by_person: dict[str, list[story.HrChange]] = {}
        for change in changes:
            by_person.setdefault(change.employee_id, []).append(change)
        self.portal.each(self.changes_of, list(by_person.values()))
        self.leavers += sum(1 for c in changes if c.kind == "leaver" and c.employee_id in self.company.participants)
        self.await_withdrawals(program_id)

    # -- profiles ------------------------------------------------------------------------------
    def hire(self) -> None:
        rows = [{**person, "occurred_at": stamp(self.timeline.hired)} for person in self.company.staff]
        self.portal.imported(f"{self.portal.profiles}/v1/profiles:import", rows, "profiles:import")

    def set_goal(self, mentee: str, at: datetime, head_start: int) -> None:
        person = self.company.person(mentee)
        wanted = [s for s in story.DEPARTMENTS[person["department"]] if s not in {k["name"] for k in person["skills"]}]
        goal = self.portal.call("POST", f"{self.portal.profiles}/v1/profiles/{mentee}/goals", json={
            "title": f"Grow in {wanted[0]}", "target_skills": wanted[:2], "occurred_at": stamp(at),
            "milestones": [{"title": "Find a mentor"}, {"title": "Apply it on a project"}]})
        if head_start:
            self.progress(goal["goal_id"], head_start, at + timedelta(hours=1))
        self.goals[mentee] = {"goal_id": goal["goal_id"], "progress": head_start}

    def progress(self, goal_id: str, progress: int, at: datetime) -> None:
        self.portal.call("PATCH", f"{self.portal.profiles}/v1/goals/{goal_id}",
                         json={"progress": progress, "occurred_at": stamp(at)})

    def changes_of(self, changes: list[story.HrChange]) -> None:
        """One person's promotions and leaving, in time order (the backfill refuses anything else)."""
        person = self.people[changes[0].employee_id]
        for change in changes:
            if change.kind == "promotion":
                person["grade"] = min(15, person["grade"] + 1)
            else:
                person["employment_status"] = "terminated"
            body = {k: v for k, v in person.items() if k != "employee_id"} | {"occurred_at": stamp(change.at)}
            self.portal.call("PUT", f"{self.portal.profiles}/v1/profiles/{change.employee_id}", json=body)

    # -- matching ------------------------------------------------------------------------------
    def program(self) -> str:
        end = self.timeline.now + timedelta(weeks=26)
        return self.portal.call("POST", f"{self.portal.matching}/v1/programs", json={
            "name": PROGRAM_NAME, "starts_on": self.timeline.starts.date().isoformat(),
            "ends_on": end.date().isoformat(), "checkin_every_days": story.CADENCE_DAYS,
            "constraints": {"exclude_reporting_line": True, "max_grade_gap": 8}})["program_id"]

    def await_withdrawals(self, program_id: str) -> None:
        """Until matching has heard that this far's leavers left (the next wave must not match them)."""
        url, deadline = f"{self.portal.matching}/v1/programs/{program_id}/enrollments", time.monotonic() + 120
        while len(self.portal.call("GET", url, params={"status": "withdrawn", "limit": 500})["items"]) < self.leavers:
            if time.monotonic() > deadline:
                self.portal.refused.append(f"matching did not hear of {self.leavers} leavers within 120 s")
                return
            time.sleep(0.5)

    def enroll(self, program_id: str, wave: int) -> None:
        """This wave's people, each on one of its first days; retried while matching still hears of them."""
        begins = self.timeline.wave(wave)
        rows = [{"employee_id": eid, "role": "mentor" if "mentor" in self.company.person(eid)["roles"] else "mentee",
                 "occurred_at": stamp(begins + timedelta(hours=self.rng.randint(0, 72)))}
                for eid, number in self.company.participants.items() if number == wave]
        url, pending, deadline = f"{self.portal.matching}/v1/programs/{program_id}/enrollments:import", rows, 0.0
        while pending:
            failed = {f["employee_id"]: f for f in self.portal.call("POST", url, json=pending)["failed"]}
            unknown = [r for r in pending if "employee_id" in failed.get(r["employee_id"], {}).get("errors", {})]
            deadline = deadline or time.monotonic() + 60
            if not unknown or time.monotonic() > deadline:  # only "not heard of yet" is worth sending again
                self.portal.refused += [f"enrollment of {eid}: {f['errors']}" for eid, f in failed.items()]
                break
            pending = unknown
            time.sleep(0.5)
        # every random draw happens here, in order, so the demo is the same whatever order threads run in
        goals = [(r["employee_id"], datetime.fromisoformat(r["occurred_at"]), self.rng.choice([0, 0, 10, 20, 30, 40]))
                 for r in rows if r["role"] == "mentee"]
        self.portal.each(lambda goal: self.set_goal(*goal), goals)
        print(f"wave {wave + 1}: {len(rows)} enrolled ({time.monotonic() - self.started:.0f} s)", flush=True)

    def match(self, program_id: str, wave: int) -> None:
        """The wave's matching run; mentors answer; the pairs live their months."""
        at = self.matched_at(wave)
        run_id = self.portal.call("POST", f"{self.portal.matching}/v1/programs/{program_id}/matching-runs",
                                  json={"occurred_at": stamp(at)})["run_id"]
        deadline, url = time.monotonic() + 300, f"{self.portal.matching}/v1/matching-runs/{run_id}"
        while (run := self.portal.call("GET", url))["status"] == "running":
            if time.monotonic() > deadline:
                raise Refused(f"matching run {run_id} did not finish within 300 s")
            time.sleep(0.5)
        if run["status"] != "completed":
            raise Refused(f"matching run {run_id} {run['status']}: {run.get('error')}")
        answers = []
        for assignment in sorted(run["assignments"], key=lambda a: a["mentee_id"]):
            answered, declines = at + timedelta(hours=self.rng.randint(6, 120)), self.rng.random() < 0.08
            answers.append((assignment, answered, None if declines else self.plan_for(assignment, answered)))
        self.portal.each(lambda answer: self.answer(*answer), answers)
        print(f"wave {wave + 1}: {len(answers)} proposed, {sum(1 for a in answers if a[2])} accepted, their months "
              f"written ({time.monotonic() - self.started:.0f} s)", flush=True)

    def matched_at(self, wave: int) -> datetime:
        """A wave's matching run, a few days after it opened."""
        return self.timeline.wave(wave) + timedelta(days=5)

    def plan_for(self, pair: dict, started: datetime) -> story.PairPlan:
        stops = min(filter(None, (self.company.left_at(pair["mentor_id"]), self.company.left_at(pair["mentee_id"]))),
                    default=None)
        plan = story.pair_plan(self.rng, started, self.timeline, stops, quiet=story.goes_quiet(len(self.plans)))
        self.plans.append(plan)
        return plan

    def answer(self, assignment: dict, at: datetime, plan: story.PairPlan | None) -> None:
        path = f"{self.portal.matching}/v1/mentorships/{assignment['mentorship_id']}"
        self.portal.call("POST", f"{path}/{'accept' if plan else 'decline'}", json={"occurred_at": stamp(at)})
        if plan:
            self.live(assignment, path, plan)

    def live(self, pair: dict, path: str, plan: story.PairPlan) -> None:
        """The pair's sessions and its mentee's goal now; its end once the story has reached that day."""
        for session in plan.sessions:
            self.meet(path, pair, session)
        goal = self.goals.get(pair["mentee_id"])
        if goal:
            for at, progress in story.goal_progress(plan, goal["progress"]):
                self.progress(goal["goal_id"], progress, at + timedelta(hours=2))
                goal["progress"] = progress  # a mentee matched again later goes on from here
        if plan.ended_at:
            self.ends.append((plan.ended_at, path, plan.end_reason))

    def meet(self, path: str, pair: dict, session: story.SessionPlan) -> None:
        body = {"scheduled_at": stamp(session.scheduled_at), "duration_minutes": session.duration_minutes,
                "agenda": "Check in on goals and next steps"}
        if session.outcome == "upcoming":
            self.portal.call("POST", f"{path}/sessions", json=body)
            return
        planned = min(session.scheduled_at - timedelta(days=3), self.timeline.now)
        created = self.portal.call("POST", f"{path}/sessions", json={**body, "occurred_at": stamp(planned)})
        done = session.scheduled_at + timedelta(minutes=session.duration_minutes)
        action = "complete" if session.outcome == "completed" else "cancel"  # an admin never writes notes
        self.portal.call("POST", f"{self.portal.matching}/v1/sessions/{created['session_id']}/{action}",
                         json={"occurred_at": stamp(done if action == "complete" else planned)})
        for n, (role, rating) in enumerate(session.ratings):
            self.portal.call("POST", f"{path}/feedback", json={
                "session_id": created["session_id"], "rating": rating, "author_id": pair[f"{role}_id"],
                "occurred_at": stamp(done + timedelta(hours=1 + n))})  # a backfill carries no private comment


def existing_program(portal: Portal) -> str | None:
    found = portal.call("GET", f"{portal.matching}/v1/programs", params={"name": PROGRAM_NAME})
    return found["items"][0]["program_id"] if found["items"] else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", required=True)
    parser.add_argument("--matching", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--people", type=int, default=420, help="the company's size (the same story, smaller)")
    parser.add_argument("--seed", type=int, default=7)
    args, _ = parser.parse_known_args(argv)  # the launcher also passes the other services' URLs
    portal = Portal(args.profiles, args.matching, args.token)
    try:
        program_id = existing_program(portal)
        if program_id:
            print(f"demo program exists already, nothing written: {program_id}")
        else:
            program_id = seed(portal, args.people, args.seed)
    except (Refused, requests.RequestException) as exc:
        print(f"demo seed failed: {exc}\n(anything already written stays; for a clean demo: make down; "
              "rm -rf .tandem/dev; make up)", file=sys.stderr)
        return 1
    print(f"DEMO_PROGRAM_ID={program_id}")
    return 0


def seed(portal: Portal, people: int, seed: int) -> str:
    """The story written; a summary of what it made, and of every call that was refused."""
    started = time.monotonic()
    seeder = Seeder(portal, random.Random(seed), story.Timeline.ending(datetime.now(UTC)), people)
    program_id = seeder.run()
    plans, company = seeder.plans, seeder.company
    made = {"people": len(company.staff), "participants": len(company.participants), "pairs": len(plans),
            "sessions_held": sum(1 for plan in plans for s in plan.sessions if s.outcome == "completed"),
            "pairs_ended": sum(1 for p in plans if p.ended_at), "gone_quiet": sum(1 for p in plans if p.quiet),
            "goals_completed": sum(1 for goal in seeder.goals.values() if goal["progress"] >= 100),
            "hr_changes": len(company.changes)}
    print(f"demo seeded in {time.monotonic() - started:.0f} s: {made['people']} people ({made['participants']} in "
          f"the program), {made['pairs']} pairs, {made['sessions_held']} sessions held, {made['pairs_ended']} pairs "
          f"ended, {made['gone_quiet']} gone quiet, {made['goals_completed']} goals completed, "
          f"{made['hr_changes']} HR changes")
    print(f"DEMO_COUNTS={json.dumps(made)}")
    for refusal in portal.refused:
        print(f"refused: {refusal}")
    if portal.refused:
        print(f"warning: {len(portal.refused)} calls of the demo seed were refused (listed above)")
    return program_id

if __name__ == "__main__":
    sys.exit(main())
