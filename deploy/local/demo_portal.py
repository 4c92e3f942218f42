"""The demo seed's HTTP calls: the admin's token, a few calls at a time, and what the services refused."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests


class Refused(Exception):
    """A call the services refused: the seed says which and goes on with the rest."""


class Portal:
    """The admin's HTTP calls to profiles and matching, a few at a time; what they refused is kept."""

    def __init__(self, profiles: str, matching: str, token: str):
        self.profiles, self.matching = profiles.rstrip("/"), matching.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._local = threading.local()  # one HTTP session per thread
        self.refused: list[str] = []

    def each(self, work, items) -> None:
        """`work` on each item, 6 at a time; an item whose call was refused is noted, the others go on."""
        def guarded(item):
            try:
                work(item)
            except Refused as exc:
                self.refused.append(str(exc))
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(guarded, items))

    def call(self, method: str, url: str, **kw):
        if not hasattr(self._local, "http"):
            self._local.http = requests.Session()
        response = self._local.http.request(method, url, headers=self._headers, timeout=300, **kw)
        if response.status_code >= 300:
            raise Refused(f"{method} {url.split('/v1/', 1)[-1]} -> {response.status_code}: {response.text[:300]}")
        return response.json() if response.content else None

    def imported(self, url: str, rows: list[dict], what: str) -> dict:
        """A bulk import; the rows it refused are noted (one bad row never hides the good ones)."""
        report = self.call("POST", url, json=rows)
        self.refused += [f"{what} row {f['index']} ({f.get('employee_id')}): {f['errors']}" for f in report["failed"]]
        return report
