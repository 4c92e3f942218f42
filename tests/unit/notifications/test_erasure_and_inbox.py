"""Erasure leaves no trace of the person in this service's data, and the inbox renders from what is known now."""

from datetime import UTC, datetime

from services.notifications.adapters.rendering import MessageRenderer
from services.notifications.domain.digest import weekly_digests
from services.notifications.use_cases import erasure, inbox, reactions
from services.notifications.use_cases.issuing import issue
from tests.unit.notifications.fakes import (
    FakeHandoff,
    FakeMentorships,
    FakePeople,
    FakePreferences,
    FakeUnitOfWork,
)

PEOPLE = {"mo": {"name": "Mo Mentor", "manager_id": "boss"}, "mia": {"name": "Mia Mentee", "manager_id": "boss"},
          "boss": {"name": "Bea Boss"}}
PAIR = {"mentorship_id": "m1", "program_id": "p1", "mentor_id": "mo", "mentee_id": "mia", "status": "active",
        "reasons": ["Strong (4/5) in sql, which Mia wants to learn"], "started_at": "2031-01-02T00:00:00Z"}


def world() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE), mentorships=FakeMentorships(),
                         preferences=FakePreferences(mia={"digest": "off"}), handoff=FakeHandoff())
    reactions.introduce_pairs(uow, [{**PAIR, "status": "proposed"}])
    reactions.tell_managers_of_starts(uow, [PAIR])
    issue(uow, weekly_digests(uow.mentorships.active(), uow.people.by_id(PEOPLE), [], [],
                              datetime(2031, 1, 13, tzinfo=UTC)))
    uow.commit()
    return uow


def test_erasure_removes_the_persons_notifications_preferences_goals_and_the_reasons_naming_them():
    uow = world()
    erasure.erase_people(uow, [{"employee_id": "mia", "version": 3}])
    uow.commit()
    assert [d for d in uow.notifications.docs.values() if d["recipient_id"] == "mia"] == []
    assert uow.preferences.of(["mia"]) == {} and uow.people.by_id(["mia"])["mia"] == {
        "_id": "mia", "erased": True, "version": 3}
    assert uow.mentorships.by_id(["m1"])["m1"].get("reasons") is None
    digest = next(d for d in uow.notifications.docs.values() if d["kind"] == "weekly_digest")
    assert [r["report_id"] for r in digest["facts"]["reports"]] == ["mo"]
    assert uow.handoff.forgotten == ["mia"]
    assert "Mia" not in str(uow.notifications.docs) and "mia@" not in str(uow.notifications.docs)


def test_others_inboxes_render_an_erased_person_as_a_stand_in():
    uow = world()
    erasure.erase_people(uow, [{"employee_id": "mia", "version": 3}])
    page = inbox.inbox_page(uow, MessageRenderer(), "boss", unread=False, limit=10, cursor=None)
    texts = " ".join(i["subject"] + i["text"] + i["html"] + str(i["facts"]) for i in page["items"])
    assert "Mia" not in texts and "your report" in texts and "Mo Mentor" in texts


def test_the_inbox_shows_names_as_they_are_now_and_marking_read_is_idempotent():
    uow = world()
    uow.people.record([{"employee_id": "mo", "version": 2, "name": "Mo Renamed", "manager_id": "boss"}])
    [item] = inbox.inbox_page(uow, MessageRenderer(), "mia", unread=False, limit=10, cursor=None)["items"]
    assert item["subject"] == "Meet your mentor: Mo Renamed" and item["channels"] == {"inbox": "delivered",
                                                                                     "email": "pending"}
    first = inbox.mark_read(uow, MessageRenderer(), item["notification_id"])["read_at"]
    assert first is not None and inbox.mark_read(uow, MessageRenderer(), item["notification_id"])["read_at"] == first
    assert inbox.inbox_page(uow, MessageRenderer(), "mia", unread=True, limit=10, cursor=None)["items"] == []
