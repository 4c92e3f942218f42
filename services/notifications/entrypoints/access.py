"""Who may read which inbox, preferences and delivery log (DESIGN.md §4 role table, this service's part)."""

from __future__ import annotations

from shared.auth import Principal
from shared.errors import Forbidden, Invalid

ADMIN = "program_admin"


def inbox_owner(principal: Principal, recipient_id: str | None) -> str:
    """The inbox to show: your own only — program admins have the delivery log, not people's inboxes."""
    recipient = recipient_id or principal.employee_id
    if not recipient:
        raise Invalid("recipient_id is required", {"recipient_id": ["your token names no employee_id"]})
    if not principal.is_self(recipient):
        raise Forbidden("an inbox is its owner's alone")
    return recipient


def check_owner(principal: Principal, recipient_id: str) -> None:
    """Marking read is the recipient's own action."""
    if not principal.is_self(recipient_id):
        raise Forbidden("only the recipient may mark a notification read")


def check_read_preferences(principal: Principal, employee_id: str) -> None:
    if not (principal.is_self(employee_id) or principal.has("hr_admin", ADMIN)):
        raise Forbidden("you may only read your own notification preferences")


def check_write_preferences(principal: Principal, employee_id: str) -> None:
    if not (principal.is_self(employee_id) or principal.has("hr_admin")):
        raise Forbidden("you may only change your own notification preferences")
