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


class FakeWebhookSession:
    """requests.Session behind the webhook channel: answers by URL, including answers no server should give."""

    def __init__(self, answers):
        self.answers, self.posted = answers, []

    def post(self, url, **kwargs):
        self.posted.append(url)
        answer = self.answers[url]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self):
        pass


class Answer:
    def __init__(self, status_code):
        self.status_code = status_code


def noticed(n, contact=None, facts=None, webhook_url=None):
    base = entry(("email", "webhook") if webhook_url else ("email",))
    channels = dict(base["channels"])
    if webhook_url:
        channels["webhook"] = {**channels["webhook"], "url": webhook_url}
    return {**base, "_id": f"n{n}:0", "notification_id": f"n{n}", "channels": channels,
            "contact": contact if contact is not None else base["contact"], "facts": facts or base["facts"]}


def test_no_input_stops_the_dispatcher_and_each_bad_one_fails_alone_with_its_reason():
    from services.notifications.channels.mail import EmailSender
    from services.notifications.channels.webhook import WebhookSender
    from shared.config import Config
    from tests.unit.notifications.test_mail import FakeSMTP

    good = {"name": "Mia", "email": "mia@example.com", "timezone": "UTC"}
    entries = [
        noticed(1),
        noticed(2, {**good, "email": "chloé.berg.7@example.com"}),          # relay lacks SMTPUTF8
        noticed(3, {**good, "name": "Mal\r\nBcc: evil@example.com"}),       # header injection attempt
        noticed(4, {**good, "email": {"$ne": None}}),                         # not an address at all
        noticed(5, {**good, "name": 12345, "timezone": "Mars/Olympus"}),      # odd types, unknown zone
        noticed(6, facts={"recipient_name": "Mia"}),                          # template value missing
        noticed(7, facts={**entry()["facts"], "reasons": None}),              # template value of a wrong type
        noticed(8, webhook_url="https://hooks.example.com/broken"),          # webhook raises an odd error
        noticed(9, webhook_url="https://hooks.example.com/nonsense"),        # webhook answers nonsense
        noticed(10, {**good, "email": "gone@example.com"}),                   # refused by the relay
        noticed(11),
    ]
    relay = FakeSMTP(smtputf8=False, refuse={"gone@example.com"})
    email = EmailSender(Config(service="notifications", port=0, smtp_host="relay"), connect=lambda: relay)
    webhook = WebhookSender("s3cret", session=FakeWebhookSession({
        "https://hooks.example.com/broken": RuntimeError("TLS went odd"),
        "https://hooks.example.com/nonsense": Answer(None)}))
    queue = FakeQueue(entries)
    d = dispatcher(queue, email, webhook)
    assert d.run_once() == len(entries)
    final = {(r["notification_id"], r["channel"]): r["state"] for r in queue.records}
    email_status = {n: final[(n, "email")]["status"] for n in (f"n{i}" for i in range(1, 12)) if (n, "email") in final}
    assert email_status["n1"] == email_status["n11"] == email_status["n3"] == "delivered"
    assert email_status["n2"] == "failed" and "SMTPUTF8" in final[("n2", "email")]["reason"]
    assert email_status["n4"] == "failed" and "address" in final[("n4", "email")]["reason"]
    assert email_status["n10"] == "failed" and "550" in final[("n10", "email")]["reason"]
    assert {final[("n6", c)]["status"] for c in ("inbox", "email")} == {"failed"}
    assert final[("n8", "webhook")]["status"] == final[("n9", "webhook")]["status"] == "failed"
    assert "RuntimeError" in final[("n8", "webhook")]["reason"]
    delivered_to = [recipients for _, recipients, _, _ in relay.sent]
    assert ["mia@example.com"] in delivered_to and all(r[0].isascii() for r in delivered_to)
    assert queue.entries == [] and queue.later == []
