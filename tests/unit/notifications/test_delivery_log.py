"""The delivery log for program admins, read from each notification's own channel states."""

from datetime import timedelta

from services.notifications.domain import delivery
from services.notifications.domain.delivery import RetryPolicy, SendResult
from services.notifications.use_cases.deliveries import delivery_log
from tests.unit.notifications.fakes import NOW, FakeUnitOfWork

POLICY = RetryPolicy(base_seconds=30, max_attempts=3)


def stored(uow, notification_id, recipient, **channels):
    uow.notifications.add([{"_id": notification_id, "recipient_id": recipient, "kind": "introduction",
                            "program_id": "p1", "created_at": NOW, "read_at": None,
                            "sort_key": f"{NOW.isoformat()}|{notification_id}",
                            "channels": {"inbox": delivery.delivered_in_inbox(NOW), **channels}}])


def test_an_email_being_retried_shows_its_next_attempt_and_every_try():
    uow = FakeUnitOfWork()
    retrying, _ = delivery.after_attempt(delivery.pending(NOW), SendResult(False, "451 busy"), NOW, POLICY)
    stored(uow, "intro:m1:e1", "e1", email=retrying)
    [item] = delivery_log(uow, {}, limit=10, cursor=None)["items"]
    email = next(d for d in item["deliveries"] if d["channel"] == "email")
    assert email["status"] == "pending" and email["next_attempt_at"] == "2031-01-10T12:00:30.000000Z"
    assert [(e["attempt"], e["outcome"], e["detail"]) for e in email["log"]] == [(1, "retrying", "451 busy")]


def test_the_status_filter_reads_one_channel_or_any():
    uow = FakeUnitOfWork()
    failed, _ = delivery.after_attempt(delivery.pending(NOW), SendResult(False, "550", True), NOW, POLICY)
    held = delivery.held(delivery.pending(NOW), NOW, NOW + timedelta(hours=1))
    stored(uow, "intro:m1:e1", "e1", email=failed)
    stored(uow, "intro:m1:e2", "e2", email=held, webhook=delivery.pending(NOW))
    ids = lambda **f: [i["notification_id"] for i in delivery_log(uow, f, limit=10, cursor=None)["items"]]  # noqa: E731
    assert ids(status="failed") == ["intro:m1:e1"]
    assert ids(status="held") == ["intro:m1:e2"] and ids(status="held", channel="webhook") == []
    assert ids(channel="webhook") == ["intro:m1:e2"] and sorted(ids(status="delivered")) == ["intro:m1:e1",
                                                                                             "intro:m1:e2"]
    held_email = next(d for d in delivery_log(uow, {"recipient_id": "e2"}, limit=10, cursor=None)["items"][0]
                      ["deliveries"] if d["channel"] == "email")
    assert held_email["next_attempt_at"] == "2031-01-10T13:00:00.000000Z" and held_email["attempts"] == 0
