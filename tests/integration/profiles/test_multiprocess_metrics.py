"""Prometheus counts stay right when gunicorn runs several worker processes."""

import re

import requests

from tests.support.processes import ServiceProcess


def test_request_counts_are_summed_across_gunicorn_workers(infra, logs_dir, tmp_path):
    service = ServiceProcess("profiles", infra, logs_dir, WEB_CONCURRENCY="3",
                             PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prom")).start("api")
    try:
        for _ in range(30):
            assert requests.get(service.url + "/healthz", timeout=5).status_code == 200
        text = requests.get(service.url + "/metrics", timeout=5).text
        found = re.search(r'tandem_http_requests_total\{[^}]*route="/healthz"[^}]*\} (\d+)', text)
        assert found and float(found.group(1)) == 30
        assert len(list((tmp_path / "prom").glob("counter_*.db"))) >= 2  # more than one process counted
    finally:
        service.stop()
