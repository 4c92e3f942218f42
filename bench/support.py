"""What the benchmarks share: a private local stack, service processes, a load generator, percentiles."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "deploy" / "local"))

import stack as local_stack  # noqa: E402

SECRET = "tandem-bench-secret-0123456789abcdef0123456789"


@contextlib.contextmanager
def infrastructure() -> Iterator[dict[str, str]]:
    """Kafka + store env: the caller's servers if set, else a private stack on free ports."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MONGODB_URI"):
        yield {"KAFKA_BOOTSTRAP_SERVERS": os.environ["KAFKA_BOOTSTRAP_SERVERS"],
               "MONGODB_URI": os.environ["MONGODB_URI"]}
        return
    # a SIGTERM (a timeout, a kill) unwinds like Ctrl-C, so the stack below is stopped, not orphaned
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as home:
        stack = local_stack.LocalStack(home=Path(home), ports=local_stack.StackPorts.ephemeral())
        try:
            stack.start_all(smtp=False)  # inside the try: a start that fails half-way leaves nothing running
            yield stack.env(smtp=False)
        finally:
            stack.stop_all()


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], ready_url: str | None = None) -> Iterator[subprocess.Popen]:
    """A child process for the duration of a benchmark, waited on until `ready_url` answers."""
    proc = subprocess.Popen(args, cwd=REPO, env={**os.environ, **env, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while ready_url and not _answers(ready_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(args)} did not start")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextlib.contextmanager
def otlp_collector() -> Iterator[tuple[str, list[int]]]:
    """A stand-in OpenTelemetry Collector: accepts OTLP/HTTP trace exports and counts their bytes.
    Yields its endpoint (for OTEL_EXPORTER_OTLP_ENDPOINT) and the sizes of the exports it received."""
    received: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server hook
            received.append(len(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def load(call: Callable[[requests.Session, int], None], *, requests_total: int, concurrency: int) -> dict:
    """Run `call` requests_total times from `concurrency` threads; throughput and latency percentiles."""
    latencies: list[float] = []
    lock, counter = threading.Lock(), iter(range(requests_total))

    def worker() -> None:
        session, mine = requests.Session(), []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            started = time.perf_counter()
            call(session, i)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"rps": requests_total / elapsed, "p50_ms": percentile(latencies, 50) * 1000,
            "p99_ms": percentile(latencies, 99) * 1000}


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[min(98, max(0, int(pct) - 1))]


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])
