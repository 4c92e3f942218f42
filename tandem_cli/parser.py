"""The argparse tree of `tandem`; options shared by every command work before or after the command name."""

from __future__ import annotations

import argparse

from tandem_cli import csvmap
from tandem_cli.importer import DEFAULT_CHUNK, MAX_CHUNK
from tandem_cli.sources import FORMATS

ROLES = ("hr_admin", "program_admin", "manager", "employee", "scim")
_RAW = argparse.RawDescriptionHelpFormatter


def build_parser(description: str) -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(prog="tandem", description=description, formatter_class=_RAW,
                                     parents=[common])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _import_command(commands, common)
    _token_command(commands)
    programs = commands.add_parser("programs", help="program admin: matching runs", parents=[common])
    program_commands = programs.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _run_matching_command(program_commands, common)
    _export_command(commands, common)
    return parser


def _common_options() -> argparse.ArgumentParser:
    # SUPPRESS: a value given before the command name must survive the subcommand's parse
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    for name in ("profiles", "matching", "analytics"):
        group.add_argument(f"--{name}-url", default=argparse.SUPPRESS, metavar="URL",
                           help=f"{name} service (env TANDEM_{name.upper()}_URL)")
    group.add_argument("--token", default=argparse.SUPPRESS,
                       help="bearer token (env TANDEM_TOKEN; else minted with AUTH_JWT_SECRET)")
    group.add_argument("--request-timeout", type=_positive(float), default=argparse.SUPPRESS, metavar="SECONDS",
                       help="per HTTP request (default 60)")
    return common


def _import_command(commands, common) -> None:
    cmd = commands.add_parser("import", parents=[common], formatter_class=_RAW, epilog=csvmap.__doc__,
                              help="bulk-upsert people from CSV or NDJSON",
                              description="Upsert profiles by employee_id, in chunks, to POST /v1/profiles:import. "
                                          "Exit 0: all rows accepted; 1: some rejected (see the report).")
    cmd.add_argument("file", help="people.csv or people.ndjson (.jsonl); NDJSON lines are API profile objects")
    cmd.add_argument("--format", choices=FORMATS, help="override detection from the file name")
    cmd.add_argument("--chunk-size", type=_between(1, MAX_CHUNK), default=DEFAULT_CHUNK, metavar="ROWS",
                     help=f"rows per request (default {DEFAULT_CHUNK:,}, at most {MAX_CHUNK:,})")
    cmd.add_argument("--resume", action="store_true",
                     help="continue after the last completed chunk recorded in FILE.tandem-progress")
    cmd.add_argument("--report", metavar="PATH",
                     help="rejected rows with line numbers and reasons (.csv or NDJSON; "
                          "default next to FILE: NAME.rejected.csv|ndjson)")
    cmd.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def _token_command(commands) -> None:
    cmd = commands.add_parser("token", help="print a development token (needs AUTH_JWT_SECRET)",
                              description="Sign an HS256 token with AUTH_JWT_SECRET (and AUTH_AUDIENCE if set).")
    cmd.add_argument("--role", action="append", choices=ROLES, required=True, help="repeat for several roles")
    cmd.add_argument("--employee-id", help="the person the token speaks for")
    cmd.add_argument("--sub", help="subject (default: the employee id, else tandem-cli)")
    cmd.add_argument("--hours", type=_positive(float), default=24.0, help="validity (default 24)")


def _run_matching_command(commands, common) -> None:
    cmd = commands.add_parser("run-matching", parents=[common], help="run cohort matching for a program",
                              description="POST /v1/programs/PROGRAM/matching-runs, follow the run, print a summary. "
                                          "Exit 0: completed; 1: failed or still running at --timeout.")
    cmd.add_argument("program_id", metavar="PROGRAM")
    cmd.add_argument("--interval", type=_positive(float), default=1.0, metavar="SECONDS", help="poll every (1)")
    cmd.add_argument("--timeout", type=_positive(float), default=900.0, metavar="SECONDS",
                     help="stop waiting after (900); the run goes on on the server")
    cmd.add_argument("--json", action="store_true", help="print the finished run as JSON instead of a table")
    cmd.add_argument("--no-progress", action="store_true", help="no status line on stderr")


def _export_command(commands, common) -> None:
    cmd = commands.add_parser("export", parents=[common], help="a program's results as CSV",
                              description="GET /v1/programs/PROGRAM/export.csv from the analytics service.")
    cmd.add_argument("program_id", metavar="PROGRAM")
    cmd.add_argument("--csv", action="store_true", help="CSV (the only format, and the default)")
    cmd.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text}")
        return value
    parse.__name__ = kind.__name__
    return parse


def _between(low: int, high: int):
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}: {text}")
        return value
    parse.__name__ = "int"
    return parse
