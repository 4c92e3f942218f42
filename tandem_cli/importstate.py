"""The resumable part of an import: a small JSON file next to the input, rewritten after every chunk."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from tandem_cli.errors import BadFile

SUFFIX = ".tandem-progress"


@dataclass
class ImportProgress:
    """How far an import got: rows done (sent and answered, or rejected locally) and the tallies so far."""

    input_digest: str
    rows_done: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, rows: int, created: int = 0, updated: int = 0, unchanged: int = 0, rejected: int = 0) -> None:
        self.rows_done += rows
        self.created += created
        self.updated += updated
        self.unchanged += unchanged
        self.rejected += rejected


def progress_path(input_path: Path) -> Path:
    """people.csv -> people.csv.tandem-progress."""
    return input_path.with_name(input_path.name + SUFFIX)


def load(path: Path) -> ImportProgress | None:
    """The saved progress, or None when there is none."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        names = {f.name for f in fields(ImportProgress)}
        return ImportProgress(**{k: v for k, v in raw.items() if k in names})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        raise BadFile(f"{path}: progress file is unreadable ({exc}); delete it or import without --resume") from None


def save(progress: ImportProgress, path: Path) -> None:
    """Write atomically, so an interruption mid-write never leaves a torn file."""
    partial = path.with_name(path.name + ".tmp")
    try:
        partial.write_text(json.dumps(asdict(progress)) + "\n", encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        raise BadFile(f"{path}: cannot write the progress file: {exc.strerror or exc}") from None


def clear(path: Path) -> None:
    path.unlink(missing_ok=True)


def starting_point(saved: ImportProgress | None, digest: str, resume: bool) -> tuple[ImportProgress, str | None]:
    """Where to start, and a note for the user when that is not the obvious place."""
    if not resume:
        note = "an earlier import of this file was interrupted; starting over (--resume continues it)"
        return ImportProgress(digest), note if saved else None
    if saved is None:
        return ImportProgress(digest), "nothing to resume; starting from the first row"
    if saved.input_digest != digest:
        raise BadFile("the file changed since the interrupted import; import it again without --resume")
    return saved, f"resuming after row {saved.rows_done:,}"
