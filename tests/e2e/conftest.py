"""What the end-to-end browser tests share: a real Chromium, or a failure that says how to get one."""

from __future__ import annotations

import pytest

from tests.e2e.browser.cdp import chromium_path


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        pytest.fail("chromium is not installed, and the dashboard must be checked in a real browser: "
                    "run `apt-get install -y chromium` (or `make browser`)")
    return path
