"""tandem — the admin command line for a Tandem installation.

Commands:
  tandem import people.csv|people.ndjson   bulk-upsert profiles (chunked, resumable, report of rejected rows)
  tandem token --role ROLE                  print a development token signed with AUTH_JWT_SECRET
  tandem programs run-matching PROGRAM      run cohort matching, follow it, print a summary
  tandem export PROGRAM --csv [-o FILE]     a program's results as CSV

Configuration (a flag wins over its environment variable):
  --profiles-url   TANDEM_PROFILES_URL    default http://127.0.0.1:8001
  --matching-url   TANDEM_MATCHING_URL    default http://127.0.0.1:8002
  --analytics-url  TANDEM_ANALYTICS_URL   default http://127.0.0.1:8004
  --token          TANDEM_TOKEN           else a 1-hour token minted with AUTH_JWT_SECRET (and AUTH_AUDIENCE)

Exit codes:
  0    ok
  1    some rows were rejected (import; see the report), or the matching run failed or did not finish
  2    usage error, bad input file, or a request the service refused (e.g. unknown program)
  3    a service is unreachable
  4    authentication failed: no credentials, or the service answered 401/403
  5    server error (5xx, or an answer that is not the Tandem API)
  130  interrupted (Ctrl-C); `tandem import --resume` continues an interrupted import
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from tandem_cli import settings, sources
from tandem_cli.client import ServiceClient
from tandem_cli.errors import CliError, ExitCode
from tandem_cli.export import export_csv
from tandem_cli.importer import ImportOptions, run_import
from tandem_cli.matching import RunOptions, run_matching
from tandem_cli.parser import build_parser


@dataclass(frozen=True)
class Context:
    """What a command may touch: the environment and the three streams."""

    env: Mapping[str, str]
    out: TextIO
    err: TextIO
    out_bytes: BinaryIO


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None, out_bytes: BinaryIO | None = None) -> int:
    """Run one command; returns its exit code (argparse exits 2 itself on usage errors)."""
    out, err = out or sys.stdout, err or sys.stderr
    ctx = Context(os.environ if env is None else env, out, err, out_bytes or getattr(out, "buffer", out))
    args = build_parser(__doc__).parse_args(argv)
    try:
        return int(COMMANDS[args.command](args, ctx))
    except CliError as exc:
        err.write(f"tandem: error: {exc.message}\n")
        return int(exc.code)
    except KeyboardInterrupt:
        err.write("tandem: interrupted\n")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:  # `tandem export P | head`: the reader left, nothing more to say
        return int(ExitCode.OK)


def client_for(args, ctx: Context, name: str, role: str) -> ServiceClient:
    url = settings.service_url(name, getattr(args, f"{name}_url", None), ctx.env)
    token = settings.resolve_token(getattr(args, "token", None), ctx.env, [role])
    return ServiceClient(name, url, token, timeout=getattr(args, "request_timeout", 60.0))


def cmd_import(args, ctx: Context) -> ExitCode:
    path = Path(args.file)
    sources.check_readable(path)  # a bad file is reported before any credential or network problem
    options = ImportOptions(path, args.format, args.chunk_size, args.resume,
                            Path(args.report) if args.report else None, not args.no_progress)
    return run_import(client_for(args, ctx, "profiles", "hr_admin"), options, ctx.out, ctx.err)


def cmd_token(args, ctx: Context) -> ExitCode:
    secret = ctx.env.get("AUTH_JWT_SECRET")
    if not secret:
        raise CliError("AUTH_JWT_SECRET is not set; tokens are signed with the services' secret")
    token = settings.mint(secret, roles=args.role, hours=args.hours, employee_id=args.employee_id, sub=args.sub,
                          audience=ctx.env.get("AUTH_AUDIENCE", ""), issuer=ctx.env.get("AUTH_ISSUER", ""))
    ctx.out.write(token + "\n")
    return ExitCode.OK


def cmd_run_matching(args, ctx: Context) -> ExitCode:
    options = RunOptions(args.program_id, args.interval, args.timeout, not args.no_progress, args.json)
    return run_matching(client_for(args, ctx, "matching", "program_admin"), options, ctx.out, ctx.err)


def cmd_export(args, ctx: Context) -> ExitCode:
    output = Path(args.output) if args.output and args.output != "-" else None
    return export_csv(client_for(args, ctx, "analytics", "program_admin"), args.program_id, output,
                      ctx.out_bytes, ctx.err)


COMMANDS = {"import": cmd_import, "token": cmd_token, "run-matching": cmd_run_matching, "export": cmd_export}


if __name__ == "__main__":
    sys.exit(main())
