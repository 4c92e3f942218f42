"""Process logging: one line per record, the service's name on each, and a quiet log when all is well.

kafka-python (3.0.x) logs races in its own socket shutdown ("'NoneType' object has no attribute
'recv'") as ERROR with a traceback, and narrates every rebalance at INFO. Its INFO chatter is
silenced, and its tracebacks become one WARNING line with the exception, so a traceback in a Tandem
log always means a Tandem defect.
"""

from __future__ import annotations

import logging

LIBRARY_LOGGERS = ("kafka",)


class LibraryTracebacks(logging.Filter):
    """Fold a library's exception into its message line, at WARNING."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.name.split(".")[0] in LIBRARY_LOGGERS:
            record.msg, record.args = f"{record.getMessage()} ({record.exc_info[1]!r})", ()
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def configure(service: str, level: str) -> None:
    logging.basicConfig(level=level.upper(), format=f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(LibraryTracebacks())
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
