"""The dispatcher's decisions with in-memory fakes behind its ports: inbox first, send, retry, hold, adopt."""

from datetime import UTC, datetime, timedelta

from services.notifications.dispatcher import Dispatcher
from services.notifications.domain import delivery
from services.notifications.domain.delivery import SendResult
from services.notifications.queue import entry_for
from services.notifications.settings import NotifySettings

NOW = datetime(2031, 1, 10, 12, 0, tzinfo=UTC)


class FakeQueue:
    def __init__(self, entries, recorded=None, claims=None):
        self.entries, self.recorded_attempts, self.records, self.later = list(entries), recorded or {}, [], []
        self.claims = dict(claims or {})  # round id -> the copy that won it

    def release_timers(self, now):
        return 0

    def head(self, limit):
        return list(self.entries[:limit])

    def claim(self, entries, until):
        won = {e["_id"] for e in entries if e["_id"] not in self.claims}
        self.claims |= {e["_id"]: e.get("copy") for e in entries if e["_id"] in won}
        return won

    def is_stale_copy(self, entry):
        return entry["_id"] in self.claims and self.claims[entry["_id"]] != entry.get("copy")

    def drop(self, entry):
        self.entries = [e for e in self.entries if e is not entry]

    def take_over(self, entry, now, until):
        return False

    def recorded(self, record_id):
        return self.recorded_attempts.get(record_id)

    def finish(self, records, later, done):
        self.records += records
        self.later += later
        self.entries = [e for e in self.entries if e["_id"] not in done]

    def erase(self, employee_id):
        self.erased = employee_id
        self.entries = [e for e in self.entries if e["recipient_id"] != employee_id]


class FakeInbox:
    def __init__(self):
        self.items, self.erased = [], None

    def add_to_inbox(self, items):
        self.items += items

    def erase(self, employee_id):
        self.erased = employee_id


class FakeSender:
    def __init__(self, *results):
        self.results, self.sent = list(results), []

    def send(self, doc, target):
        self.sent.append((doc["_id"], target))
        return self.results.pop(0) if self.results else SendResult(True, "ok")

    def close(self):
        pass


class People:
    def __init__(self, **people):
        self.people = people

    def people_by_id(self, ids):
        return {i: self.people[i] for i in ids if i in self.people}


def entry(channels=("email",), quiet=None, **extra):
    states = {"inbox": delivery.pending(NOW), **{c: delivery.pending(NOW) for c in channels}}
    if "webhook" in states:
        states["webhook"]["url"] = "https://hooks.example.com/x"
    item = {"notification_id": "intro:m1:e1", "recipient_id": "e1", "kind": "introduction", "program_id": "p1",
            "facts": {"recipient_name": "Mia", "partner_name": "Mo", "partner_role": "mentor", "your_role": "mentee",
                      "program_name": "Cohort", "reasons": [], "mentorship_id": "m1"},
            "attachments": [], "created_at": NOW, "sort_key": "k", "quiet_hours": quiet,
            "contact": {"name": "Mia", "email": "mia@example.com", "timezone": "Europe/Berlin"}, **extra}
    return entry_for(item, 0, NOW, states)


def dispatcher(queue, email=None, webhook=None, people=None):
    settings = NotifySettings(retry_base_seconds=30, max_attempts=3)
    return Dispatcher(FakeInbox(), queue, people or People(), email or FakeSender(), webhook or FakeSender(),
                      settings, clock=lambda: NOW)


def test_a_first_round_fills_the_inbox_and_sends_the_email_with_one_event_each():
    queue, email = FakeQueue([entry()]), FakeSender()
    d = dispatcher(queue, email)
    assert d.run_once() == 1
    assert email.sent == [("intro:m1:e1", {"name": "Mia", "email": "mia@example.com", "timezone": "Europe/Berlin"})]
    events = [e["type"] for r in queue.records for e in r["_outbox"]]
    assert events == ["mentoring.notification.delivered", "mentoring.notification.delivered"]
    assert queue.later == [] and queue.entries == [] and d._repo.items[0]["_id"] == "intro:m1:e1"


def test_a_transient_failure_schedules_the_next_round_after_the_backoff():
    queue = FakeQueue([entry()])
    dispatcher(queue, FakeSender(SendResult(False, "451 busy"))).run_once()
    [later] = queue.later
    assert later["_id"] == "intro:m1:e1:1" and later["due"] == NOW + timedelta(seconds=30)
    assert later["channels"]["email"]["status"] == "pending" and later["channels"]["inbox"]["status"] == "delivered"
    assert [r["_outbox"] for r in queue.records if r["channel"] == "email"] == [[]]  # no event while retrying


def test_quiet_hours_hold_email_and_webhook_but_not_the_inbox():
    queue, email, webhook = FakeQueue([entry(("email", "webhook"), {"start": "12:00", "end": "14:30"})]), \
        FakeSender(), FakeSender()
    dispatcher(queue, email, webhook).run_once()  # 13:00 in Berlin
    assert email.sent == [] and webhook.sent == []
    [later] = queue.later
    assert later["due"] == datetime(2031, 1, 10, 13, 30, tzinfo=UTC)
    assert {c: s["status"] for c, s in later["channels"].items()} == {"inbox": "delivered", "email": "held",
                                                                      "webhook": "held"}


def test_after_a_takeover_an_attempt_already_recorded_is_not_made_again():
    done = {"state": {**delivery.pending(NOW), "status": "delivered", "attempts": 1, "next_at": None}}
    queue = FakeQueue([{**entry(), "taken_over": True}], recorded={"intro:m1:e1:email:1": done})
    email = FakeSender()
    dispatcher(queue, email).run_once()
    assert email.sent == [] and queue.later == []


def test_a_round_queued_again_after_it_was_worked_on_is_dropped_and_not_sent_again():
    worked_on = {**entry(), "copy": "first", "due": NOW - timedelta(seconds=30)}
    queued_again = {**worked_on, "copy": "second"}
    queue, email = FakeQueue([queued_again], claims={worked_on["_id"]: "first"}), FakeSender()
    assert dispatcher(queue, email).run_once() == 0
    assert email.sent == [] and queue.entries == [] and queue.records == []


def test_a_round_another_dispatcher_is_working_on_is_left_alone():
    in_hand = {**entry(), "copy": "first", "due": NOW - timedelta(seconds=30)}
    queue, email = FakeQueue([in_hand], claims={in_hand["_id"]: "first"}), FakeSender()
    assert dispatcher(queue, email).run_once() == 0
    assert email.sent == [] and queue.entries == [in_hand]


def test_the_next_round_is_a_fresh_work_item_not_a_copy_of_a_taken_over_one():
    later = entry_for({**entry(), "copy": "first", "taken_over": True}, 1, NOW, {})
    assert "copy" not in later and "taken_over" not in later and later["_id"] == "intro:m1:e1:1"


def test_a_round_of_someone_erased_meanwhile_sends_nothing_and_clears_what_is_left_of_them():
    queue, email = FakeQueue([entry()]), FakeSender()
    d = dispatcher(queue, email, people=People(e1={"_id": "e1", "erased": True}))
    d.run_once()
    assert email.sent == [] and queue.records == [] and queue.later == [] and d._repo.items == []
    assert queue.erased == "e1" and d._repo.erased == "e1"


def test_the_address_used_is_the_recipients_current_one():
    queue, email = FakeQueue([entry()]), FakeSender()
    moved = {"_id": "e1", "name": "Mia", "email": "mia@new.example.com", "timezone": "Europe/Berlin"}
    dispatcher(queue, email, people=People(e1=moved)).run_once()
    assert email.sent == [("intro:m1:e1", {"name": "Mia", "email": "mia@new.example.com",
                                           "timezone": "Europe/Berlin"})]
