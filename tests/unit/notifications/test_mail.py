"""The email channel with a fake SMTP connection behind its `connect` port: what any input becomes on the wire."""

import email
import email.policy
import smtplib

import pytest

from services.notifications.adapters.channels.mail import EmailSender, Undeliverable, envelope, mailbox, one_line
from shared.config import Config

DOC = {"_id": "intro:m1:e1", "kind": "introduction", "subject": "Meet your mentor: Chloé", "text": "Hello",
       "html": "<p>Hello</p>", "attachments": []}


class FakeSMTP:
    """An SMTP relay as smtplib presents it: extensions offered, recipients refused by address."""

    def __init__(self, smtputf8=True, refuse=()):
        self.smtputf8, self.refuse, self.sent, self.closed = smtputf8, set(refuse), [], False

    def has_extn(self, name):
        return name == "smtputf8" and self.smtputf8

    def sendmail(self, sender, recipients, data, mail_options=()):
        if not self.smtputf8 and any(not r.isascii() for r in recipients):
            raise AssertionError("an internationalised address was sent to a relay without SMTPUTF8")
        refused = {r: (550, b"5.1.1 no such mailbox") for r in recipients if r in self.refuse}
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        self.sent.append((sender, list(recipients), data, tuple(mail_options)))
        return {}

    def quit(self):
        self.closed = True


def sender(relay):
    return EmailSender(Config(service="notifications", port=0, smtp_host="relay.example.com"), connect=lambda: relay)


def parsed(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.SMTPUTF8)


def test_an_internationalised_address_goes_out_with_smtputf8_and_the_name_encoded():
    relay = FakeSMTP()
    result = sender(relay).send(DOC, {"name": "Chloé Berg", "email": "chloé.berg.7@example.com"})
    assert result.ok
    [(_, recipients, data, options)] = relay.sent
    assert recipients == ["chloé.berg.7@example.com"] and "SMTPUTF8" in options
    assert b"To: =?utf-8?" in data and "chloé.berg.7@example.com".encode() in data
    message = parsed(data)
    assert str(message["To"]) == "Chloé Berg <chloé.berg.7@example.com>"
    assert str(message["Subject"]) == "Meet your mentor: Chloé"


def test_a_relay_without_smtputf8_fails_that_address_alone_and_permanently():
    relay = FakeSMTP(smtputf8=False)
    mail = sender(relay)
    refused = mail.send(DOC, {"name": "Chloé", "email": "chloé@example.com"})
    accepted = mail.send(DOC, {"name": "Chloé", "email": "chloe@example.com"})
    assert not refused.ok and refused.permanent and "SMTPUTF8" in refused.detail
    assert accepted.ok and [r for _, r, _, _ in relay.sent] == [["chloe@example.com"]]


def test_a_recipient_the_relay_refuses_fails_permanently_and_the_connection_goes_on():
    relay = FakeSMTP(refuse={"gone@example.com"})
    mail = sender(relay)
    refused = mail.send(DOC, {"name": "Gone", "email": "gone@example.com"})
    assert not refused.ok and refused.permanent and "550" in refused.detail
    assert mail.send(DOC, {"name": "Here", "email": "here@example.com"}).ok and not relay.closed


@pytest.mark.parametrize("name", ["Mal\nReply-To: evil@example.com", "Mal\r\nBcc: evil@example.com",
                                  "Mal\x00\x1b[31m", "\u2028Mal\u2029", 'Mal "the boss", <x>'])
def test_no_name_can_add_a_header(name):
    relay = FakeSMTP()
    assert sender(relay).send(DOC, {"name": name, "email": "mal@example.com"}).ok
    message = parsed(relay.sent[0][2])
    assert message["Reply-To"] is None and message["Bcc"] is None
    assert message["To"].addresses[0].addr_spec == "mal@example.com"
    headers = relay.sent[0][2].split(b"\r\n\r\n", 1)[0]
    assert all(not line.startswith((b"Reply-To", b"Bcc")) for line in headers.split(b"\r\n"))


def test_a_subject_with_line_breaks_stays_one_header():
    relay = FakeSMTP()
    assert sender(relay).send({**DOC, "subject": "Hi\r\nBcc: evil@example.com"},
                              {"name": "Mia", "email": "mia@example.com"}).ok
    message = parsed(relay.sent[0][2])
    assert message["Bcc"] is None and str(message["Subject"]) == "Hi Bcc: evil@example.com"


@pytest.mark.parametrize("address", ["bad@example.com\n", "bad@example.com\r\nBcc: x@example.com", "a b@example.com",
                                     "no-at-sign", "two@@example.com", "<x@example.com>", "x@localhost", 42,
                                     {"$ne": None}, "x" * 400 + "@example.com"])
def test_an_address_no_relay_could_take_fails_permanently_without_a_connection(address):
    relay = FakeSMTP()
    result = sender(relay).send(DOC, {"name": "Mia", "email": address})
    assert not result.ok and result.permanent and relay.sent == []
    with pytest.raises(Undeliverable):
        mailbox(address)


def test_the_message_id_is_the_same_for_every_attempt_of_one_notification():
    person = {"name": "Mia", "email": "mia@example.com"}
    first, second = (parsed(envelope(DOC, person, "Tandem <t@example.com>").data) for _ in range(2))
    assert first["Message-ID"] == second["Message-ID"]
    assert parsed(envelope({**DOC, "_id": "other"}, person, "t@example.com").data)["Message-ID"] != first["Message-ID"]


def test_one_line_turns_every_control_run_into_a_single_space():
    assert one_line("a\r\n\tb\x00c\u2028d") == "a b c d"
