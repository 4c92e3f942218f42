"""HTTP routes: inbox, read receipts, preferences, the delivery log and on-demand job runs."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_smorest import Blueprint

from services.notifications import access
from services.notifications.jobs import JobRunner
from services.notifications.projections import Projections
from services.notifications.queue import DispatchQueue
from services.notifications.repository import NotificationRepository
from services.notifications.schemas import (
    DeliveryPage,
    DeliveryQuery,
    InboxQuery,
    JobRunIn,
    JobRunOut,
    NotificationOut,
    NotificationPage,
    PreferencesIn,
    PreferencesOut,
)
from services.notifications.views import InboxService
from shared.auth import current_principal, require
from shared.timeutil import parse_rfc3339, to_rfc3339
from shared.web import store_of

blp = Blueprint("notifications", __name__, url_prefix="/v1",
                description="Inbox, preferences, delivery log and scheduled notification jobs")


def inbox() -> InboxService:
    db = store_of(current_app).db
    return InboxService(NotificationRepository(db), DispatchQueue(db))


def jobs() -> JobRunner:
    settings = current_app.extensions["tandem.notifications.settings"]
    db = store_of(current_app).db
    return JobRunner(Projections(db), NotificationRepository(db), DispatchQueue(db),
                     timedelta(hours=settings.reminder_lead_hours))


@blp.route("/notifications", methods=["GET"])
@require()
@blp.arguments(InboxQuery, location="query")
@blp.response(200, NotificationPage)
def list_inbox(query: dict):
    """A person's inbox, newest first; program admins may read anyone's."""
    recipient = access.inbox_owner(current_principal(), query.get("recipient_id"))
    return inbox().inbox(recipient, unread=query["unread"], limit=query["limit"], cursor=query["cursor"])


@blp.route("/notifications/<notification_id>/read", methods=["POST"])
@require()
@blp.response(200, NotificationOut)
def mark_read(notification_id: str):
    """Mark one of your notifications read (idempotent)."""
    svc = inbox()
    access.check_owner(current_principal(), svc.get(notification_id)["recipient_id"])
    return svc.mark_read(notification_id)


@blp.route("/preferences/<employee_id>", methods=["GET"])
@require()
@blp.response(200, PreferencesOut)
def get_preferences(employee_id: str):
    """How a person wants to hear from Tandem (defaults until they say otherwise)."""
    access.check_read_preferences(current_principal(), employee_id)
    return inbox().preferences(employee_id)


@blp.route("/preferences/<employee_id>", methods=["PUT"])
@require()
@blp.arguments(PreferencesIn)
@blp.response(200, PreferencesOut)
def put_preferences(body: dict, employee_id: str):
    """Replace a person's preferences: email on/off, a webhook, the weekly digest, quiet hours."""
    access.check_write_preferences(current_principal(), employee_id)
    return inbox().save_preferences(employee_id, body)


@blp.route("/deliveries", methods=["GET"])
@require(access.ADMIN)
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliveryPage)
def list_deliveries(query: dict):
    """The delivery log, newest first: each notification's channels with status, attempts and every try.

    Filter by `recipient_id`, `kind`, `program_id`, `channel` and `status` (`pending`, `held`, `delivered`,
    `failed`; with `channel`, the status of that channel, otherwise of any channel).
    """
    return inbox().deliveries(query, limit=query["limit"], cursor=query["cursor"])


@blp.route("/jobs/<any(reminders, nudges, digests):job>:run", methods=["POST"])
@require(access.ADMIN)
@blp.arguments(JobRunIn)
@blp.response(200, JobRunOut)
def run_job(body: dict, job: str):
    """Run `reminders`, `nudges` or `digests` now, as if at `as_of`; a repeat for the same period creates nothing."""
    report = jobs().run(job, parse_rfc3339(body["as_of"]))
    return {"job": report.job, "as_of": to_rfc3339(report.as_of), "created": report.created,
            "already_sent": report.already_sent}
