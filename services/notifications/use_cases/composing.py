"""Render stored notifications from what this service knows now (for sending and for the inbox)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from services.notifications.domain.composition import Known, template_facts
from services.notifications.domain.notices import SESSION_REMINDER
from services.notifications.use_cases.ports import Doc, Message, Renderer, UnitOfWork
from shared.timeutil import to_rfc3339


def known_for(uow: UnitOfWork, docs: Sequence[Doc]) -> Known:
    """The people, programs, pairs and sessions these notifications refer to: one `$in` read each."""
    if not docs:
        return Known()
    people = {person for d in docs for person in (d["recipient_id"], *d.get("names", ()))}
    pairs = {d["facts"]["mentorship_id"] for d in docs if d.get("facts", {}).get("mentorship_id")}
    sessions = {d["facts"]["session_id"] for d in docs if d["kind"] == SESSION_REMINDER}
    return Known(people=uow.people.by_id(people),
                 programs=uow.programs.by_id({d["program_id"] for d in docs if d.get("program_id")}),
                 mentorships=uow.mentorships.by_id(pairs) if pairs else {},
                 sessions=uow.sessions.by_id(sessions) if sessions else {})


def render(renderer: Renderer, doc: Doc, known: Known) -> tuple[Message, dict[str, Any]]:
    """The message as it reads now, and the values it was rendered from."""
    facts = template_facts(doc, known)
    return renderer.render(doc["kind"], facts), facts


def webhook_payload(doc: Mapping[str, Any], message: Message, facts: Mapping[str, Any]) -> dict[str, Any]:
    """What a webhook receives: the same facts the email shows, as JSON."""
    return {"notification_id": doc["_id"], "recipient_id": doc["recipient_id"], "kind": doc["kind"],
            "program_id": doc.get("program_id"), "subject": message.subject, "text": message.text,
            "facts": _plain(facts), "created_at": to_rfc3339(doc["created_at"])}


def _plain(value: Any) -> Any:
    """JSON-ready facts (the invite's times are datetimes in the projections)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value
