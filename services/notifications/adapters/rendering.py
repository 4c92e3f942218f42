"""Render a notification into what people read: subject, plain text and HTML, from Jinja2 templates."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifications.use_cases.ports import Message

TEMPLATES = Path(__file__).resolve().parent / "templates"


class MessageRenderer:
    """One Jinja2 environment; `<kind>.txt` has subject and body blocks, `<kind>.html` the page."""

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


def renderer() -> MessageRenderer:
    """Templates are parsed once per process (Jinja caches them in the environment)."""
    global _renderer
    if _renderer is None:
        _renderer = MessageRenderer()
    return _renderer
