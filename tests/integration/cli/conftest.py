import os
import subprocess
import sys

import pytest

from tests.support.infra import REPO, TEST_SECRET
from tests.support.processes import running


@pytest.fixture(scope="package")
def profiles_api(infra, logs_dir):
    """The real profiles API on a database of its own and without a worker: the import tests write
    thousands of profiles, and relaying their events would only slow every consumer in the session."""
    with running("profiles", infra, logs_dir, "api", MONGODB_DB=f"{infra.mongodb_db}_cli") as service:
        yield service


@pytest.fixture(scope="package")
def profiles(infra, logs_dir):
    """The real profiles service whose worker tells matching about the people the CLI imports."""
    with running("profiles", infra, logs_dir) as service:
        yield service


@pytest.fixture(scope="package")
def matching(infra, logs_dir):
    with running("matching", infra, logs_dir) as service:
        yield service


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of an admin's shell: no TANDEM_* leaking in from the developer's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "AUTH_"))}
    return {**env, "PYTHONPATH": str(REPO), "AUTH_JWT_SECRET": TEST_SECRET, **extra}


def tandem(*argv: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the CLI the way an admin does: a separate process."""
    return subprocess.run([sys.executable, "-m", "tandem_cli", *argv], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)
