"""The report of rejected rows, written next to the input (CSV or NDJSON) with source line numbers."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, TextIO

from tandem_cli.client import flatten
from tandem_cli.errors import BadFile


def default_report_path(input_path: Path, fmt: str) -> Path:
    """people.csv -> people.rejected.csv; people.ndjson -> people.rejected.ndjson."""
    return input_path.with_name(f"{input_path.stem}.rejected.{'csv' if fmt == 'csv' else 'ndjson'}")


def reasons(errors: dict[str, Any]) -> str:
    """{'grade': ['Must be ...'], '_row': ['x']} -> 'grade: Must be ...; x'."""
    return "; ".join(flatten(msgs) if field == "_row" else f"{field}: {flatten(msgs)}"
                     for field, msgs in errors.items())


class RejectReport:
    """Appends rejected rows; the file is created at the first rejection only."""

    def __init__(self, path: Path, append: bool):
        self.path, self.count = path, 0
        self.as_csv = path.suffix.lower() == ".csv"
        self._handle: TextIO | None = None
        if not path.parent.is_dir():
            raise BadFile(f"{path}: the report's folder does not exist")
        if not append:
            path.unlink(missing_ok=True)  # a report from an earlier run would mislead

    def add(self, line: int, employee_id: str | None, errors: dict[str, Any]) -> None:
        handle = self._open()
        if self.as_csv:
            csv.writer(handle).writerow([line, employee_id or "", reasons(errors)])
        else:
            handle.write(json.dumps({"line": line, "employee_id": employee_id, "errors": errors}) + "\n")
        self.count += 1

    def flush(self) -> None:
        if self._handle:
            self._handle.flush()

    def close(self) -> None:
        if self._handle:
            self._handle.close()
            self._handle = None

    def _open(self) -> TextIO:
        if self._handle is None:
            fresh = not self.path.exists() or self.path.stat().st_size == 0
            try:
                self._handle = open(self.path, "a", encoding="utf-8", newline="")  # noqa: SIM115 - see close()
            except OSError as exc:
                raise BadFile(f"{self.path}: cannot write the report: {exc.strerror or exc}") from None
            if self.as_csv and fresh:
                csv.writer(self._handle).writerow(["line", "employee_id", "errors"])
        return self._handle
