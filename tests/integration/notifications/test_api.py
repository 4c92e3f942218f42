"""The inbox, read receipts, preferences and the delivery log over HTTP: who may see what, and validation."""

from __future__ import annotations

import pytest

from tests.integration.notifications.team import make_team
from tests.support.http import bearer
from tests.support.polling import wait_for


@pytest.fixture
def team(hr, bus, store, notifications, uid):
    return make_team(hr, bus, store, uid)


def as_person(employee_id: str) -> dict[str, str]:
    return bearer("employee", employee_id=employee_id)


@pytest.fixture
def two_notices(team, bus, api):
    """The mentee receives two introductions (two proposals)."""
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed", mentorship_id=f"m1-{team.uid}"))
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed", mentorship_id=f"m2-{team.uid}"))
    wait_for(lambda: len(api.get("/v1/notifications", headers=as_person(team.mentee)).json()["items"]) == 2,
             timeout=30, message="two inbox items")
    return team


def test_an_inbox_needs_a_token_and_belongs_to_its_owner(two_notices, api):
    team = two_notices
    assert api.get("/v1/notifications", params={"recipient_id": team.mentee}).status_code == 401
    response = api.get("/v1/notifications", params={"recipient_id": team.mentee}, headers=as_person(team.mentor))
    assert response.status_code == 403 and response.headers["Content-Type"] == "application/problem+json"
    manager = bearer("manager", "employee", employee_id=team.manager)
    assert api.get("/v1/notifications", params={"recipient_id": team.mentee}, headers=manager).status_code == 403
    own = api.get("/v1/notifications", params={"recipient_id": team.mentee}, headers=as_person(team.mentee))
    assert own.status_code == 200 and len(own.json()["items"]) == 2
    admin = bearer("program_admin", employee_id=f"admin-{team.uid}")  # admins have the delivery log, not inboxes
    assert api.get("/v1/notifications", params={"recipient_id": team.mentee}, headers=admin).status_code == 403
    assert api.get("/v1/notifications", params={"recipient_id": team.mentee},
                   headers=bearer("program_admin")).status_code == 403
    assert api.get("/v1/notifications", headers=bearer("program_admin")).status_code == 422  # whose inbox?


def test_the_inbox_pages_newest_first_with_a_cursor(two_notices, api):
    mine = as_person(two_notices.mentee)
    first = api.get("/v1/notifications", params={"limit": 1}, headers=mine).json()
    second = api.get("/v1/notifications", params={"limit": 1, "cursor": first["next_cursor"]}, headers=mine).json()
    assert first["next_cursor"] and second["next_cursor"] is None
    both = first["items"] + second["items"]
    assert both[0]["created_at"] >= both[1]["created_at"]
    assert {n["notification_id"] for n in both} == {f"intro:m1-{two_notices.uid}:{two_notices.mentee}",
                                                    f"intro:m2-{two_notices.uid}:{two_notices.mentee}"}
    assert api.get("/v1/notifications", params={"cursor": "%%%"}, headers=mine).status_code == 422
    assert api.get("/v1/notifications", params={"limit": 501}, headers=mine).status_code == 422


def test_only_the_recipient_marks_a_notification_read(two_notices, api):
    team, mine = two_notices, as_person(two_notices.mentee)
    [newest, older] = api.get("/v1/notifications", headers=mine).json()["items"]
    path = f"/v1/notifications/{older['notification_id']}/read"
    assert api.post(path, headers=as_person(team.mentor)).status_code == 403
    assert api.post(path, headers=bearer("program_admin")).status_code == 403
    read = api.post(path, headers=mine)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    again = api.post(path, headers=mine).json()
    assert again["read_at"] == read.json()["read_at"]  # idempotent: the first reading time stays
    unread = api.get("/v1/notifications", params={"unread": "true"}, headers=mine).json()["items"]
    assert [n["notification_id"] for n in unread] == [newest["notification_id"]]
    assert api.post("/v1/notifications/intro:nope:nobody/read", headers=mine).status_code == 404


def test_preferences_default_then_replace_and_are_validated(team, api):
    mine = as_person(team.mentee)
    path = f"/v1/preferences/{team.mentee}"
    assert api.get(path, headers=mine).json() == {"employee_id": team.mentee, "email": True, "webhook_url": None,
                                                  "digest": "weekly", "quiet_hours": None, "updated_at": None}
    body = {"email": False, "webhook_url": "https://hooks.example.com/tandem", "digest": "off",
            "quiet_hours": {"start": "22:30", "end": "06:45"}}
    saved = api.put(path, json=body, headers=mine)
    assert saved.status_code == 200 and {k: saved.json()[k] for k in body} == body
    assert api.put(path, json={"digest": "weekly"}, headers=mine).json()["email"] is True  # PUT replaces
    assert api.put(path, json={}, headers=bearer("hr_admin")).status_code == 200
    assert api.put(path, json={}, headers=as_person(team.mentor)).status_code == 403
    assert api.get(path, headers=as_person(team.mentor)).status_code == 403
    assert api.get(path, headers=bearer("program_admin")).status_code == 200
    for bad in ({"quiet_hours": {"start": "25:00", "end": "06:00"}}, {"quiet_hours": {"start": "7", "end": "8"}},
                {"quiet_hours": {"start": "08:00", "end": "08:00"}}, {"quiet_hours": {"start": "08:00"}},
                {"digest": "daily"}, {"webhook_url": "ftp://x.example.com"}, {"email": "sometimes"},
                {"sms": True}):
        response = api.put(path, json=bad, headers=mine)
        assert response.status_code == 422, bad
        assert response.json()["errors"], bad


def test_the_delivery_log_is_for_program_admins(two_notices, api):
    team = two_notices
    assert api.get("/v1/deliveries", headers=as_person(team.mentee)).status_code == 403
    assert api.get("/v1/deliveries").status_code == 401
    admin = bearer("program_admin")
    items = api.get("/v1/deliveries", params={"recipient_id": team.mentee, "kind": "introduction"},
                    headers=admin).json()["items"]
    assert len(items) == 2 and {d["channel"] for d in items[0]["deliveries"]} == {"inbox", "email"}
    assert api.get("/v1/deliveries", params={"status": "lost"}, headers=admin).status_code == 422
