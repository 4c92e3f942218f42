"""The delivery log's state per channel, composed from the open round and the attempt records."""

from datetime import UTC, datetime, timedelta

from services.notifications.domain import delivery
from services.notifications.domain.delivery import RetryPolicy, SendResult
from services.notifications.views import InboxService

NOW = datetime(2031, 1, 10, 12, 0, tzinfo=UTC)
POLICY = RetryPolicy(base_seconds=30, max_attempts=3)


class FakeQueue:
    def __init__(self, open_rounds=(), records=()):
        self.rounds, self.records = list(open_rounds), list(records)

    def open_rounds(self, ids):
        return {r["notification_id"]: r for r in self.rounds if r["notification_id"] in ids}

    def records_of(self, ids):
        return [r for r in self.records if r["notification_id"] in ids]


def notification():
    return {"_id": "intro:m1:e1", "channels": {"inbox": delivery.pending(NOW), "email": delivery.pending(NOW)}}


def record(channel, state):
    return {"notification_id": "intro:m1:e1", "channel": channel, "attempt": state["attempts"], "state": state}


def open_round(**channels):
    return {"notification_id": "intro:m1:e1", "round": 1, "channels": channels}


def states(queue):
    return InboxService(None, queue).channel_states([notification()])["intro:m1:e1"]


def test_an_email_being_retried_shows_the_open_rounds_next_attempt():
    retrying, _ = delivery.after_attempt(delivery.pending(NOW), SendResult(False, "451"), NOW, POLICY)
    inbox = delivery.delivered_in_inbox(NOW)
    shown = states(FakeQueue([open_round(inbox=inbox, email=retrying)],
                             [record("inbox", inbox), record("email", retrying)]))
    assert shown["email"]["status"] == "pending" and shown["email"]["next_at"] == NOW + timedelta(seconds=30)
    assert shown["inbox"]["status"] == "delivered"


def test_a_held_email_sent_just_now_shows_delivered_though_its_round_is_not_dropped_yet():
    held = delivery.held(delivery.pending(NOW), NOW, NOW + timedelta(hours=1))
    sent, _ = delivery.after_attempt(held, SendResult(True, "250"), NOW + timedelta(hours=1), POLICY)
    shown = states(FakeQueue([open_round(inbox=delivery.delivered_in_inbox(NOW), email=held)],
                             [record("email", sent)]))
    assert shown["email"]["status"] == "delivered"
    assert [e["outcome"] for e in shown["email"]["log"]] == ["held", "delivered"]


def test_with_nothing_attempted_yet_every_channel_is_pending():
    assert {name: s["status"] for name, s in states(FakeQueue()).items()} == {"inbox": "pending",
                                                                               "email": "pending"}
