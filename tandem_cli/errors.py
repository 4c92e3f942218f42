"""Exit codes scripts can rely on, and the one error type every command raises to reach them."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    REJECTED = 1  # import: some rows rejected; run-matching: the run failed or did not finish
    USAGE = 2  # bad arguments, bad input file, or a request the service refused (unknown program, ...)
    UNREACHABLE = 3  # the service did not answer (connection refused, DNS, timeout)
    AUTH = 4  # no credentials, or the service said 401/403
    SERVER = 5  # the service answered 5xx or something that is not its API
    INTERRUPTED = 130  # Ctrl-C; an import can continue with --resume


class CliError(Exception):
    """A failure to report in one line on stderr, with the exit code it maps to."""

    code = ExitCode.USAGE

    def __init__(self, message: str, code: ExitCode | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class BadFile(CliError):
    code = ExitCode.USAGE


class Unreachable(CliError):
    code = ExitCode.UNREACHABLE


class AuthFailed(CliError):
    code = ExitCode.AUTH


class ServerError(CliError):
    code = ExitCode.SERVER


class Refused(CliError):
    """A 4xx other than 401/403: the request itself was wrong (unknown program, invalid body)."""

    code = ExitCode.USAGE


def exit_code_for_status(status: int) -> ExitCode:
    """The exit code an HTTP error status maps to."""
    if status in (401, 403):
        return ExitCode.AUTH
    if status >= 500:
        return ExitCode.SERVER
    if status >= 400:
        return ExitCode.USAGE
    return ExitCode.OK
