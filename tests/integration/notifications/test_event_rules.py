"""Rules driven by events: pair introduction, manager told of a start and of a completed goal — once each."""

from __future__ import annotations

from tests.integration.notifications.support import wait_consumed
from tests.integration.notifications.team import BIO_MARKER
from tests.support.http import bearer
from tests.support.polling import wait_for

GOAL_MARKER = "PRIVATE-GOAL-TEXT-5XK"


def test_a_proposed_mentorship_introduces_the_pair_with_the_reasons(team, bus, sink, admin, outcomes):
    reasons = ["both work on payments", "shares skill: python (level 4)"]
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed", reasons=reasons))

    [to_mentee] = sink.wait(team.email(team.mentee), kind="introduction")
    [to_mentor] = sink.wait(team.email(team.mentor), kind="introduction")
    assert to_mentee.message["Subject"] == f"Meet your mentor: Mo Mentor {team.uid}"
    assert f"Mia Mentee {team.uid}" in to_mentor.text and f"Cohort {team.uid}" in to_mentor.text
    for mail in (to_mentee, to_mentor):
        assert all(reason in mail.text and reason in mail.html for reason in reasons)
        assert mail.message.get_content_type() == "multipart/alternative"

    def recorded():  # the SMTP server has the mail a moment before the dispatcher records its outcome
        items = admin.get("/v1/notifications", headers=bearer("employee", employee_id=team.mentee)).json()["items"]
        return items if all(n["channels"].get("email") != "pending" for n in items) else None

    inbox = wait_for(recorded, timeout=30, message="the introduction's email outcome to be recorded")
    assert [(n["kind"], n["channels"]) for n in inbox] == [("introduction", {"inbox": "delivered",
                                                                             "email": "delivered"})]
    delivered = outcomes.wait_events(lambda e: e["data"]["recipient_id"] == team.mentee
                                     and e["data"]["channel"] == "email", 1)
    assert delivered[0]["type"] == "mentoring.notification.delivered"
    assert delivered[0]["subject"] == team.mentee and delivered[0]["data"]["attempts"] == 1


def test_redelivered_and_republished_events_never_send_twice(team, bus, sink, notifications):
    first = bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
    bus.send(first)  # the very same message again (redelivery)
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))  # same occasion, new event id
    sink.wait(team.email(team.mentee), kind="introduction")
    notifications.restart("worker")  # a consumer restart re-reads whatever it had not committed
    bus.publish("mentoring.mentorship.started", team.pair("active", started_at="2031-01-05T10:00:00Z"))
    sink.wait(team.email(team.manager), kind="mentorship_started")  # the restarted worker is through the topic
    assert len(sink.to(team.email(team.mentee), "introduction")) == 1
    assert len(sink.to(team.email(team.mentor), "introduction")) == 1


def test_the_mentees_manager_hears_when_the_mentorship_starts(team, bus, sink):
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
    bus.publish("mentoring.mentorship.started", team.pair("active", started_at="2031-01-05T10:00:00Z"))
    [mail] = sink.wait(team.email(team.manager), kind="mentorship_started")
    assert mail.message["Subject"] == f"Mia Mentee {team.uid} has started a mentorship"
    assert f"with Mo Mentor {team.uid} in Cohort {team.uid} on 2031-01-05" in mail.text
    assert sink.to(team.email(team.mentor), "mentorship_started") == []


def test_the_manager_hears_of_a_completed_goal_but_never_its_text_or_a_rating(team, bus, sink, hr):
    bus.publish("mentoring.feedback.submitted", {
        "feedback_id": f"f-{team.uid}", "mentorship_id": f"m-{team.uid}", "program_id": team.program_id,
        "session_id": None, "author_id": team.mentee, "author_role": "mentee", "rating": 1,
        "submitted_at": "2031-01-06T10:00:00Z"})
    goal = hr.post(f"/v1/profiles/{team.mentee}/goals", json={
        "title": f"{GOAL_MARKER} title", "description": f"{GOAL_MARKER} description", "target_skills": ["sql"],
        "milestones": [{"title": f"{GOAL_MARKER} milestone"}]}).json()
    hr.post(f"/v1/profiles/{team.mentee}/goals", json={"title": "second goal"})
    assert hr.patch(f"/v1/goals/{goal['goal_id']}", json={"progress": 60}).status_code == 200
    assert hr.patch(f"/v1/goals/{goal['goal_id']}", json={"progress": 100}).status_code == 200

    [mail] = sink.wait(team.email(team.manager), kind="goal_completed")
    assert mail.message["Subject"] == f"Mia Mentee {team.uid} completed a development goal"
    assert "Goals completed so far: 1 of 2" in mail.text
    for text in (mail.everything(), str(mail.message)):
        assert GOAL_MARKER not in text and BIO_MARKER not in text
        assert "rating" not in text.lower() and "/5" not in text


def test_no_message_of_this_module_carries_private_text(sink):
    """Bios and goal texts were planted upstream in every test above; none may surface anywhere."""
    assert sink.mails, "the tests above sent mail"
    for mail in sink.mails:
        for text in (mail.everything(), str(mail.message)):
            assert BIO_MARKER not in text and GOAL_MARKER not in text


def test_an_erased_person_loses_their_inbox_and_preferences(team, bus, sink, hr, admin, api, infra):
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
    sink.wait(team.email(team.mentee), kind="introduction")
    mine = bearer("employee", employee_id=team.mentee)
    assert api.put(f"/v1/preferences/{team.mentee}", json={"digest": "off"}, headers=mine).status_code == 200
    assert hr.delete(f"/v1/profiles/{team.mentee}").status_code == 204

    def inbox() -> list:
        return api.get("/v1/notifications", headers=mine).json()["items"]

    wait_for(lambda: inbox() == [], timeout=30, message="the erased person's inbox to be emptied")
    assert admin.get("/v1/deliveries", params={"recipient_id": team.mentee}).json()["items"] == []
    prefs = api.get(f"/v1/preferences/{team.mentee}", headers=bearer("hr_admin")).json()
    assert prefs["digest"] == "weekly" and prefs["updated_at"] is None
    # replayed events about the erased person create nothing for them
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
    bus.publish("mentoring.mentorship.started", team.pair("active", started_at="2031-01-05T10:00:00Z"))
    wait_consumed(infra.kafka_bootstrap)
    assert inbox() == []
    assert len(sink.to(team.email(team.mentee))) == 1
