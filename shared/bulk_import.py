"""The bulk-import core of every `…:import` endpoint: read the rows, validate each, apply the one rule for
repeated rows, report by index.

The rule for repeated rows (DESIGN.md §4 "a bad row never drops the good ones"): rows are read in
order and **the last row for a key is the one applied**, as a later line of an HR export corrects an
earlier one; each earlier row for that key is reported in `failed`, naming the row that superseded it.
A row that is not valid (bad JSON on its NDJSON line, nesting too deep, a schema error) is reported
by its index and never stops the others.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError

from shared.errors import DomainError, Invalid


@dataclass(frozen=True)
class BadRow:
    """A line that could not even be read as JSON; it keeps its place so the report can name it."""

    error: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, index: int, key: Any, errors: Mapping[str, Any], key_field: str = "employee_id") -> None:
        self.failed.append({"index": index, key_field: key if isinstance(key, str) else None,
                            "errors": dict(errors)})

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "failed": sorted(self.failed, key=lambda f: f["index"])}


def parse_rows(body: bytes, content_type: str, *, max_rows: int, ndjson_allowed: bool = True) -> list[Any]:
    """A JSON array, or NDJSON (one JSON value per line, each read on its own)."""
    text = body.decode("utf-8", errors="replace").strip()
    if not ndjson_allowed or ("ndjson" not in content_type and text.startswith("[")):
        rows = _whole_body(text)
    else:
        rows = [_line(line) for line in text.splitlines() if line.strip()]
    if not isinstance(rows, list):
        raise Invalid("expected a JSON array of rows" + (" or NDJSON" if ndjson_allowed else ""),
                      {"body": ["not an array"]})
    if len(rows) > max_rows:
        raise Invalid(f"at most {max_rows:,} rows per call", {"body": [f"{len(rows):,} rows"]})
    return rows


def _whole_body(text: str) -> Any:
    try:
        return json.loads(text or "null")
    except ValueError as exc:
        raise DomainError(f"body is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise DomainError("body nests values too deeply to be read") from exc


def _line(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError as exc:
        return BadRow(f"not valid JSON: {exc}")
    except RecursionError:
        return BadRow("nests values too deeply to be read")


def valid_rows(rows: Sequence[Any], schema: Schema, report: ImportReport, *,
               key: Callable[[Mapping[str, Any]], Any] = lambda row: row["employee_id"],
               key_field: str = "employee_id") -> list[tuple[int, dict[str, Any]]]:
    """(index, loaded row) of each valid row that is the last for its key, in row order."""
    loaded: list[tuple[int, dict[str, Any]]] = []
    for index, row in enumerate(rows):
        raw_key = row.get(key_field) if isinstance(row, dict) else None
        if isinstance(row, BadRow):
            report.fail(index, None, {"_row": [row.error]}, key_field)
            continue
        if not isinstance(row, dict):
            report.fail(index, None, {"_row": ["not a JSON object"]}, key_field)
            continue
        try:
            loaded.append((index, schema.load(row)))
        except ValidationError as exc:
            messages = exc.messages if isinstance(exc.messages, dict) else {"_row": exc.messages}
            report.fail(index, raw_key, messages, key_field)
    return last_per_key(loaded, report, key, key_field)


def last_per_key(loaded: Iterable[tuple[int, dict[str, Any]]], report: ImportReport,
                 key: Callable[[Mapping[str, Any]], Any], key_field: str) -> list[tuple[int, dict[str, Any]]]:
    rows = list(loaded)
    last = {key(row): index for index, row in rows}
    kept = []
    for index, row in rows:
        if last[key(row)] == index:
            kept.append((index, row))
        else:
            report.fail(index, row.get(key_field), {key_field: [f"superseded by row {last[key(row)]}, which was "
                                                                "applied instead"]}, key_field)
    return kept
