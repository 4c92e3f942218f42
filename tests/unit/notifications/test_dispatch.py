"""The dispatcher's decisions on in-memory fakes: send once, retry, hold, wait for a person, withdraw, release."""

from datetime import timedelta

import pytest

from services.notifications.domain.delivery import RetryPolicy, SendResult
from services.notifications.domain.rules import introductions
from services.notifications.use_cases.delivering import Delivery
from services.notifications.use_cases.dispatch import Dispatcher, DispatchPace
from services.notifications.use_cases.issuing import issue
from tests.unit.notifications.fakes import (
    Clock,
    FakeChannel,
    FakeHandoff,
    FakeMentorships,
    FakePeople,
    FakePreferences,
    FakePrograms,
    FakeUnitOfWork,
)

PAIR = {"mentorship_id": "m1", "program_id": "p1", "mentor_id": "mo", "mentee_id": "mia", "status": "proposed",
        "reasons": ["Strong (4/5) in sql, which Mia wants to learn"]}
MIA = {"name": "Mia Mentee", "email": "mia@example.com", "timezone": "Europe/Berlin"}
MO = {"name": "Mo Mentor", "email": "mo@example.com", "timezone": "UTC"}
PACE = DispatchPace(batch=100, group=10, lease=timedelta(minutes=2))


def team(people=None, prefs=None, handoff=None) -> FakeUnitOfWork:
    return FakeUnitOfWork(people=FakePeople(**(people if people is not None else {"mia": MIA, "mo": MO})),
                          programs=FakePrograms(p1={"name": "Spring cohort", "checkin_every_days": 14}),
                          mentorships=FakeMentorships(PAIR), preferences=FakePreferences(**(prefs or {})),
                          handoff=handoff)


class Run:
    """A dispatcher on fakes, with its clock and channels at hand."""

    def __init__(self, uow, email=None, webhook=None, take=lambda: None, pace=PACE):
        self.uow, self.clock = uow, Clock()
        self.email, self.webhook = email or FakeChannel(), webhook or FakeChannel()
        self.delivery = Delivery(self.email, self.webhook, renderer(), RetryPolicy(base_seconds=30, max_attempts=3),
                                 people_wait=timedelta(seconds=60), recheck=timedelta(seconds=2), clock=self.clock)
        self.dispatcher = Dispatcher(uow, self.delivery, pace, take=take, clock=self.clock)

    def introduce(self, people=None, only=None):
        notices = introductions(PAIR, people or self.uow.people.by_id(["mia", "mo"]))
        created = issue(self.uow, [n for n in notices if only in (None, n.recipient_id)], self.clock())
        self.uow.commit()
        return created

    def once(self) -> int:
        return self.dispatcher.run_once()

    def doc(self, recipient="mia"):
        return self.uow.notifications.docs[f"intro:m1:{recipient}"]

    def subjects_to(self, address):
        return [doc["subject"] for doc, person in self.email.sent if person and person.get("email") == address]


def renderer():
    from services.notifications.adapters.rendering import MessageRenderer

    return MessageRenderer()


def test_a_new_notification_goes_out_once_rendered_from_what_is_known_and_each_channel_is_announced():
    run = Run(team())
    assert run.introduce() == 2 and run.once() == 2
    assert run.subjects_to("mia@example.com") == ["Meet your mentor: Mo Mentor"]
    [(sent, _)] = [s for s in run.email.sent if s[1]["email"] == "mia@example.com"]
    assert "Strong (4/5) in sql" in sent["text"] and "Spring cohort" in sent["text"]
    doc = run.doc()
    assert doc["due"] is None and "claim" not in doc
    assert {c: (s["status"], s["announced"]) for c, s in doc["channels"].items()} == {
        "inbox": ("delivered", True), "email": ("delivered", True)}
    mine = [(e.type, e.data["channel"]) for e in run.uow.notifications.outbox if e.data["recipient_id"] == "mia"]
    assert mine == [("mentoring.notification.delivered", "inbox"), ("mentoring.notification.delivered", "email")]
    run.clock.advance(hours=5)
    assert run.once() == 0 and len(run.email.sent) == 2


def test_the_consumers_batch_is_stored_claimed_and_handed_over_so_nobody_else_takes_it_meanwhile():
    handoff = FakeHandoff()
    run = Run(team(handoff=handoff), take=handoff.take)
    run.introduce()
    assert run.doc()["claim"] == "handed-0" and run.doc()["due"] == run.clock() + timedelta(minutes=2)
    other = Run(run.uow)  # another replica polling the store
    assert other.once() == 0 and other.email.sent == []
    assert run.once() == 2 and len(run.email.sent) == 2


def test_a_transient_failure_is_retried_after_the_backoff_and_announced_only_when_it_ends():
    run = Run(team(), email=FakeChannel(SendResult(False, "451 busy")))
    run.introduce(only="mia")
    run.once()
    email = run.doc()["channels"]["email"]
    assert email["status"] == "pending" and email["attempts"] == 1 and not email.get("announced")
    assert run.doc()["due"] == run.clock() + timedelta(seconds=30)
    run.clock.advance(seconds=29)
    assert run.once() == 0
    run.clock.advance(seconds=1)
    assert run.once() == 1 and run.doc()["channels"]["email"]["status"] == "delivered"
    assert [e.data["channel"] for e in run.uow.notifications.outbox] == ["inbox", "email"]


def test_a_permanent_failure_fails_at_once_with_its_reason():
    run = Run(team(), email=FakeChannel(SendResult(False, "550 no such user", permanent=True)))
    run.introduce(only="mia")
    run.once()
    email = run.doc()["channels"]["email"]
    assert (email["status"], email["attempts"], email["reason"]) == ("failed", 1, "550 no such user")
    assert run.doc()["due"] is None
    assert any(e.type == "mentoring.notification.failed" for e in run.uow.notifications.outbox)


def test_quiet_hours_hold_email_and_webhook_without_spending_an_attempt():
    quiet = {"mia": {"quiet_hours": {"start": "12:00", "end": "14:30"}, "webhook_url": "https://hooks.example.com/m"}}
    run = Run(team(prefs=quiet))
    run.introduce()
    run.once()  # 13:00 in Berlin
    doc = run.doc()
    assert {c: s["status"] for c, s in doc["channels"].items()} == {"inbox": "delivered", "email": "held",
                                                                    "webhook": "held"}
    assert doc["due"] == run.clock().replace(hour=13, minute=30) and doc["channels"]["email"]["attempts"] == 0
    assert run.subjects_to("mia@example.com") == [] and run.webhook.sent == []


def test_a_message_naming_someone_not_heard_of_yet_waits_for_them_then_shows_their_name():
    run = Run(team(people={"mia": MIA}))  # the proposal overtook the mentor's profile
    run.introduce(people={"mia": MIA})
    run.once()
    assert run.email.sent == [] and run.doc()["due"] == run.clock() + timedelta(seconds=2)
    run.uow.people.record([{"employee_id": "mo", "version": 1, **MO}])
    run.clock.advance(seconds=2)
    run.once()
    assert run.subjects_to("mia@example.com") == ["Meet your mentor: Mo Mentor"]


def test_the_wait_for_an_unknown_person_is_bounded_then_the_message_goes_with_a_stand_in():
    run = Run(team(people={"mia": MIA}))
    run.introduce(people={"mia": MIA})
    for _ in range(30):
        run.once()
        run.clock.advance(seconds=2)
    run.once()
    assert run.subjects_to("mia@example.com") == ["Meet your mentor: your mentor"]


def test_a_queued_message_about_someone_erased_is_withdrawn_and_nothing_names_them():
    run = Run(team())
    run.introduce()
    run.uow.people.erase("mo", 2)
    run.uow.notifications.erase_recipient("mo")
    run.once()
    email = run.doc()["channels"]["email"]
    assert email["status"] == "failed" and "erased" in email["reason"] and run.email.sent == []
    assert "intro:m1:mo" not in run.uow.notifications.docs


def test_nothing_is_sent_to_someone_erased_after_their_notice_was_claimed():
    handoff = FakeHandoff()
    run = Run(team(handoff=handoff), take=handoff.take)
    run.introduce()
    run.uow.people.erase("mia", 2)  # the erasure commits while the batch waits in memory
    run.once()
    assert run.subjects_to("mia@example.com") == [] and run.subjects_to("mo@example.com") == []


def test_a_dispatcher_whose_lease_is_nearly_over_sends_nothing_more_and_gives_the_rest_back():
    handoff = FakeHandoff(lease=timedelta(seconds=20))
    run = Run(team(handoff=handoff), take=handoff.take)
    run.introduce()
    run.clock.advance(seconds=16)  # within the margin (a quarter of the lease)
    run.once()
    assert run.email.sent == []
    assert {d["due"] for d in run.uow.notifications.docs.values()} == {run.clock()}
    assert all("claim" not in d for d in run.uow.notifications.docs.values())
    other = Run(run.uow)
    other.clock.now = run.clock.now
    assert other.once() == 2 and len(other.email.sent) == 2


@pytest.mark.parametrize("raised", [RuntimeError("boom"), UnicodeError("odd")])
def test_a_channel_that_raises_fails_that_delivery_alone(raised):
    run = Run(team(), email=FakeChannel(raised))
    run.introduce()
    run.once()
    failed = [d for d in run.uow.notifications.docs.values() if d["channels"]["email"]["status"] == "failed"]
    delivered = [d for d in run.uow.notifications.docs.values() if d["channels"]["email"]["status"] == "delivered"]
    assert len(failed) == 1 and len(delivered) == 1
    assert type(raised).__name__ in failed[0]["channels"]["email"]["reason"]


def test_a_dispatcher_whose_claims_outlast_its_lease_claims_less_until_the_work_gets_done():
    run = Run(team(), pace=DispatchPace(batch=8, group=1, lease=timedelta(seconds=20)))
    run.introduce()
    claim_due, limits = run.uow.notifications.claim_due, []

    def slow_claim(now, claim, limit):  # a loaded store: claiming takes 2 s per notification asked for
        limits.append(limit)
        docs = claim_due(now, claim, limit)
        run.clock.advance(seconds=2 * limit)
        return docs

    run.uow.notifications.claim_due = slow_claim
    run.once()
    assert run.email.sent == [] and limits == [8]
    run.once()
    assert limits == [8, 4] and len(run.email.sent) == 2
