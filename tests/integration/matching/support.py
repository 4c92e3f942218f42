"""An HR portal and a program admin driving profiles + matching over HTTP, as real clients would."""

from __future__ import annotations

from typing import Any

from tests.support.http import Client, bearer
from tests.support.polling import wait_for


def profile(name: str, *, roles=("mentee",), department="Engineering", grade=5, manager_id=None,
            skills=(("python", 3),), languages=("en",), timezone="Europe/Berlin", capacity=None,
            status="active") -> dict[str, Any]:
    body = {"name": name, "email": f"{name.lower().replace(' ', '.')}@example.com", "department": department,
            "grade": grade, "roles": list(roles), "manager_id": manager_id, "languages": list(languages),
            "timezone": timezone, "skills": [{"name": s, "level": lvl} for s, lvl in skills],
            "employment_status": status}
    if capacity is not None:
        body["mentor_capacity"] = capacity
    return body


def unique(events: list[dict]) -> list[dict]:
    """Events once each, in order: delivery is at-least-once, so an event may be published twice."""
    seen: set[str] = set()
    return [e for e in events if not (e["id"] in seen or seen.add(e["id"]))]


def wait_unique(tap, where, count: int, timeout: float = 30) -> list[dict]:
    """At least `count` distinct events matching `where` on the tap's topic, each once."""
    return wait_for(lambda: (found := unique(tap.events(where))) and len(found) >= count and found,
                    timeout=timeout, message=f"{count} distinct events on {tap.topic}")


class Tandem:
    """The suite as its clients see it: HR on profiles, a program admin on matching, people themselves."""

    def __init__(self, profiles_url: str, matching_url: str):
        self.hr = Client(profiles_url, bearer("hr_admin"))
        self.admin = Client(matching_url, bearer("program_admin", employee_id="admin-1"))
        self.matching_url = matching_url

    def as_person(self, employee_id: str, *roles: str) -> Client:
        return Client(self.matching_url, bearer(*(roles or ("employee",)), employee_id=employee_id))

    def hire(self, employee_id: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.hr.put(f"/v1/profiles/{employee_id}", json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def hire_pair(self, uid: str, capacity: int | None = None) -> dict[str, str]:
        """A senior mentor and a junior mentee, by role: their employee ids."""
        ids = {n: f"{uid}-{n}" for n in ("mentor", "mentee")}
        self.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=9, capacity=capacity))
        self.hire(ids["mentee"], profile(f"Mentee {uid}", grade=3))
        return ids

    def program(self, name: str, **overrides) -> str:
        body = {"name": name, "starts_on": "2025-01-06", "ends_on": "2025-12-19", "checkin_every_days": 14,
                **overrides}
        response = self.admin.post("/v1/programs", json=body)
        assert response.status_code == 201, response.text
        return response.json()["program_id"]

    def enroll(self, program_id: str, employee_id: str, role: str, timeout: float = 30) -> dict[str, Any]:
        """Enroll, retrying while matching has not yet heard of the person (404), as the contract allows."""
        response = self.known(lambda: self.admin.post(f"/v1/programs/{program_id}/enrollments",
                                                      json={"employee_id": employee_id, "role": role}),
                              employee_id, timeout)
        assert response.status_code in (200, 201), response.text
        return response.json()

    @staticmethod
    def known(call, employee_id: str, timeout: float = 30):
        """Repeat `call` while it answers 404 (matching has not heard of the person yet); its last answer."""
        answers = wait_for(lambda: [r for r in [call()] if r.status_code != 404], timeout=timeout,
                           message=f"matching to know {employee_id}")
        return answers[0]

    def propose(self, program_id: str, mentor_id: str, mentee_id: str) -> dict[str, Any]:
        response = self.admin.post("/v1/mentorships", json={"program_id": program_id, "mentor_id": mentor_id,
                                                             "mentee_id": mentee_id})
        assert response.status_code == 201, response.text
        return response.json()

    def active_pair(self, program_id: str, mentor_id: str, mentee_id: str) -> dict[str, Any]:
        mentorship = self.propose(program_id, mentor_id, mentee_id)
        response = self.as_person(mentor_id).post(f"/v1/mentorships/{mentorship['mentorship_id']}/accept")
        assert response.status_code == 200, response.text
        return response.json()

    def mentorship(self, mentorship_id: str) -> dict[str, Any]:
        return self.admin.get(f"/v1/mentorships/{mentorship_id}").json()

    def wait_run(self, run_id: str, timeout: float = 60) -> dict[str, Any]:
        def finished():
            run = self.admin.get(f"/v1/matching-runs/{run_id}").json()
            return run if run["status"] != "running" else None

        return wait_for(finished, timeout=timeout, message=f"matching run {run_id}")
