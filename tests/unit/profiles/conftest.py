import pytest

from shared.auth import Principal
from tests.unit.profiles.fakes import FakeUnitOfWork

HR = Principal(sub="hris", roles=frozenset({"hr_admin"}))


def who(*roles: str, employee_id: str | None = None) -> Principal:
    return Principal(sub=employee_id or "someone", roles=frozenset(roles), employee_id=employee_id)


def body(**overrides) -> dict:
    """A PUT body as the HTTP schema loads it."""
    return {"name": "Yara Haddad", "email": "yara@example.com", "department": "Engineering", "grade": 6,
            "roles": ["mentee"], "skills": [{"name": "Python", "level": 2}], **overrides}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()
