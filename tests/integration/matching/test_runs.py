"""Matching runs: asynchronous, optimal on a small cohort, and each assignment proposed on Kafka."""

from __future__ import annotations

import itertools

from tests.integration.matching.support import profile, wait_unique


def best_objective(options: dict[str, dict[str, float]], capacity: dict[str, int]) -> tuple[int, float]:
    """(most assignments, highest objective among those), by trying every assignment."""
    mentees = sorted(options)
    best = (0, 0.0)
    for choice in itertools.product(*[[None, *options[m]] for m in mentees]):
        used = [mentor for mentor in choice if mentor is not None]
        if any(used.count(mentor) > capacity[mentor] for mentor in set(used)):
            continue
        value = (len(used), round(sum(options[m][c] for m, c in zip(mentees, choice, strict=True) if c), 6))
        best = max(best, value)
    return best


def test_a_run_assigns_as_many_as_possible_with_the_best_total_score(tandem, uid, taps):
    ids = {n: f"{uid}-{n}" for n in ("m1", "m2", "a", "b", "c")}
    tandem.hire(ids["m1"], profile(f"Maya {uid}", roles=("mentor",), grade=9, capacity=1,
                                   skills=(("python", 5), ("sql", 5))))
    tandem.hire(ids["m2"], profile(f"Max {uid}", roles=("mentor",), grade=8, capacity=1, department="Sales",
                                   skills=(("python", 4),)))
    tandem.hire(ids["a"], profile(f"Ada {uid}", grade=4, skills=(("python", 1), ("sql", 1))))
    tandem.hire(ids["b"], profile(f"Bo {uid}", grade=4, manager_id=ids["m2"], skills=(("sql", 2),)))
    tandem.hire(ids["c"], profile(f"Cy {uid}", grade=1, department="Legal"))  # too junior for both mentors
    program_id = tandem.program(f"Run {uid}", constraints={"max_grade_gap": 5})
    for mentor in ("m1", "m2"):
        tandem.enroll(program_id, ids[mentor], "mentor")
    for mentee in ("a", "b", "c"):
        tandem.enroll(program_id, ids[mentee], "mentee")
    options = {ids[m]: {s["mentor_id"]: s["score"] for s in tandem.admin.get(
        f"/v1/programs/{program_id}/suggestions", params={"mentee_id": ids[m]}).json()} for m in ("a", "b", "c")}
    assert ids["m2"] not in options[ids["b"]] and options[ids["c"]] == {}  # Bo reports to Max; Cy is too junior
    assert options[ids["a"]][ids["m1"]] > options[ids["a"]][ids["m2"]]  # greedy would give Ada to Maya

    started = tandem.admin.post(f"/v1/programs/{program_id}/matching-runs")
    assert started.status_code == 202
    run = tandem.wait_run(started.json()["run_id"])

    assert run["status"] == "completed", run
    assignments = {a["mentee_id"]: a for a in run["assignments"]}
    assert (len(assignments), run["objective"]) == best_objective(options, {ids["m1"]: 1, ids["m2"]: 1})
    assert assignments[ids["b"]]["mentor_id"] == ids["m1"]
    for mentee_id, assignment in assignments.items():  # the same pair scores the same in suggestions and runs
        assert assignment["score"] == options[mentee_id][assignment["mentor_id"]]
    assert (assignments[ids["a"]]["mentor_id"], run["unmatched"]) == (
        ids["m2"], [{"mentee_id": ids["c"], "reason": "no_eligible_mentor"}])
    assert run["duration_ms"] >= 0
    assert run["audit"]["profile_versions"][ids["a"]] == 1 and run["audit"]["certificate_ok"] is True

    proposed = wait_unique(taps("mentoring.mentorships"), lambda e: e["type"] == "mentoring.mentorship.proposed"
                           and e["data"]["program_id"] == program_id, 2)
    assert {e["data"]["mentee_id"] for e in proposed} == set(assignments)
    for event in proposed:
        assert event["subject"] == event["data"]["mentorship_id"]
        assert event["data"]["score"] == assignments[event["data"]["mentee_id"]]["score"]
        assert event["data"]["reasons"] and event["data"]["status"] == "proposed"
    keys = {r.key.decode() for r in taps("mentoring.mentorships").records}
    assert {e["data"]["mentorship_id"] for e in proposed} <= keys
    mentorship = tandem.mentorship(assignments[ids["b"]]["mentorship_id"])
    assert (mentorship["status"], mentorship["run_id"]) == ("proposed", run["run_id"])
    completed = wait_unique(taps("mentoring.programs"), lambda e: e["type"] == "mentoring.matching_run.completed"
                            and e["data"]["run_id"] == run["run_id"], 1)
    assert (completed[0]["data"]["assigned"], completed[0]["data"]["unmatched"]) == (2, 1)


def test_a_second_run_only_matches_mentees_still_unmatched(tandem, uid):
    tandem.hire(f"{uid}-mentor", profile(f"Mo {uid}", roles=("mentor",), grade=9, capacity=3))
    tandem.hire(f"{uid}-first", profile(f"Fi {uid}", grade=3))
    program_id = tandem.program(f"Rerun {uid}")
    tandem.enroll(program_id, f"{uid}-mentor", "mentor")
    tandem.enroll(program_id, f"{uid}-first", "mentee")
    first = tandem.wait_run(tandem.admin.post(f"/v1/programs/{program_id}/matching-runs").json()["run_id"])
    assert [a["mentee_id"] for a in first["assignments"]] == [f"{uid}-first"]

    tandem.hire(f"{uid}-late", profile(f"La {uid}", grade=3))
    tandem.enroll(program_id, f"{uid}-late", "mentee")
    second = tandem.wait_run(tandem.admin.post(f"/v1/programs/{program_id}/matching-runs").json()["run_id"])
    assert [a["mentee_id"] for a in second["assignments"]] == [f"{uid}-late"]
    assert second["unmatched"] == [] and second["audit"]["already_matched"] == 1
    mine = tandem.admin.get("/v1/mentorships", params={"program_id": program_id, "status": "proposed"}).json()
    assert sorted(m["mentee_id"] for m in mine["items"]) == [f"{uid}-first", f"{uid}-late"]


def test_a_pair_declined_in_the_program_is_not_proposed_again(tandem, uid):
    tandem.hire(f"{uid}-mo", profile(f"Mo {uid}", roles=("mentor",), grade=9, capacity=3))
    tandem.hire(f"{uid}-fi", profile(f"Fi {uid}", grade=3))
    program_id = tandem.program(f"Declined {uid}")
    tandem.enroll(program_id, f"{uid}-mo", "mentor")
    tandem.enroll(program_id, f"{uid}-fi", "mentee")
    first = tandem.wait_run(tandem.admin.post(f"/v1/programs/{program_id}/matching-runs").json()["run_id"])
    [proposal] = first["assignments"]
    declined = tandem.as_person(f"{uid}-mo").post(f"/v1/mentorships/{proposal['mentorship_id']}/decline")
    assert declined.status_code == 200

    second = tandem.wait_run(tandem.admin.post(f"/v1/programs/{program_id}/matching-runs").json()["run_id"])
    assert second["assignments"] == [] and second["unmatched"] == [{"mentee_id": f"{uid}-fi",
                                                                     "reason": "no_eligible_mentor"}]
    tandem.hire(f"{uid}-al", profile(f"Al {uid}", roles=("mentor",), grade=8, capacity=1))
    tandem.enroll(program_id, f"{uid}-al", "mentor")
    third = tandem.wait_run(tandem.admin.post(f"/v1/programs/{program_id}/matching-runs").json()["run_id"])
    assert [(a["mentee_id"], a["mentor_id"]) for a in third["assignments"]] == [(f"{uid}-fi", f"{uid}-al")]


def test_runs_are_for_program_admins_and_unknown_runs_are_404(tandem, uid):
    program_id = tandem.program(f"Run rights {uid}")
    assert tandem.as_person(f"{uid}-e").post(f"/v1/programs/{program_id}/matching-runs").status_code == 403
    assert tandem.admin.post("/v1/programs/missing/matching-runs").status_code == 404
    assert tandem.admin.get(f"/v1/matching-runs/{uid}").status_code == 404
