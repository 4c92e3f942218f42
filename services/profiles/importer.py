"""Bulk import from an HRIS: validate each row, write the good ones in batches, report the bad ones."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from marshmallow import ValidationError

from services.profiles.domain import profiles
from services.profiles.schemas import ImportRow
from services.profiles.use_cases import people
from services.profiles.use_cases.ports import ProfilesUnit
from shared.bulk_import import ImportReport
from shared.errors import DomainError, Invalid
from shared.events import catalog as ev
from shared.timeutil import now_rfc3339

MAX_ROWS = 10_000
BATCH = 1_000


def parse_rows(body: bytes, content_type: str) -> list[Any]:
    """A JSON array, or NDJSON (one object per line); a bad NDJSON line becomes a failed row."""
    text = body.decode("utf-8", errors="replace").strip()
    if "ndjson" not in content_type and text.startswith("["):
        try:
            rows = json.loads(text)
        except ValueError as exc:
            raise DomainError(f"body is not valid JSON: {exc}") from exc
    else:
        rows = [_ndjson_line(line) for line in text.splitlines() if line.strip()]
    if not isinstance(rows, list):
        raise Invalid("expected a JSON array or NDJSON of profiles", {"body": ["not an array"]})
    if len(rows) > MAX_ROWS:
        raise Invalid(f"at most {MAX_ROWS} rows per call", {"body": [f"{len(rows)} rows"]})
    return rows


class _BadLine:
    def __init__(self, error: str):
        self.error = error


def _ndjson_line(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError as exc:
        return _BadLine(f"not valid JSON: {exc}")


class ProfileImporter:
    def __init__(self, uow: ProfilesUnit):
        self._uow = uow

    def run(self, rows: Sequence[Any]) -> ImportReport:
        report = ImportReport()
        valid = self._validate(rows, report)
        for start in range(0, len(valid), BATCH):
            self._write_batch(valid[start:start + BATCH], report)
        return report

    def _validate(self, rows: Sequence[Any], report: ImportReport) -> list[tuple[int, dict]]:
        schema, last_index, valid = ImportRow(), {}, []
        for index, row in enumerate(rows):
            employee_id = row.get("employee_id") if isinstance(row, dict) else None
            try:
                if isinstance(row, _BadLine):
                    raise ValidationError({"_row": [row.error]})
                loaded = schema.load(row)
            except ValidationError as exc:
                report.failed.append({"index": index, "employee_id": employee_id, "errors": _messages(exc)})
                continue
            valid.append((index, loaded))
            last_index[loaded["employee_id"]] = index
        kept = []
        for index, loaded in valid:
            if last_index[loaded["employee_id"]] != index:
                report.failed.append({"index": index, "employee_id": loaded["employee_id"], "errors": {
                    "employee_id": [f"repeated at row {last_index[loaded['employee_id']]}; that row was kept"]}})
            else:
                kept.append((index, loaded))
        return kept

    def _write_batch(self, batch: list[tuple[int, dict]], report: ImportReport) -> None:
        stored = self._uow.people.get_many(row["employee_id"] for _, row in batch)
        creates, updates, singles, now = [], [], [], now_rfc3339()
        for index, row in batch:
            incoming = profiles.with_defaults(row)
            current = stored.get(row["employee_id"])
            if current is not None and current.get("erased"):
                singles.append((index, row))  # rehire after erasure: the careful single path
            elif current is None:
                profile = {**incoming, "version": 1, "created_at": now, "updated_at": now}
                creates.append((profile, people.profile_event(ev.PROFILE_CREATED, profile)))
            elif not profiles.changed_fields(profiles.public_fields(current), incoming):
                report.unchanged += 1
            else:
                profile = {**incoming, "version": current["version"] + 1, "updated_at": now,
                           "created_at": current["created_at"]}
                updates.append((profile, current["version"],
                                people.profile_event(ev.PROFILE_UPDATED, profile)))
        lost = self._uow.people.write_many(creates, updates)
        report.created += sum(1 for p, _ in creates if p["employee_id"] not in lost)
        report.updated += sum(1 for p, _, _ in updates if p["employee_id"] not in lost)
        singles += [(i, r) for i, r in batch if r["employee_id"] in lost]
        self._write_singly(singles, report)

    def _write_singly(self, rows: Iterable[tuple[int, dict]], report: ImportReport) -> None:
        for index, row in rows:
            body = {k: v for k, v in row.items() if k != "employee_id"}
            try:
                saved = people.put_profile(self._uow, row["employee_id"], body)
            except DomainError as exc:
                report.failed.append({"index": index, "employee_id": row["employee_id"],
                                      "errors": {"_row": [exc.detail]}})
                continue
            if saved.outcome == "created":
                report.created += 1
            else:
                report.updated += 1


def _messages(exc: ValidationError) -> dict:
    return exc.messages if isinstance(exc.messages, dict) else {"_row": exc.messages}
