"""Email over SMTP: multipart text + HTML (+ attachments), one reused connection per dispatcher.

Whatever a profile or a template holds, one message can only fail alone: a recipient the relay cannot
take (a non-ASCII address without SMTPUTF8, a malformed address, a refusal) ends as that delivery's
`SendResult`, never as an exception out of `send`. Header values never carry CR/LF or other control
characters; names are RFC 2047-encoded; internationalised addresses go out with SMTPUTF8.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.charset import QP, Charset
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

from services.notifications.domain.delivery import SendResult
from shared import tracing
from shared.config import Config

log = logging.getLogger(__name__)

UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP  # readable in raw form, unlike the base64 default for utf-8

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
# One mailbox: no whitespace, no control characters, no brackets or quotes, one "@", a dotted domain.
_ATOM = r"[^\s\x00-\x1f\x7f@<>()\[\],;:\"\\]"
_LABEL = r"[^\s\x00-\x1f\x7f@<>()\[\],;:\"\\.]"
_ADDRESS = re.compile(rf"{_ATOM}+@{_ATOM}+\.{_LABEL}+")


class Undeliverable(ValueError):
    """This message can never go to this recipient as it stands (not worth a retry)."""


@dataclass(frozen=True)
class Envelope:
    """What SMTP needs beyond the message: the recipient and whether the exchange needs SMTPUTF8."""

    recipient: str
    international: bool
    data: bytes


def one_line(value: Any) -> str:
    """A header-safe single line: every run of control characters (CR, LF, NUL, ...) becomes one space."""
    return _CONTROL.sub(" ", str(value or "")).strip()


def mailbox(address: Any) -> str:
    """The recipient's address if it is one plain mailbox, else `Undeliverable`."""
    text = str(address or "")
    if not _ADDRESS.fullmatch(text) or len(text) > 320:
        raise Undeliverable(f"not a deliverable email address: {one_line(text)[:80]!r}")
    return text


def encoded_name(name: str) -> str:
    """A display name for a header: RFC 2047 when it is not plain ASCII, quoted when it needs to be."""
    if name.isascii():
        return formataddr((name, "x@x")).rsplit(" <", 1)[0] if name else ""
    return Header(name, "utf-8").encode()


def to_header(name: Any, address: str) -> str:
    display = encoded_name(one_line(name))
    return f"{display} <{address}>" if display else address


def build_email(doc: Mapping[str, Any], person: Mapping[str, Any], sender: str) -> Message:
    """The notification as MIME: text + HTML alternatives (+ attachments); a stable Message-ID lets a
    resend be recognised. The classic MIME classes: several times faster than EmailMessage here.
    The `To` header is added by `envelope` (it may need raw UTF-8, which these classes cannot write)."""
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(doc["text"], "plain", UTF8_QP))
    body.attach(MIMEText(doc["html"], "html", UTF8_QP))
    msg = body
    if doc.get("attachments"):
        msg = MIMEMultipart("mixed")
        msg.attach(body)
        for attachment in doc["attachments"]:
            msg.attach(_attachment(attachment))
    subject = one_line(doc["subject"])
    msg["From"] = sender
    msg["Subject"] = subject if subject.isascii() else Header(subject, "utf-8").encode()
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(doc["_id"])
    msg["X-Tandem-Notification-Id"] = one_line(doc["_id"])
    msg["X-Tandem-Kind"] = one_line(doc["kind"])
    return msg


def message_id(notification_id: str) -> str:
    """The same for every attempt of one notification, so a mail system can spot a resend."""
    return f"<{hashlib.sha256(notification_id.encode()).hexdigest()[:32]}@tandem>"


def envelope(doc: Mapping[str, Any], person: Mapping[str, Any], sender: str) -> Envelope:
    """The bytes to send and to whom; raises `Undeliverable` for an address no relay could take."""
    address = mailbox(person.get("email"))
    generated = io.BytesIO()
    BytesGenerator(generated, mangle_from_=False).flatten(build_email(doc, person, sender), linesep="\r\n")
    to_line = f"To: {to_header(person.get('name'), address)}\r\n".encode()
    return Envelope(address, not address.isascii(), to_line + generated.getvalue())


def _attachment(attachment: Mapping[str, Any]) -> MIMEText:
    maintype, _, rest = attachment["content_type"].partition("/")
    subtype, *params = [p.strip() for p in rest.split(";")]
    part = MIMEText(attachment["content"], subtype, UTF8_QP)
    for key, value in (p.split("=", 1) for p in params if "=" in p):
        part.set_param(key, value)
    part.add_header("Content-Disposition", "attachment", filename=one_line(attachment["filename"]))
    return part


def classify(exc: Exception) -> SendResult:
    """SMTP 5xx replies are permanent; 4xx replies and connection trouble are worth retrying."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, text = next(iter(exc.recipients.values()))
        return SendResult(False, f"recipient refused: {code} {_text(text)}", permanent=500 <= code < 600)
    if isinstance(code, int):
        return SendResult(False, f"SMTP {code} {_text(getattr(exc, 'smtp_error', b''))}",
                          permanent=500 <= code < 600)
    return SendResult(False, f"SMTP server unreachable: {exc!r}"[:300])


def _text(value: Any) -> str:
    return one_line(value.decode(errors="replace") if isinstance(value, bytes) else value)[:200]


class EmailSender:
    """Sends through SMTP_HOST:SMTP_PORT (STARTTLS, AUTH when configured), keeping the connection open."""

    def __init__(self, config: Config, timeout: float = 10.0, connect: Callable[[], smtplib.SMTP] | None = None):
        self._config, self._timeout = config, timeout
        self._connect = connect or self._open
        self._sender_address = parseaddr(config.smtp_from)[1] or config.smtp_from
        self._smtp: smtplib.SMTP | None = None

    def send(self, doc: Mapping[str, Any], person: Mapping[str, Any] | None) -> SendResult:
        if not self._config.smtp_host:
            return SendResult(False, "email is not configured (SMTP_HOST is empty)", permanent=True)
        if not person or person.get("erased") or not person.get("email"):
            return SendResult(False, "no email address on file for the recipient")
        try:
            mail = envelope(doc, person, self._config.smtp_from)
        except Undeliverable as exc:
            return SendResult(False, str(exc), permanent=True)
        except (ValueError, TypeError, LookupError) as exc:  # a value the MIME classes cannot write
            return SendResult(False, f"the message could not be encoded: {exc!r}"[:300], permanent=True)
        with tracing.span("smtp send", parent=doc.get("traceparent"), kind="client",
                          attributes={"server.address": self._config.smtp_host, "tandem.notification.kind": doc["kind"],
                                      "tandem.notification.id": doc["_id"]}):
            return self._deliver(mail, retry_stale=True)

    def _deliver(self, mail: Envelope, retry_stale: bool) -> SendResult:
        try:
            smtp = self._connection()
            if mail.international and not smtp.has_extn("smtputf8"):
                return SendResult(False, f"{self._config.smtp_host} does not offer SMTPUTF8, which the "
                                         "internationalised address needs", permanent=True)
            options = ("SMTPUTF8", "BODY=8BITMIME") if mail.international else ()
            smtp.sendmail(self._sender_address, [mail.recipient], mail.data, mail_options=options)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not retry_stale:
                return SendResult(False, "SMTP server closed the connection")
            return self._deliver(mail, retry_stale=False)  # the kept connection had gone stale: one fresh try
        except (smtplib.SMTPException, OSError) as exc:
            if not isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
                self.close()
            return classify(exc)
        except (UnicodeError, ValueError) as exc:  # refused by smtplib before anything was sent
            self.close()
            return SendResult(False, f"the message could not be sent as encoded: {exc!r}"[:300], permanent=True)
        return SendResult(True, f"accepted by {self._config.smtp_host}")

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

    def _open(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self._config.smtp_host, self._config.smtp_port, timeout=self._timeout)
        try:
            smtp.ehlo()
            if self._config.smtp_starttls:
                smtp.starttls()
                smtp.ehlo()
            if self._config.smtp_username:
                smtp.login(self._config.smtp_username, self._config.smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                log.debug("SMTP quit failed", exc_info=True)
            self._smtp = None
