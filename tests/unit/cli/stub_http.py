"""A tiny local HTTP server standing in for a service, to test the CLI's own HTTP handling."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes]


def problem(status: int, detail: str, **extra) -> Answer:
    body = {"type": "about:blank", "title": "x", "status": status, "detail": detail, **extra}
    return status, {"Content-Type": "application/problem+json"}, json.dumps(body).encode()


def as_json(status: int, body) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


class StubService:
    """Routes (method, path) to answer functions; records every request it saw."""

    def __init__(self):
        self.routes: dict[tuple[str, str], Callable[[], Answer]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                self._answer()

            def do_POST(self):  # noqa: N802
                self._answer()

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                stub.requests.append((self.command, self.path, dict(self.headers)))
                route = stub.routes.get((self.command, self.path))
                status, headers, body = route() if route else problem(404, f"no route {self.path}")
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> StubService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
