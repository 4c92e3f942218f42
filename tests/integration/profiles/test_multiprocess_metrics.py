"""Prometheus counts stay right when gunicorn runs several worker processes."""

import os
import re
import signal
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.polling import wait_for
from tests.support.processes import running

WORKERS = 3


def children(parent: int) -> list[int]:
    """The pids whose parent is `parent` (gunicorn's workers under its master)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


@contextmanager
def paused(pids):
    """Stopped processes accept no connections: requests go to the other workers."""
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def test_request_counts_are_summed_across_gunicorn_workers(infra, logs_dir, tmp_path):
    with running("profiles", infra, logs_dir, "api", WEB_CONCURRENCY=str(WORKERS),
                 PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prom")) as service:
        workers = wait_for(lambda: len(found := children(service.procs["api"].pid)) == WORKERS and found,
                           timeout=30, message=f"{WORKERS} gunicorn workers")
        for serving in workers[:2]:  # each of two workers serves 10 requests on its own
            with paused([w for w in workers if w != serving]):
                for _ in range(10):
                    assert requests.get(service.url + "/healthz", timeout=5).status_code == 200

        text = requests.get(service.url + "/metrics", timeout=5).text
        found = re.search(r'tandem_http_requests_total\{[^}]*route="/healthz"[^}]*\} (\d+)', text)
        assert found and float(found.group(1)) == 20
