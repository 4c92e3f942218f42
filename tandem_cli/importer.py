"""`tandem import`: stream a people file to POST /v1/profiles:import in chunks, resumably."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tandem_cli import importstate, sources
from tandem_cli.client import ServiceClient
from tandem_cli.errors import CliError, ExitCode, ServerError
from tandem_cli.importstate import ImportProgress
from tandem_cli.progress import ProgressBar, format_count
from tandem_cli.report import RejectReport, default_report_path
from tandem_cli.sources import Record

IMPORT_PATH = "/v1/profiles:import"
DEFAULT_CHUNK = 2_000
MAX_CHUNK = 10_000  # the API's limit per call
_ROW_REFERENCE = re.compile(r"\brow (\d+)\b")


@dataclass(frozen=True)
class ImportOptions:
    path: Path
    fmt: str | None = None
    chunk_size: int = DEFAULT_CHUNK
    resume: bool = False
    report_path: Path | None = None
    show_progress: bool = True


def run_import(client: ServiceClient, options: ImportOptions, out: TextIO, err: TextIO) -> ExitCode:
    """Import the file; 0 when every row was accepted, 1 when some were rejected (see the report)."""
    fmt = sources.detect_format(options.path, options.fmt)
    total = sources.count_records(options.path, fmt)  # also fails fast on a bad header or encoding
    state_path = importstate.progress_path(options.path)
    progress, note = importstate.starting_point(importstate.load(state_path), sources.file_digest(options.path),
                                                options.resume)
    if note:
        err.write(f"tandem: {note}\n")
    report = RejectReport(options.report_path or default_report_path(options.path, fmt), append=progress.rows_done > 0)
    bar = ProgressBar(total, err, enabled=options.show_progress, started_at=progress.rows_done)
    try:
        remaining = itertools.islice(sources.read_records(options.path, fmt), progress.rows_done, None)
        for chunk in chunked(remaining, options.chunk_size):
            send_chunk(client, chunk, progress, report)
            report.flush()  # the report must hold what the progress file says is done
            importstate.save(progress, state_path)
            bar.update(progress.rows_done)
    except CliError as exc:
        hint = "; try a smaller --chunk-size" if getattr(exc, "status", None) == 413 else ""
        raise CliError(exc.message + hint + _stopped(progress, total), exc.code) from None
    except KeyboardInterrupt:
        raise CliError("interrupted" + _stopped(progress, total), ExitCode.INTERRUPTED) from None
    finally:
        bar.finish()
        report.close()
    importstate.clear(state_path)
    out.write(summary(progress, report, bar.elapsed) + "\n")
    return ExitCode.REJECTED if progress.rejected else ExitCode.OK


def chunked(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Consecutive lists of `size` records (the last may be shorter)."""
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def send_chunk(client: ServiceClient, chunk: list[Record], progress: ImportProgress, report: RejectReport) -> None:
    """Send the chunk's convertible rows; record every rejection (local or from the API) with its line."""
    rejected = 0
    for record in chunk:
        if record.profile is None:
            report.add(record.line, record.employee_id, record.errors)
            rejected += 1
    sent = [record for record in chunk if record.profile is not None]
    answer = _post(client, sent) if sent else {"created": 0, "updated": 0, "unchanged": 0, "failed": []}
    for failure in answer["failed"]:
        record = sent[failure["index"]]
        report.add(record.line, failure.get("employee_id") or record.employee_id,
                   relabel_rows(failure.get("errors") or {}, sent))
        rejected += 1
    progress.add(len(chunk), answer["created"], answer["updated"], answer.get("unchanged", 0), rejected)


def _post(client: ServiceClient, sent: list[Record]) -> dict[str, Any]:
    answer = client.json("POST", IMPORT_PATH, json=[record.profile for record in sent])
    try:
        failed = answer["failed"]
        int(answer["created"]), int(answer["updated"])
        if not all(0 <= int(f["index"]) < len(sent) for f in failed):
            raise ValueError("a failed index is out of range")
    except (KeyError, TypeError, ValueError) as exc:
        raise ServerError(f"profiles service answered the import with an unexpected body ({exc!r})") from None
    return answer


def relabel_rows(errors: dict[str, Any], sent: list[Record]) -> dict[str, Any]:
    """The API counts rows within one call ('repeated at row 3'); the user knows file lines."""

    def line_of(match: re.Match) -> str:
        index = int(match.group(1))
        return f"line {sent[index].line}" if index < len(sent) else match.group(0)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return _ROW_REFERENCE.sub(line_of, value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return walk(errors)


def summary(progress: ImportProgress, report: RejectReport, elapsed: float) -> str:
    """One line a person (or a log) can read."""
    text = (f"imported {format_count(progress.rows_done)} rows in {elapsed:.1f}s: "
            f"{format_count(progress.created)} created, {format_count(progress.updated)} updated, "
            f"{format_count(progress.unchanged)} unchanged, {format_count(progress.rejected)} rejected")
    return text + (f" (reasons: {report.path})" if progress.rejected else "")


def _stopped(progress: ImportProgress, total: int) -> str:
    if not progress.rows_done:
        return ""
    return f" (stopped after {format_count(progress.rows_done)} of {format_count(total)} rows; rerun with --resume)"
