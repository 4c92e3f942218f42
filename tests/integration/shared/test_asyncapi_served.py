"""Every service serves the AsyncAPI document of the bus, without a token, as its OpenAPI document."""

import requests

from shared.events.asyncapi import document
from tests.support.processes import running


def test_a_running_service_serves_the_asyncapi_document(infra, logs_dir):
    with running("profiles", infra, logs_dir, "api") as profiles:
        served = requests.get(f"{profiles.url}/asyncapi.json", timeout=10)
    assert served.status_code == 200 and served.headers["Content-Type"].startswith("application/json")
    assert served.json()["asyncapi"] == "3.0.0"
    assert served.json()["components"]["messages"].keys() == document()["components"]["messages"].keys()
