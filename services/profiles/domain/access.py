"""Who may see or change which profile: the role table of DESIGN.md §4 for this service."""

from __future__ import annotations

from collections.abc import Callable, Collection

from shared.auth import Principal
from shared.errors import Forbidden

READ_ALL_ROLES = ("hr_admin", "program_admin")
PROVISIONING_ROLES = ("hr_admin", "scim")  # who may call /scim/v2; `scim` (an identity provider) nothing else


Chain = Collection[str] | Callable[[], Collection[str]]


def may_read(principal: Principal, employee_id: str, chain: Chain) -> bool:
    """HR and program admins read everyone; a person reads themselves; a manager reads their reports.

    `chain` is the target's management chain (manager, their manager, ...), or how to walk it: it is
    walked only when the answer depends on it.
    """
    if reads_everyone(principal) or principal.is_self(employee_id):
        return True
    if not principal.has("manager") or principal.employee_id is None:
        return False
    return principal.employee_id in (chain() if callable(chain) else chain)


def check_read(principal: Principal, employee_id: str, chain: Chain) -> None:
    if not may_read(principal, employee_id, chain):
        raise Forbidden("you may not read this person's profile")


def reads_everyone(principal: Principal) -> bool:
    return principal.has(*READ_ALL_ROLES)


def check_list(principal: Principal) -> None:
    """Admins list everyone and managers their reports; nobody else lists profiles."""
    if not (reads_everyone(principal) or (principal.has("manager") and principal.employee_id)):
        raise Forbidden("listing profiles needs hr_admin, program_admin or manager")


def check_self_or_hr(principal: Principal, employee_id: str) -> None:
    if not (principal.has("hr_admin") or principal.is_self(employee_id)):
        raise Forbidden("only the person themselves or HR may do this")


def sees_goal_text(principal: Principal, employee_id: str) -> bool:
    """Managers follow progress; the title and description are for the person and HR."""
    return principal.has("hr_admin") or principal.is_self(employee_id)


def check_backfill(principal: Principal) -> None:
    """History with a past `occurred_at` (a migration from another HR system) is recorded by HR only."""
    if not principal.has("hr_admin"):
        raise Forbidden("only HR (hr_admin) may backfill history (occurred_at)")
