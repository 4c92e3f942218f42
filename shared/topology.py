"""Who publishes and who consumes each topic: the whole event-driven topology on one page.

Workers create and subscribe to what their service is listed with here, `python -m shared.provision`
creates every topic with its settings, and the docs (DESIGN.md §2, the AsyncAPI document) are read
from the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.events import catalog as c
from shared.events.catalog import Topic


@dataclass(frozen=True)
class ServiceTopics:
    service: str
    publishes: tuple[Topic, ...]
    consumes: tuple[Topic, ...]

    @property
    def touches(self) -> tuple[Topic, ...]:
        """Every topic the service's worker needs to exist."""
        return tuple(dict.fromkeys((*self.publishes, *self.consumes)))


TOPOLOGY: dict[str, ServiceTopics] = {s.service: s for s in (
    ServiceTopics("profiles", publishes=(c.PROFILES, c.GOALS), consumes=()),
    ServiceTopics("matching", publishes=(c.PROGRAMS, c.MENTORSHIPS, c.SESSIONS, c.FEEDBACK),
                  consumes=(c.PROFILES, c.GOALS)),
    ServiceTopics("notifications", publishes=(c.NOTIFICATIONS,),
                  consumes=(c.PROFILES, c.GOALS, c.PROGRAMS, c.MENTORSHIPS, c.SESSIONS, c.FEEDBACK)),
    ServiceTopics("analytics", publishes=(), consumes=c.TOPICS_DECLARED),
)}


def of(service: str) -> ServiceTopics:
    return TOPOLOGY[service]


def publishers_of(topic: Topic) -> list[str]:
    return [s.service for s in TOPOLOGY.values() if topic in s.publishes]


def consumers_of(topic: Topic) -> list[str]:
    return [s.service for s in TOPOLOGY.values() if topic in s.consumes]
