"""Bulk enrollment: validate each row, write the good ones in batches, report the bad ones by index."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError

from services.matching.domain.people import check_enrollable
from services.matching.use_cases import events
from services.matching.use_cases.enrollments import enroll
from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.programs import get_program
from shared.errors import Conflict, DomainError, Invalid, NotFound
from shared.events import catalog as ev
from shared.timeutil import now_rfc3339

MAX_ROWS = 50_000
BATCH = 5_000  # rows validated against stored people and enrollments at once


@dataclass
class EnrollmentImport:
    created: int = 0
    unchanged: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, index: int, employee_id: Any, errors: Mapping[str, Any]) -> None:
        self.failed.append({"index": index, "employee_id": employee_id, "errors": dict(errors)})

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "unchanged": self.unchanged,
                "failed": sorted(self.failed, key=lambda f: f["index"])}


def parse_rows(body: bytes) -> list[Any]:
    try:
        rows = json.loads(body or b"null")
    except ValueError as exc:
        raise DomainError(f"body is not valid JSON: {exc}") from exc
    if not isinstance(rows, list):
        raise Invalid("expected a JSON array of {employee_id, role}", {"body": ["not an array"]})
    if len(rows) > MAX_ROWS:
        raise Invalid(f"at most {MAX_ROWS} rows per call", {"body": [f"{len(rows)} rows"]})
    return rows


class EnrollmentImporter:
    def __init__(self, uow: UnitOfWork, program_id: str, schema: Schema):
        self._uow, self._program_id, self._schema = uow, program_id, schema

    def run(self, rows: Sequence[Any]) -> EnrollmentImport:
        get_program(self._uow, self._program_id)
        report = EnrollmentImport()
        valid = self._validate(rows, report)
        for start in range(0, len(valid), BATCH):
            self._write_batch(valid[start:start + BATCH], report)
        return report

    def _validate(self, rows: Sequence[Any], report: EnrollmentImport) -> list[tuple[int, dict]]:
        """Schema-valid rows, each person once: a repeat with the same role is harmless, another role fails."""
        schema, first, valid = self._schema, {}, []
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                report.fail(index, None, {"_row": ["not a JSON object"]})
                continue
            employee_id = row.get("employee_id")
            try:
                loaded = schema.load(row)
            except ValidationError as exc:
                report.fail(index, employee_id, exc.messages if isinstance(exc.messages, dict) else {})
                continue
            seen = first.setdefault(loaded["employee_id"], (index, loaded["role"]))
            if seen[0] == index:
                valid.append((index, loaded))
            elif seen[1] == loaded["role"]:
                report.unchanged += 1
            else:
                report.fail(index, employee_id, {"role": [f"row {seen[0]} enrolls this person as a {seen[1]}"]})
        return valid

    def _write_batch(self, batch: list[tuple[int, dict]], report: EnrollmentImport) -> None:
        ids = [row["employee_id"] for _, row in batch]
        people = self._uow.people.get_many(ids)
        current = self._uow.enrollments.get_many(self._program_id, ids)
        inserts, updates, now = [], [], now_rfc3339()
        for index, row in batch:
            eid, role = row["employee_id"], row["role"]
            try:
                check_enrollable(people.get(eid), eid, role)
            except (NotFound, Conflict) as exc:
                report.fail(index, eid, {"employee_id" if isinstance(exc, NotFound) else "role": [exc.detail]})
                continue
            existing = current.get(eid)
            if existing is not None and existing["status"] == "active":
                if existing["role"] == role:
                    report.unchanged += 1
                else:
                    report.fail(index, eid, {"role": [f"already enrolled as a {existing['role']}"]})
                continue
            enrollment = {"program_id": self._program_id, "employee_id": eid, "role": role, "status": "active",
                          "enrolled_at": now, "withdrawn_at": None, "withdraw_reason": None,
                          "version": (existing or {}).get("version", 0) + 1}
            event = events.enrollment(ev.ENROLLMENT_CREATED, enrollment, now)
            if existing is None:
                inserts.append((enrollment, event))
            else:
                updates.append((existing, enrollment, event))
        lost = self._uow.enrollments.write_many(inserts, updates)
        report.created += len(inserts) + len(updates) - len(lost)
        self._retry_singly([(i, r) for i, r in batch if r["employee_id"] in lost], report)

    def _retry_singly(self, rows: list[tuple[int, dict]], report: EnrollmentImport) -> None:
        """Rows that lost a race with a concurrent writer take the careful single path."""
        for index, row in rows:
            try:
                _, created = enroll(self._uow, self._program_id, row["employee_id"], row["role"])
            except DomainError as exc:
                report.fail(index, row["employee_id"], {"_row": [exc.detail]})
                continue
            report.created += int(created)
            report.unchanged += int(not created)
