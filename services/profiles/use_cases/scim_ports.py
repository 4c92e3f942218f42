"""What SCIM provisioning needs beyond the profile ports (ports.py): the directory of provisioned people."""

from __future__ import annotations

from typing import Any, Protocol

from services.profiles.domain.scim_search import Query
from services.profiles.use_cases.ports import Goals, People


class Directory(Protocol):
    """Provisioned people (those with a SCIM identity), found the ways an identity provider asks."""

    def holder_of(self, user_name_key: str) -> str | None:
        """The employee id whose userName folds to `user_name_key`, if anyone's does."""

    def search(self, query: Query | None, *, start: int, count: int) -> tuple[int, list[dict[str, Any]]]:
        """How many provisioned people match (None: all), and `count` of them from the `start`-th (1-based)
        in employee-id order."""


class ProvisioningUnit(Protocol):
    """The unit of work of SCIM provisioning: the profile repositories and the directory, on one session."""

    people: People
    goals: Goals
    directory: Directory
