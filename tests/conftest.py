"""Session fixtures shared by the integration and end-to-end layers (unit tests start nothing)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def infra(tmp_path_factory):
    """The real Kafka broker and MongoDB-wire store for this test session."""
    from tests.support.infra import start_infra

    cleanups: list = []
    try:
        yield start_infra(tmp_path_factory.mktemp("stack"), cleanups)
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


@pytest.fixture(scope="session")
def logs_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "logs"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def uid() -> str:
    """A unique suffix so tests can share one broker and one store."""
    return uuid.uuid4().hex[:10]
