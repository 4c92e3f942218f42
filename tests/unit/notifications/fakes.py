"""In-memory fakes of the notifications service's ports, and a fake unit of work that holds them.

They keep the same promises as the Mongo adapters where the use cases rely on them: newest versions
win, status facts fold to the furthest status, a notification is claimed only when due and recorded
only under its claim.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from services.notifications.adapters.bulk import fold
from services.notifications.adapters.program import MENTORSHIP_RANK, SESSION_RANK, moment
from services.notifications.domain.delivery import SendResult
from services.notifications.domain.notices import WEEKLY_DIGEST
from services.notifications.use_cases.ports import Claim

NOW = datetime(2031, 1, 10, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class FakePeople:
    def __init__(self, **people):
        self.docs = {pid: {"_id": pid, "version": 1, **p} for pid, p in people.items()}

    def by_id(self, ids):
        return {i: copy.deepcopy(self.docs[i]) for i in set(ids) if i in self.docs}

    def record(self, profiles):
        for p in profiles:
            if self.docs.get(p["employee_id"], {}).get("version", 0) < p["version"]:
                fields = {k: p.get(k) for k in ("name", "email", "timezone", "manager_id", "employment_status")}
                self.docs[p["employee_id"]] = {"_id": p["employee_id"], "version": p["version"], **fields}

    def erase(self, employee_id, version):
        self.docs[employee_id] = {"_id": employee_id, "erased": True, "version": version}


class FakePrograms:
    def __init__(self, **programs):
        self.docs = {pid: {"_id": pid, **p} for pid, p in programs.items()}

    def by_id(self, ids):
        return {i: self.docs[i] for i in set(ids) if i in self.docs}

    def record(self, programs):
        self.docs |= {p["program_id"]: {"_id": p["program_id"], **p} for p in programs}


class FakeFacts:
    """Mentorship or session status facts, folded when read (as the Mongo adapter does)."""

    def __init__(self, key, rank, facts=()):
        self.key, self.rank, self.facts = key, rank, {f"{f[key]}:{f['status']}": dict(f) for f in facts}

    def record(self, items):
        for item in items:
            fact = {**item, **{k: moment(item.get(k)) for k in ("started_at", "ended_at", "scheduled_at",
                                                                 "completed_at") if isinstance(item.get(k), str)}}
            self.facts.setdefault(f"{item[self.key]}:{item['status']}", fact)

    def by_id(self, ids):
        wanted = set(ids)
        return fold([f for f in self.facts.values() if f[self.key] in wanted], self.key, self.rank)


class FakeMentorships(FakeFacts):
    def __init__(self, *facts):
        super().__init__("mentorship_id", MENTORSHIP_RANK, facts)

    def active(self):
        return [m for m in fold(self.facts.values(), self.key, self.rank).values() if m["status"] == "active"]

    def forget_reasons_of(self, employee_id):
        for fact in self.facts.values():
            if employee_id in (fact.get("mentor_id"), fact.get("mentee_id")):
                fact["reasons"] = []


class FakeSessions(FakeFacts):
    def __init__(self, *facts):
        super().__init__("session_id", SESSION_RANK, facts)

    def starting(self, after, until):
        return [s for s in fold(self.facts.values(), self.key, self.rank).values()
                if s["status"] == "scheduled" and after < s["scheduled_at"] <= until]

    def of_mentorships(self, mentorship_ids):
        wanted = set(mentorship_ids)
        return [s for s in fold(self.facts.values(), self.key, self.rank).values() if s["mentorship_id"] in wanted]


class FakeGoals:
    def __init__(self, *goals):
        self.goals = {g["goal_id"]: dict(g) for g in goals}

    def record(self, goals):
        for g in goals:
            if self.goals.get(g["goal_id"], {}).get("version", 0) < g["version"]:
                self.goals[g["goal_id"]] = dict(g)

    def of(self, employee_ids):
        wanted = set(employee_ids)
        return [g for g in self.goals.values() if g["employee_id"] in wanted]

    def erase(self, employee_id):
        self.goals = {k: g for k, g in self.goals.items() if g["employee_id"] != employee_id}


class FakeFeedback:
    def __init__(self):
        self.items = {}

    def record(self, feedback):
        self.items |= {f["feedback_id"]: {"mentorship_id": f["mentorship_id"]} for f in feedback}


class FakePreferences:
    def __init__(self, **prefs):
        self.docs = {pid: {"_id": pid, **p} for pid, p in prefs.items()}

    def of(self, ids):
        return {i: self.docs[i] for i in set(ids) if i in self.docs}

    def digest_off(self):
        return {pid for pid, p in self.docs.items() if p.get("digest") == "off"}

    def save(self, employee_id, preferences):
        self.docs[employee_id] = {"_id": employee_id, **preferences}

    def erase(self, employee_id):
        self.docs.pop(employee_id, None)


class FakeNotifications:
    """One document per notification, claimed when due, recorded only under its claim."""

    def __init__(self):
        self.docs, self.outbox = {}, []

    def missing(self, ids):
        return set(ids) - set(self.docs)

    def add(self, docs):
        fresh = {d["_id"]: copy.deepcopy(d) for d in docs if d["_id"] not in self.docs}
        self.docs |= fresh
        return set(fresh)

    def claim_due(self, now, claim, limit):
        due = sorted((d for d in self.docs.values() if d.get("due") and d["due"] <= now), key=lambda d: d["due"])
        for doc in due[:limit]:
            doc |= {"claim": claim.token, "due": claim.until}
        return [copy.deepcopy(d) for d in due[:limit]]

    def record(self, claim, outcomes, events):
        held = {o.notification_id for o in outcomes
                if self.docs.get(o.notification_id, {}).get("claim") == claim.token}
        for outcome in outcomes:
            if outcome.notification_id in held:
                doc = self.docs[outcome.notification_id]
                doc |= {"channels": copy.deepcopy(dict(outcome.channels)), "due": outcome.due}
                doc.pop("claim", None)
        self.outbox += [e for e in events if e.data["notification_id"] in held]
        return held

    def release(self, claim, ids, now):
        for i in ids:
            if self.docs.get(i, {}).get("claim") == claim.token:
                self.docs[i]["due"] = now
                self.docs[i].pop("claim")

    def erase_recipient(self, employee_id):
        self.docs = {k: d for k, d in self.docs.items() if d["recipient_id"] != employee_id}

    def forget_in_digests(self, employee_id):
        for doc in self.docs.values():
            if doc["kind"] == WEEKLY_DIGEST and employee_id in doc["names"]:
                doc["facts"]["reports"] = [r for r in doc["facts"]["reports"] if r["report_id"] != employee_id]

    def get(self, notification_id):
        return copy.deepcopy(self.docs.get(notification_id))

    def mark_read(self, notification_id, at):
        if notification_id in self.docs and self.docs[notification_id]["read_at"] is None:
            self.docs[notification_id]["read_at"] = at

    def page(self, filters, *, limit, cursor):
        docs = [d for d in self.docs.values() if _matches(d, filters) and (cursor is None or d["sort_key"] < cursor)]
        docs.sort(key=lambda d: d["sort_key"], reverse=True)
        return [copy.deepcopy(d) for d in docs[:limit]], docs[limit - 1]["sort_key"] if len(docs) > limit else None


def _matches(doc, filters) -> bool:
    if any(filters.get(k) and doc.get(k) != filters[k] for k in ("recipient_id", "kind", "program_id")):
        return False
    if filters.get("unread") and doc["read_at"] is not None:
        return False
    channel, status = filters.get("channel"), filters.get("status")
    if channel and channel not in doc["channels"]:
        return False
    names = [channel] if channel else list(doc["channels"])
    return not status or any(doc["channels"][n]["status"] == status for n in names)


class FakeHandoff:
    def __init__(self, capacity=10_000, lease=timedelta(minutes=2)):
        self.capacity, self.lease, self.batches, self.forgotten = capacity, lease, [], []

    def reserve(self, count, now):
        return Claim(f"handed-{len(self.batches)}", now + self.lease) if count <= self.capacity else None

    def offer(self, claim, docs):
        self.batches.append((claim, [copy.deepcopy(d) for d in docs]))

    def take(self):
        return self.batches.pop(0) if self.batches else None

    def forget(self, employee_id):
        self.forgotten.append(employee_id)


class FakeUnitOfWork:
    """The ports on in-memory fakes; `commit()` runs what was registered to run after the commit."""

    def __init__(self, *, people=None, programs=None, mentorships=None, sessions=None, goals=None, preferences=None,
                 handoff=None):
        self.people, self.programs = people or FakePeople(), programs or FakePrograms()
        self.mentorships, self.sessions = mentorships or FakeMentorships(), sessions or FakeSessions()
        self.goals, self.feedback = goals or FakeGoals(), FakeFeedback()
        self.preferences = preferences or FakePreferences()
        self.notifications, self.handoff = FakeNotifications(), handoff or FakeHandoff(capacity=-1)
        self._after = []

    def after_commit(self, action):
        self._after.append(action)

    def commit(self):
        actions, self._after = self._after, []
        for action in actions:
            action()


class FakeChannel:
    """An email or webhook channel that answers with scripted results (then success) and remembers each send."""

    def __init__(self, *results):
        self.results, self.sent, self.closed = list(results), [], 0

    def send(self, doc, target):
        self.sent.append((doc, target))
        result = self.results.pop(0) if self.results else SendResult(True, "accepted")
        if isinstance(result, Exception):
            raise result
        return result

    def close(self):
        self.closed += 1


def shown(notice, *, people=None, programs=None, mentorships=None, sessions=None) -> dict:
    """What a notice's message says once stored and rendered from these projections."""
    from services.notifications.domain.composition import Known, template_facts
    from services.notifications.use_cases.issuing import notification_doc
    from services.notifications.use_cases.preferences import DEFAULT_PREFERENCES

    doc = notification_doc(notice, DEFAULT_PREFERENCES, NOW, None)
    return template_facts(doc, Known(people or {}, programs or {}, mentorships or {}, sessions or {}))
