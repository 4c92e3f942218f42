"""Services as real processes (`python -m services.<name> api|worker`), as they run in production."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.infra import REPO, Infra, free_port
from tests.support.polling import wait_for

TRACEBACK = "Traceback (most recent call last):"


class ServiceProcess:
    """One service's api and worker processes, with logs under `log_dir`."""

    def __init__(self, name: str, infra: Infra, log_dir: Path, **env: str):
        self.name, self.port = name, free_port()
        self.env = {**os.environ, **infra.service_env(PORT=str(self.port), METRICS_PORT=str(free_port()), **env),
                    "PYTHONPATH": str(REPO)}
        self.log_dir = log_dir
        self.procs: dict[str, subprocess.Popen] = {}
        self._log_starts: dict[Path, int] = {}  # where this run's part of each (appended) log begins

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *roles: str) -> ServiceProcess:
        if self.env.get("PROMETHEUS_MULTIPROC_DIR"):
            os.makedirs(self.env["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
        for role in roles or ("api", "worker"):
            path = self.log_dir / f"{self.name}-{role}.log"
            self._log_starts.setdefault(path, path.stat().st_size if path.exists() else 0)
            log = open(path, "ab")  # noqa: SIM115 - kept by the child
            self.procs[role] = subprocess.Popen([sys.executable, "-m", f"services.{self.name}", role],
                                                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        if "api" in self.procs:
            wait_for(self._ready, timeout=60, message=f"{self.name} api /readyz")
        return self

    def _ready(self) -> bool:
        for role, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{self.name} {role} exited: see {self.log_dir}/{self.name}-{role}.log")
        try:
            return requests.get(self.url + "/readyz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self, role: str | None = None, sig: int = signal.SIGTERM) -> None:
        for name in [role] if role else list(self.procs):
            proc = self.procs.pop(name, None)
            if proc and proc.poll() is None:
                proc.send_signal(sig)
                try:
                    proc.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def restart(self, role: str) -> None:
        self.stop(role)
        self.start(role)

    def tracebacks(self) -> list[str]:
        """Every traceback these processes logged since they were started: each one is a defect."""
        found = []
        for path, start in self._log_starts.items():
            with path.open("rb") as log:
                log.seek(start)
                text = log.read().decode(errors="replace")
            found += [f"{path.name}: {TRACEBACK}{chunk[:1500]}" for chunk in text.split(TRACEBACK)[1:]]
        return found


@contextmanager
def running(name: str, infra: Infra, log_dir: Path, *roles: str, **env: str) -> Iterator[ServiceProcess]:
    """A service's processes (default: api and worker) for as long as the block runs; stopped even when
    starting them failed half-way."""
    service = ServiceProcess(name, infra, log_dir, **env)
    try:
        yield service.start(*roles)
    finally:
        service.stop()
    assert_quiet(service)


def assert_quiet(service: ServiceProcess) -> None:
    """Tests that start services fail on a traceback in those services' logs."""
    found = service.tracebacks()
    assert not found, f"{service.name} logged {len(found)} traceback(s):\n" + "\n".join(found[:3])


def wait_seconds(seconds: float) -> None:
    """For the rare case a test must let real time pass (e.g. a lease expiring)."""
    time.sleep(seconds)
