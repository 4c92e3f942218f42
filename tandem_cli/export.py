"""`tandem export`: a program's results as CSV from the analytics service, to stdout or a file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, TextIO
from urllib.parse import quote

import requests

from tandem_cli.client import ServiceClient
from tandem_cli.errors import BadFile, ExitCode, Unreachable

BLOCK = 64 * 1024


def export_csv(client: ServiceClient, program_id: str, output: Path | None, stdout: BinaryIO,
               err: TextIO) -> ExitCode:
    """Stream the export; a file appears only once it is complete."""
    path = f"/v1/programs/{quote(program_id, safe='')}/export.csv"
    with client.request("GET", path, stream=True, headers={"Accept": "text/csv"}) as response:
        if output is None:
            _copy(response, stdout)
            stdout.flush()
            return ExitCode.OK
        partial = output.with_name(output.name + ".part")
        try:
            with open(partial, "wb") as handle:
                size = _copy(response, handle)
            os.replace(partial, output)
        except OSError as exc:
            raise BadFile(f"{output}: cannot write: {exc.strerror or exc}") from None
        finally:
            partial.unlink(missing_ok=True)  # gone already after a successful replace
    err.write(f"tandem: wrote {size:,} bytes to {output}\n")
    return ExitCode.OK


def _copy(response: requests.Response, handle: BinaryIO) -> int:
    size = 0
    try:
        for block in response.iter_content(BLOCK):
            handle.write(block)
            size += len(block)
    except requests.RequestException as exc:
        raise Unreachable(f"analytics service dropped the connection during the export ({type(exc).__name__})") \
            from None
    return size
