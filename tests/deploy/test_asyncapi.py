"""docs/asyncapi.yaml: generated from the event schemas, valid for the official AsyncAPI parser, complete."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from shared.events.asyncapi import document
from shared.events.catalog import EVENT_TYPES, TOPICS_DECLARED

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "asyncapi.yaml"
NODE_MODULES = ROOT / ".tandem" / "asyncapi" / "node_modules"


def parse(path: Path) -> dict:
    """The official parser's verdict (@asyncapi/parser, installed by `make tools`)."""
    if not (NODE_MODULES / "@asyncapi" / "parser").is_dir():
        pytest.fail("the AsyncAPI parser is not installed: run `make tools`")
    result = subprocess.run(["node", str(ROOT / "deploy" / "asyncapi" / "validate.mjs"), str(path)],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "ASYNCAPI_NODE_MODULES": str(NODE_MODULES)})
    return json.loads(result.stdout)


def test_the_committed_document_is_what_the_schemas_generate():
    assert yaml.safe_load(DOC.read_text()) == json.loads(json.dumps(document())), \
        "docs/asyncapi.yaml is stale: run `make asyncapi`"


def test_the_official_parser_finds_it_valid_with_every_event_type_and_topic():
    result = parse(DOC)
    assert result["valid"], [d for d in result["diagnostics"] if d["severity"] == 0]
    assert sorted(result["messages"]) == sorted(EVENT_TYPES)
    assert sorted(result["channels"]) == sorted(t.name for t in TOPICS_DECLARED)


def test_the_parser_would_catch_a_broken_document(tmp_path):
    broken = document() | {"operations": {"x": {"action": "send", "channel": {"$ref": "#/channels/nowhere"}}}}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken))
    assert not parse(path)["valid"]
