"""Reading people files for import: CSV (mapped by csvmap) or NDJSON, each row with its source line number."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tandem_cli import csvmap
from tandem_cli.errors import BadFile

FORMATS = ("csv", "ndjson")
_SUFFIXES = {".csv": "csv", ".ndjson": "ndjson", ".jsonl": "ndjson"}


@dataclass(frozen=True)
class Record:
    """One data row: the profile to send, or the reasons it was rejected before sending."""

    line: int
    profile: dict[str, Any] | None = None
    employee_id: str | None = None
    errors: dict[str, Any] = field(default_factory=dict)


def detect_format(path: Path, explicit: str | None = None) -> str:
    """csv or ndjson, from --format or the file name."""
    if explicit:
        return explicit
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise BadFile(f"{path}: cannot tell the format from the name; use --format csv or --format ndjson")
    return fmt


def read_records(path: Path, fmt: str) -> Iterator[Record]:
    """Every data row of the file, in order; file-level problems raise BadFile."""
    return _csv_records(path) if fmt == "csv" else _ndjson_records(path)


def count_records(path: Path, fmt: str) -> int:
    """How many data rows read_records will yield (a cheap first pass, for the progress bar)."""
    if fmt == "csv":
        return sum(1 for _ in _csv_rows(path))
    return sum(1 for _ in _ndjson_lines(path))


def file_digest(path: Path) -> str:
    """SHA-256 of the file, so --resume refuses a file that changed since the interrupted import."""
    digest = hashlib.sha256()
    with _open(path, binary=True) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _open(path: Path, binary: bool = False):
    try:
        if binary:
            return open(path, "rb")  # noqa: SIM115 - returned to a with-block
        return open(path, encoding="utf-8-sig", newline="")  # -sig: spreadsheets write a BOM
    except FileNotFoundError:
        raise BadFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadFile(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise BadFile(f"{path}: cannot read: {exc.strerror or exc}") from None


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """(first line of the row, header, cells) for each non-blank data row."""
    with _open(path) as handle:
        reader = csv.reader(handle, strict=True)
        header, previous_line = None, 0
        try:
            for cells in reader:
                line, previous_line = previous_line + 1, reader.line_num
                if header is None:
                    header = _header(path, cells)
                elif any(cell.strip() for cell in cells):
                    yield line, header, cells
        except csv.Error as exc:
            raise BadFile(f"{path}: line {reader.line_num}: not valid CSV: {exc}") from None
        except UnicodeDecodeError as exc:
            raise BadFile(f"{path}: not UTF-8 text (byte {exc.start} of a block): save it as UTF-8 CSV") from None
    if header is None:
        raise BadFile(f"{path}: empty file; the first line must name the columns")


def _header(path: Path, cells: list[str]) -> list[str]:
    try:
        return csvmap.map_header(cells)
    except csvmap.HeaderError as exc:
        raise BadFile(f"{path}: bad header: {exc}") from None


def _csv_records(path: Path) -> Iterator[Record]:
    for line, header, cells in _csv_rows(path):
        key = header.index(csvmap.KEY)
        employee_id = (cells[key].strip() if key < len(cells) else "") or None
        if len(cells) > len(header):
            yield Record(line, None, employee_id, {"_row": [f"{len(cells)} cells, but the header has {len(header)}"]})
            continue
        try:
            yield Record(line, csvmap.to_profile(dict(zip(header, cells, strict=False))), employee_id)
        except csvmap.RowError as exc:
            yield Record(line, None, employee_id, exc.errors)


def _ndjson_lines(path: Path) -> Iterator[tuple[int, str]]:
    with _open(path) as handle:
        try:
            for number, text in enumerate(handle, start=1):
                if text.strip():
                    yield number, text
        except UnicodeDecodeError:
            raise BadFile(f"{path}: not UTF-8 text") from None


def _ndjson_records(path: Path) -> Iterator[Record]:
    for line, text in _ndjson_lines(path):
        try:
            row = json.loads(text)
        except ValueError as exc:
            yield Record(line, None, None, {"_row": [f"not valid JSON: {exc}"]})
            continue
        if not isinstance(row, dict):
            yield Record(line, None, None, {"_row": ["not a JSON object"]})
            continue
        employee_id = row.get(csvmap.KEY)
        yield Record(line, row, employee_id if isinstance(employee_id, str) else None)


def check_readable(path: Path) -> None:
    """BadFile unless the file exists and can be opened."""
    _open(path, binary=True).close()
