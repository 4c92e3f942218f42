"""Scheduled jobs create each notification once however often they run; webhook targets are checked on save."""

from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.use_cases import jobs, preferences
from shared.errors import Invalid
from tests.unit.notifications.fakes import FakeMentorships, FakePeople, FakeSessions, FakeUnitOfWork

AS_OF = datetime(2031, 1, 20, 8, 0, tzinfo=UTC)
PAIR = {"mentorship_id": "m1", "program_id": "p1", "mentor_id": "mo", "mentee_id": "mia", "status": "active",
        "started_at": datetime(2031, 1, 2, tzinfo=UTC)}
SESSION = {"session_id": "s1", "mentorship_id": "m1", "program_id": "p1", "mentor_id": "mo", "mentee_id": "mia",
           "status": "scheduled", "scheduled_at": AS_OF + timedelta(hours=3), "duration_minutes": 30}


def world() -> FakeUnitOfWork:
    return FakeUnitOfWork(people=FakePeople(mo={"name": "Mo"}, mia={"name": "Mia", "manager_id": "boss"},
                                            boss={"name": "Bea"}),
                          mentorships=FakeMentorships(PAIR), sessions=FakeSessions(SESSION))


def test_the_digest_job_run_three_times_for_one_week_creates_one_digest():
    uow = world()
    reports = [jobs.run_job(uow, "digests", AS_OF + timedelta(hours=h)) for h in (0, 1, 30)]
    assert [(r.created, r.already_sent) for r in reports] == [(1, 0), (0, 1), (0, 1)]
    assert list(uow.notifications.docs) == ["digest:boss:2031-W04"]


def test_reminders_go_to_both_members_once():
    uow = world()
    assert jobs.run_job(uow, "reminders", AS_OF).created == 2
    assert jobs.run_job(uow, "reminders", AS_OF + timedelta(hours=1)).already_sent == 2
    assert sorted(uow.notifications.docs) == ["reminder:s1:mia", "reminder:s1:mo"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8001/x", "http://169.254.169.254/latest/meta-data",
                                 "http://[::1]:8003/", "http://2130706433/", "http://0x7f000001/",
                                 "http://user:pass@hooks.example.com/", "http://10.1.2.3/", "http://[fd12::1]/",
                                 "http://[::ffff:10.0.0.1]/", "http://0.0.0.0/", "http://localhost/"])
def test_a_webhook_into_the_local_network_or_with_credentials_is_refused(url):
    with pytest.raises(Invalid) as refused:
        preferences.save_preferences(FakeUnitOfWork(), "mia", {"webhook_url": url})
    assert "webhook_url" in refused.value.errors


def test_private_webhooks_are_allowed_only_when_the_operator_says_so_and_never_link_local():
    uow = FakeUnitOfWork()
    saved = preferences.save_preferences(uow, "mia", {"webhook_url": "http://127.0.0.1:9/h"},
                                         allow_private_webhooks=True)
    assert saved["webhook_url"] == "http://127.0.0.1:9/h"
    with pytest.raises(Invalid):
        preferences.save_preferences(uow, "mia", {"webhook_url": "http://169.254.169.254/"},
                                     allow_private_webhooks=True)
    assert preferences.save_preferences(uow, "mia", {"webhook_url": "https://hooks.example.com/t"})["email"] is True
