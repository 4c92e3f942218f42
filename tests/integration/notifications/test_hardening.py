"""Issue 12 for notifications: webhooks never point into the network, an inbox is its owner's alone, job moments
out of range and control characters in single-line fields are 422 — never a 500, never accepted."""

from __future__ import annotations

import pytest

from tests.support.http import Client, bearer
from tests.support.processes import running

ALLOW_PRIVATE = "NOTIFY_WEBHOOK_ALLOW_PRIVATE"


@pytest.fixture(scope="module")
def strict_api(infra, logs_dir, notify_env):
    """An API as deployed: without the local-development setting that lets webhooks reach private addresses."""
    env = {k: v for k, v in notify_env.items() if k != ALLOW_PRIVATE}
    with running("notifications", infra, logs_dir, "api", **env) as service:
        yield Client(service.url)


def as_person(employee_id: str) -> dict[str, str]:
    return bearer("employee", employee_id=employee_id)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8001/v1/profiles", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8003/",
    "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/", "http://127.1/", "http://user:pass@hooks.example.com/",
    "http://10.0.0.8/hook", "http://192.168.1.20/", "http://[fd00::5]/", "http://[fe80::1]/", "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/", "http://localhost:8003/",
])
def test_a_webhook_into_the_network_or_with_credentials_is_refused(strict_api, url, uid):
    me = f"hooked-{uid}"
    response = strict_api.put(f"/v1/preferences/{me}", json={"webhook_url": url}, headers=as_person(me))
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"] == "application/problem+json" and "webhook_url" in response.json()["errors"]
    assert strict_api.get(f"/v1/preferences/{me}", headers=as_person(me)).json()["webhook_url"] is None


def test_a_public_webhook_is_accepted(strict_api, uid):
    me = f"hooked-{uid}"
    response = strict_api.put(f"/v1/preferences/{me}", json={"webhook_url": "https://hooks.example.com/tandem"},
                              headers=as_person(me))
    assert response.status_code == 200 and response.json()["webhook_url"] == "https://hooks.example.com/tandem"


def test_a_program_admin_cannot_read_someone_elses_inbox(api, uid):
    for token in (bearer("program_admin", employee_id=f"admin-{uid}"), bearer("program_admin", "manager")):
        response = api.get("/v1/notifications", params={"recipient_id": f"someone-{uid}"}, headers=token)
        assert response.status_code == 403 and response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("as_of", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-05:00",
                                   "1969-12-31T23:59:59Z", "2031-01-01T00:00:00Z\n"])
def test_a_job_moment_out_of_range_is_a_422(api, as_of):
    for job in ("reminders", "nudges", "digests"):
        response = api.post(f"/v1/jobs/{job}:run", json={"as_of": as_of}, headers=bearer("program_admin"))
        assert response.status_code == 422, (job, response.text)
        assert "as_of" in response.json()["errors"]


@pytest.mark.parametrize(("path", "params"), [
    ("/v1/deliveries", {"recipient_id": "a\n"}), ("/v1/deliveries", {"program_id": "p-1\r\nX-Evil: 1"}),
    ("/v1/deliveries", {"recipient_id": "a\x00b"}), ("/v1/notifications", {"recipient_id": "admin-ops\n"}),
])
def test_single_line_query_fields_reject_control_characters(api, path, params):
    response = api.get(path, params=params, headers=bearer("program_admin", employee_id="admin-ops"))
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("quiet", [{"start": "22:00\n", "end": "07:00"}, {"start": "22:00", "end": "07:00\x00"},
                                   {"start": "\u202822:00", "end": "07:00"}])
def test_quiet_hours_reject_control_characters(api, quiet, uid):
    me = f"quiet-{uid}"
    response = api.put(f"/v1/preferences/{me}", json={"quiet_hours": quiet}, headers=as_person(me))
    assert response.status_code == 422 and "quiet_hours" in response.json()["errors"]
