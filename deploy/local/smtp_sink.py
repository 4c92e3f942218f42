"""Local SMTP sink for Tandem: accepts every message and keeps it on disk.

Run by ``stack.py`` (``LocalStack.start_smtp``) as a detached process:

    python smtp_sink.py --port 1025 --web-port 8025 --mail-dir DIR

* SMTP on ``127.0.0.1:<port>`` (aiosmtpd). Every accepted message is written to
  ``DIR/<UTC timestamp>-<id>.eml`` exactly as received, preceded by
  ``X-MailFrom`` / ``X-RcptTo`` headers carrying the envelope (so Bcc
  recipients are visible too). Files appear atomically (write + rename), so a
  test polling the directory never reads half a message. Names sort in
  arrival order.
* Any AUTH credentials are accepted without TLS, so a service configured with
  SMTP_USERNAME/SMTP_PASSWORD can still talk to the sink.
* A read-only web page on ``127.0.0.1:<web-port>``: ``/`` lists the messages,
  ``/messages/<id>`` shows one, ``/raw/<id>`` serves the .eml file and
  ``/api/messages`` returns the list as JSON.

SIGTERM stops both servers. Standard library + aiosmtpd only.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import html
import json
import logging
import re
import signal
import sys
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

# Message ids are file names without ".eml"; anything else in a URL is rejected,
# which also rules out path traversal.
MESSAGE_ID = re.compile(r"^[0-9TZ.]+-[0-9a-f]{8}$")


# --------------------------------------------------------------------- SMTP side


class SaveToDirectory:
    """aiosmtpd handler writing each message to ``mail_dir`` as an .eml file."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd hook name
        save_message(self.mail_dir, envelope.mail_from, envelope.rcpt_tos, envelope.original_content)
        return "250 Message accepted for delivery"


def save_message(mail_dir: Path, mail_from: str, rcpt_tos: list[str], content: bytes) -> Path:
    """Write one message atomically; returns the final path."""
    eol = b"\r\n" if b"\r\n" in content else b"\n"
    envelope = (
        b"X-MailFrom: "
        + mail_from.encode("utf-8", "replace")
        + eol
        + b"X-RcptTo: "
        + ", ".join(rcpt_tos).encode("utf-8", "replace")
        + eol
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    final = mail_dir / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    # Dot-prefixed temporary name: never matches "*.eml" listings.
    tmp = mail_dir / f".{final.name}.tmp"
    tmp.write_bytes(envelope + content)
    tmp.replace(final)
    return final


def accept_any_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    """Local sink: every username/password is fine."""
    return AuthResult(success=True)


# --------------------------------------------------------------------- web side


def list_messages(mail_dir: Path) -> list[dict[str, str]]:
    """Summaries of all stored messages, newest first."""
    summaries = []
    for path in sorted(mail_dir.glob("*.eml"), reverse=True):
        msg = read_message(path)
        summaries.append(
            {
                "id": path.stem,
                "subject": str(msg.get("Subject", "")),
                "from": str(msg.get("From", "")),
                "to": str(msg.get("To", "") or msg.get("X-RcptTo", "")),
                "date": str(msg.get("Date", "")),
                "file": str(path),
            }
        )
    return summaries


def read_message(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def body_part(msg: EmailMessage, subtype: str) -> str | None:
    part = msg.get_body(preferencelist=(subtype,))
    return None if part is None else part.get_content()


def render_index(messages: list[dict[str, str]]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(m['date'])}</td><td>{html.escape(m['from'])}</td><td>{html.escape(m['to'])}</td>"
        f"<td><a href='/messages/{m['id']}'>{html.escape(m['subject'] or '(no subject)')}</a></td></tr>"
        for m in messages
    )
    table = (
        "<table><tr><th>Date</th><th>From</th><th>To</th><th>Subject</th></tr>" + rows + "</table>"
        if messages
        else "<p>No mail yet.</p>"
    )
    return page("Tandem local mail", f"<h1>Tandem local mail ({len(messages)})</h1>{table}")


def render_message(message_id: str, msg: EmailMessage) -> str:
    headers = "".join(
        f"<tr><th>{name}</th><td>{html.escape(str(msg.get(name, '')))}</td></tr>"
        for name in ("Date", "From", "To", "Cc", "X-RcptTo", "Subject")
        if msg.get(name)
    )
    parts = []
    text = body_part(msg, "plain")
    if text is not None:
        parts.append(f"<h2>Text</h2><pre>{html.escape(text)}</pre>")
    rich = body_part(msg, "html")
    if rich is not None:
        # sandbox="" : the mail's HTML is shown but can run no script and load nothing into this page.
        parts.append(
            f"<h2>HTML</h2><iframe sandbox='' style='width:100%;height:60vh' srcdoc='{html.escape(rich)}'></iframe>"
        )
    body = (
        f"<p><a href='/'>&larr; all mail</a> · <a href='/raw/{message_id}'>raw .eml</a></p>"
        f"<table>{headers}</table>{''.join(parts)}"
    )
    return page(str(msg.get("Subject", message_id)), body)


def page(title: str, body: str) -> str:
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
        "pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{body}</body></html>"
    )


def make_web_handler(mail_dir: Path) -> type[BaseHTTPRequestHandler]:
    class MailPages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server hook name
            path = self.path.split("?", 1)[0].rstrip("/") or "/"
            if path == "/":
                self.reply(render_index(list_messages(mail_dir)), "text/html; charset=utf-8")
            elif path == "/api/messages":
                self.reply(json.dumps(list_messages(mail_dir)), "application/json")
            elif (file := self.message_file(path, "/messages/")) is not None:
                self.reply(render_message(file.stem, read_message(file)), "text/html; charset=utf-8")
            elif (file := self.message_file(path, "/raw/")) is not None:
                self.reply(file.read_bytes(), "text/plain; charset=utf-8")
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def message_file(self, path: str, prefix: str) -> Path | None:
            if not path.startswith(prefix):
                return None
            message_id = path.removeprefix(prefix)
            file = mail_dir / f"{message_id}.eml"
            return file if MESSAGE_ID.match(message_id) and file.is_file() else None

        def reply(self, body: str | bytes, content_type: str) -> None:
            data = body.encode() if isinstance(body, str) else body
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args) -> None:
            pass  # page views are not worth a log line

    return MailPages


# --------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--web-port", type=int, default=8025)
    parser.add_argument("--mail-dir", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    args.mail_dir.mkdir(parents=True, exist_ok=True)
    # aiosmtpd 1.4 itself touches its deprecated Session.login_data on every
    # successful AUTH and warns about it; nothing we can act on.
    logging.getLogger("mail.log").addFilter(lambda record: "login_data is deprecated" not in record.getMessage())

    smtp = Controller(
        SaveToDirectory(args.mail_dir),
        hostname=args.host,
        port=args.port,
        authenticator=accept_any_login,
        auth_require_tls=False,
        enable_SMTPUTF8=True,
    )
    web = ThreadingHTTPServer((args.host, args.web_port), make_web_handler(args.mail_dir))
    web.daemon_threads = True

    # SIGTERM (from `stack.py down`) becomes SystemExit, which unwinds serve_forever below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    smtp.start()
    print(
        f"smtp sink on {args.host}:{args.port}, web on {args.host}:{args.web_port}, mail in {args.mail_dir}",
        flush=True,
    )
    try:
        web.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        web.server_close()
        smtp.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
