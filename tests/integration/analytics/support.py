"""Waiting for the analytics projections: consumer group caught up, report rebuilt, figures settled."""

from __future__ import annotations

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from shared.events import TOPICS, new_event
from shared.events import catalog as ev
from shared.timeutil import now_rfc3339
from tests.integration.analytics.world import World, produce
from tests.support.http import Client
from tests.support.polling import wait_for

FIGURES = ("summary", "breakdown?by=department", "breakdown?by=grade", "outcomes",
           "timeseries?metric=sessions_completed&interval=week",
           "timeseries?metric=average_feedback_rating&interval=month")


def caught_up(bootstrap: str, group: str) -> bool:
    """Has `group` committed every event now on the topics? (The worker flushes before it commits.)"""
    admin, probe = KafkaAdminClient(bootstrap_servers=bootstrap), KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        committed = admin.list_group_offsets(group).get(group, {})
        partitions = [TopicPartition(t, p) for t in TOPICS for p in probe.partitions_for_topic(t) or ()]
        return all(end == 0 or (tp in committed and committed[tp].offset >= end)
                   for tp, end in probe.end_offsets(partitions).items())
    finally:
        admin.close()
        probe.close()


def settled(client: Client, bootstrap: str, group: str, world: World, timeout: float = 90) -> dict:
    """All figures of the world's program once its worker has consumed everything and rebuilt the report.

    A report is rebuilt only when facts change, so after catching up the test publishes the program's
    creation again as a new event (same facts, so no figure changes; a redelivery of the same event id
    would be skipped before it reaches the projection) and waits for the rebuild it triggers.
    """
    wait_for(lambda: caught_up(bootstrap, group), timeout=timeout, message=f"consumer group {group} caught up")
    since = now_rfc3339()
    created = [e for e in world.events if e.type == ev.PROGRAM_CREATED.name]
    produce(bootstrap, [new_event(ev.PROGRAM_CREATED, e.data, source=e.source) for e in created])
    wait_for(lambda: (r := client.get(f"/v1/programs/{world.program_id}/summary")).status_code == 200
             and r.json()["as_of"] > since, timeout=timeout, message="report rebuilt after catching up")
    return figures(client, world.program_id)


def figures(client: Client, program_id: str) -> dict:
    """Every figure the API serves for the program, without the stamps of when it was computed."""
    found = {}
    for path in FIGURES:
        response = client.get(f"/v1/programs/{program_id}/{path}")
        assert response.status_code == 200, response.text
        found[path] = _without_as_of(response.json())
    found["outcomes"]["window"].pop("to")  # "now" while the program runs, like as_of
    return found


def _without_as_of(value):
    if isinstance(value, dict):
        return {k: _without_as_of(v) for k, v in value.items() if k != "as_of"}
    if isinstance(value, list):
        return [_without_as_of(v) for v in value]
    return value


def summary_when(client: Client, program_id: str, expected: dict, timeout: float = 60) -> dict:
    """The summary once it shows the expected figures (they arrive asynchronously)."""
    last: dict = {}

    def check():
        response = client.get(f"/v1/programs/{program_id}/summary")
        last["body"] = response.json() if response.status_code == 200 else {"status": response.status_code}
        body = _without_as_of(last["body"])
        return body if body == expected else None

    try:
        return wait_for(check, timeout=timeout, message="the expected summary")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; last summary: {last.get('body')}") from None


def history_when(client: Client, history, timeout: float = 120) -> dict:
    """The report of a backfilled history once every part of it is projected: the summary's counts, both
    outcome groups and the pairs at risk are what the history was built to show (they arrive asynchronously,
    topic by topic, so each part is checked)."""
    expected = {"enrolled_mentees": len(history.hours_to_match), "matched_mentees": len(history.hours_to_match),
                "sessions_completed": len(history.completed_sessions), "goals_completed": history.goals_completed,
                "feedback_count": sum(e.type == ev.FEEDBACK_SUBMITTED.name for e in history.events),
                "median_hours_to_match": history.median_hours_to_match()}
    last: dict = {}

    def check():
        base = f"/v1/programs/{history.program_id}"
        summary, outcomes = client.get(f"{base}/summary"), client.get(f"{base}/outcomes")
        pairs = client.get(f"{base}/at-risk-report", params={"limit": 500})
        if {summary.status_code, outcomes.status_code, pairs.status_code} != {200}:
            return None
        last.update(summary=summary.json(), outcomes=outcomes.json(), pairs=pairs.json())
        sizes = (outcomes.json()["participants"]["people"], outcomes.json()["non_participants"]["people"])
        at_risk = {p["mentorship_id"] for p in pairs.json()["items"]}
        ready = ({k: summary.json()[k] for k in expected} == expected and sizes == history.group_sizes()
                 and at_risk == set(history.at_risk))
        return last if ready else None

    try:
        return wait_for(check, timeout=timeout, message="the history's report")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; last seen: {last}") from None
