"""No input of any kind stops the dispatcher: each bad one fails alone, with its reason (real channel adapters
on a fake SMTP relay and a fake HTTP transport)."""

from datetime import timedelta
from ipaddress import ip_address

from services.notifications.adapters.channels.mail import EmailSender
from services.notifications.adapters.channels.webhook import WebhookSender
from services.notifications.adapters.rendering import MessageRenderer
from services.notifications.domain.delivery import RetryPolicy
from services.notifications.domain.notices import INTRODUCTION, Notice
from services.notifications.use_cases.delivering import Delivery
from services.notifications.use_cases.dispatch import Dispatcher, DispatchPace
from services.notifications.use_cases.issuing import issue
from shared.config import Config
from tests.unit.notifications.fakes import Clock, FakeMentorships, FakePeople, FakePreferences, FakeUnitOfWork
from tests.unit.notifications.test_mail import FakeSMTP

GOOD = {"name": "Mia", "email": "mia@example.com", "timezone": "UTC"}
PEOPLE = {
    "r1": GOOD,
    "r2": {**GOOD, "email": "chloé.berg.7@example.com"},          # the relay lacks SMTPUTF8
    "r3": {**GOOD, "name": "Mal\r\nBcc: evil@example.com"},      # header injection attempt
    "r4": {**GOOD, "email": {"$ne": None}},                        # not an address at all
    "r5": {**GOOD, "name": 12345, "timezone": "Mars/Olympus"},     # odd types, unknown zone
    "r6": GOOD,                                                    # its stored notification is malformed
    "r7": GOOD,                                                    # its pair's reasons are not a list
    "r8": GOOD,                                                    # its webhook raises an odd error
    "r9": GOOD,                                                    # its webhook answers nonsense
    "r10": {**GOOD, "email": "gone@example.com"},                  # refused by the relay
    "r11": GOOD,
    "mo": {"name": "Mo", "email": "mo@example.com"},
}
HOOKS = {"r8": "https://hooks.example.com/broken", "r9": "https://hooks.example.com/nonsense"}


def fake_post(url, address, body, headers, timeout):
    if url.endswith("/broken"):
        raise RuntimeError("TLS went odd")
    return None


def notice(recipient: str) -> Notice:
    pair = "m7" if recipient == "r7" else "m1"
    return Notice(f"intro:{pair}:{recipient}", recipient, INTRODUCTION,
                  {"your_role": "mentee", "partner_role": "mentor", "mentorship_id": pair}, "p1", {"partner": "mo"})


def test_no_input_stops_the_dispatcher_and_each_bad_one_fails_alone_with_its_reason():
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE),
                         mentorships=FakeMentorships({"mentorship_id": "m1", "status": "proposed", "reasons": []},
                                                     {"mentorship_id": "m7", "status": "proposed", "reasons": 5}),
                         preferences=FakePreferences(**{r: {"webhook_url": url} for r, url in HOOKS.items()}))
    clock = Clock()
    issue(uow, [notice(r) for r in PEOPLE if r != "mo"], clock())
    uow.notifications.docs["intro:m1:r6"]["about"] = {}
    relay = FakeSMTP(smtputf8=False, refuse={"gone@example.com"})
    email = EmailSender(Config(service="notifications", port=0, smtp_host="relay"), connect=lambda: relay)
    webhook = WebhookSender("s3cret", resolver=lambda host, port: [ip_address("93.184.216.34")], post=fake_post)
    delivery = Delivery(email, webhook, MessageRenderer(), RetryPolicy(max_attempts=3), clock=clock)
    dispatcher = Dispatcher(uow, delivery, DispatchPace(batch=100, group=4, lease=timedelta(minutes=2)), clock=clock)

    assert dispatcher.run_once() == 11
    state = {d["recipient_id"]: d["channels"] for d in uow.notifications.docs.values()}
    assert {r: state[r]["email"]["status"] for r in ("r1", "r3", "r5", "r8", "r9", "r11")} == dict.fromkeys(
        ("r1", "r3", "r5", "r8", "r9", "r11"), "delivered")
    assert state["r2"]["email"]["status"] == "failed" and "SMTPUTF8" in state["r2"]["email"]["reason"]
    assert state["r4"]["email"]["status"] == "failed" and "address" in state["r4"]["email"]["reason"]
    assert state["r10"]["email"]["status"] == "failed" and "550" in state["r10"]["email"]["reason"]
    for broken in ("r6", "r7"):
        email = state[broken]["email"]
        assert email["status"] == "failed" and "could not be prepared" in email["reason"]
        assert state[broken]["inbox"]["status"] == "delivered"  # the inbox copy stands: it renders when read
    assert "RuntimeError" in state["r8"]["webhook"]["reason"] and state["r8"]["webhook"]["status"] == "failed"
    assert "nonsense" in state["r9"]["webhook"]["reason"] and state["r9"]["webhook"]["status"] == "failed"
    delivered_to = [recipients for _, recipients, _, _ in relay.sent]
    assert ["mia@example.com"] in delivered_to and all(r[0].isascii() for r in delivered_to)
    assert all(d["due"] is None and "claim" not in d for d in uow.notifications.docs.values())
