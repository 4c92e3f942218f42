"""The Mongo adapters and the in-memory fakes implement every port, with the same parameters."""

from __future__ import annotations

import inspect

import pytest

from services.matching.adapters.backfills import MongoBackfills
from services.matching.adapters.mentorships import MongoMentorships
from services.matching.adapters.people import MongoPeople
from services.matching.adapters.programs import MongoEnrollments, MongoPrograms
from services.matching.adapters.runs import MongoRuns
from services.matching.adapters.sessions import MongoFeedback, MongoSessions
from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.use_cases import ports
from tests.unit.matching import fakes

IMPLEMENTATIONS = [(ports.People, MongoPeople, fakes.FakePeople),
                   (ports.Programs, MongoPrograms, fakes.FakePrograms),
                   (ports.Enrollments, MongoEnrollments, fakes.FakeEnrollments),
                   (ports.Mentorships, MongoMentorships, fakes.FakeMentorships),
                   (ports.Sessions, MongoSessions, fakes.FakeSessions),
                   (ports.Feedback, MongoFeedback, fakes.FakeFeedback),
                   (ports.Runs, MongoRuns, fakes.FakeRuns),
                   (ports.Backfills, MongoBackfills, fakes.FakeBackfills)]


def methods(protocol: type) -> dict[str, list[str]]:
    return {name: list(inspect.signature(member).parameters) for name, member in vars(protocol).items()
            if callable(member) and not name.startswith("_")}


@pytest.mark.parametrize(("port", "mongo", "fake"), IMPLEMENTATIONS, ids=[p.__name__ for p, _, _ in IMPLEMENTATIONS])
def test_both_implementations_offer_every_method_of_the_port(port, mongo, fake):
    for name, parameters in methods(port).items():
        for implementation in (mongo, fake):
            assert list(inspect.signature(getattr(implementation, name)).parameters) == parameters, \
                f"{implementation.__name__}.{name}"


def test_the_unit_of_work_names_every_port():
    uow, wanted = fakes.FakeUnitOfWork(), inspect.get_annotations(ports.UnitOfWork)
    assert {name for name in wanted} <= set(vars(uow))
    for implementation in (MatchingUnitOfWork, fakes.FakeUnitOfWork):
        assert list(inspect.signature(implementation.atomically).parameters) == ["self", "work"]
