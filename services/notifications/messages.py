"""Render a notice into what people read: subject, plain text and HTML (Jinja2), and the webhook JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared.timeutil import to_rfc3339

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


class MessageRenderer:
    """One Jinja2 environment per process; `<kind>.txt` has subject and body blocks, `<kind>.html` the page."""

    def __init__(self) -> None:
        self._env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def render(self, kind: str, facts: Mapping[str, Any]) -> Message:
        text_template = self._env.get_template(f"{kind}.txt")
        context = text_template.new_context(dict(facts))
        subject = "".join(text_template.blocks["subject"](context)).strip()
        body = "".join(text_template.blocks["body"](context)).strip() + "\n"
        html = self._env.get_template(f"{kind}.html").render(subject=subject, **facts)
        return Message(subject=subject, text=body, html=html)


_renderer: MessageRenderer | None = None


def render(kind: str, facts: Mapping[str, Any]) -> Message:
    """Templates are parsed once per process."""
    global _renderer
    if _renderer is None:
        _renderer = MessageRenderer()
    return _renderer.render(kind, facts)


def webhook_payload(item: Mapping[str, Any], message: Message) -> dict[str, Any]:
    """What a webhook receives: the same facts the email shows, as JSON."""
    return {"notification_id": item["notification_id"], "recipient_id": item["recipient_id"], "kind": item["kind"],
            "program_id": item.get("program_id"), "subject": message.subject, "text": message.text,
            "facts": dict(item["facts"]), "created_at": to_rfc3339(item["created_at"])}
