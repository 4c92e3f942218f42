"""Rendering (subject, text, HTML), the email's MIME shape and the webhook signature."""

import email
import email.policy
import hashlib
import hmac
from datetime import UTC, datetime

from services.notifications.adapters.channels.mail import classify, envelope
from services.notifications.adapters.channels.webhook import signature
from services.notifications.adapters.rendering import MessageRenderer
from services.notifications.use_cases.composing import webhook_payload

NOW = datetime(2031, 1, 10, 9, 0, tzinfo=UTC)


def test_every_kind_renders_subject_text_and_html():
    renderer = MessageRenderer()
    intro = renderer.render("introduction", {
        "recipient_name": "Mia", "partner_name": "Mo <script>", "partner_role": "mentor", "your_role": "mentee",
        "program_name": "Cohort", "reasons": ["same team"], "mentorship_id": "m1"})
    assert intro.subject == "Meet your mentor: Mo <script>"
    assert "same team" in intro.text and "Mo <script>" in intro.text
    assert "Mo &lt;script&gt;" in intro.html and "<script>" not in intro.html


def test_the_digest_lists_percentages():
    message = MessageRenderer().render("weekly_digest", {
        "recipient_name": "Bea", "week": "2031-W03", "period_start": "2031-01-06", "period_end": "2031-01-13",
        "reports": [{"name": "Mia", "roles": ["mentee"], "sessions_held_this_week": 1, "sessions_held_total": 3,
                     "goals_total": 2, "goals_completed": 1, "goal_progress_pct": [100, 40],
                     "average_progress_pct": 70, "next_session": None}]})
    assert "100%, 40% (average 70%)" in message.text and "none scheduled" in message.text
    assert message.subject == "Mentoring digest for 2031-W03"


def test_an_email_is_multipart_text_and_html_with_the_invite_attached():
    invite = {"filename": "session.ics", "content_type": "text/calendar; method=PUBLISH",
              "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}
    doc = {"_id": "reminder:s1:e1", "kind": "session_reminder", "subject": "Reminder", "text": "plain body",
           "html": "<p>rich body</p>", "attachments": [invite]}
    raw = envelope(doc, {"name": "Mia", "email": "mia@example.com"}, "Tandem <t@example.com>").data
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["To"] == "Mia <mia@example.com>" and msg["X-Tandem-Notification-Id"] == "reminder:s1:e1"
    assert msg.get_body(("plain",)).get_content().strip() == "plain body"
    assert "rich body" in msg.get_body(("html",)).get_content()
    [ics] = list(msg.iter_attachments())
    assert ics.get_filename() == "session.ics" and ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH"


def test_smtp_5xx_is_permanent_and_4xx_is_retried():
    import smtplib

    assert classify(smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no such user")})).permanent
    assert not classify(smtplib.SMTPRecipientsRefused({"a@b.c": (451, b"later")})).permanent
    assert not classify(smtplib.SMTPDataError(421, b"closing")).permanent
    assert not classify(ConnectionRefusedError()).permanent


def test_the_webhook_signature_is_hmac_sha256_of_the_raw_body():
    body = b'{"kind":"introduction"}'
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert signature("s3cret", body) == f"sha256={expected}"


def test_the_webhook_payload_carries_the_same_facts_as_the_email():
    facts = {"recipient_name": "Bea", "report_name": "Mia", "goals_completed": 1, "goals_total": 2,
             "completed_on": None}
    message = MessageRenderer().render("goal_completed", facts)
    doc = {"_id": "goal:g1:b", "recipient_id": "b", "kind": "goal_completed", "program_id": None, "created_at": NOW}
    payload = webhook_payload(doc, message, facts)
    assert payload["created_at"] == "2031-01-10T09:00:00.000000Z" and payload["facts"] == facts
    assert payload["subject"] == "Mia completed a development goal" and "1 of 2" in payload["text"]
