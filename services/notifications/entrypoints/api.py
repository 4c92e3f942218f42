"""HTTP routes: inbox, read receipts, preferences, the delivery log and on-demand job runs."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from services.notifications.adapters.rendering import renderer
from services.notifications.adapters.unit_of_work import NotificationsUnitOfWork
from services.notifications.entrypoints import access
from services.notifications.entrypoints.schemas import (
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
from services.notifications.settings import NotifySettings
from services.notifications.use_cases import deliveries, inbox, jobs, preferences
from shared.auth import current_principal, require
from shared.timeutil import to_rfc3339
from shared.web import store_of

blp = Blueprint("notifications", __name__, url_prefix="/v1",
                description="Inbox, preferences, delivery log and scheduled notification jobs")


def unit_of_work() -> NotificationsUnitOfWork:
    """Outside a transaction: each write of a request stands on its own."""
    return NotificationsUnitOfWork(store_of(current_app).db)


def settings() -> NotifySettings:
    return current_app.extensions["tandem.notifications.settings"]


@blp.route("/notifications", methods=["GET"])
@require()
@blp.arguments(InboxQuery, location="query")
@blp.response(200, NotificationPage)
def list_inbox(query: dict):
    """Your inbox, newest first (an inbox is its owner's alone)."""
    recipient = access.inbox_owner(current_principal(), query.get("recipient_id"))
    return inbox.inbox_page(unit_of_work(), renderer(), recipient, unread=query["unread"], limit=query["limit"],
                            cursor=query["cursor"])


@blp.route("/notifications/<notification_id>/read", methods=["POST"])
@require()
@blp.response(200, NotificationOut)
def mark_read(notification_id: str):
    """Mark one of your notifications read (idempotent)."""
    uow = unit_of_work()
    access.check_owner(current_principal(), inbox.notification(uow, notification_id)["recipient_id"])
    return inbox.mark_read(uow, renderer(), notification_id)


@blp.route("/preferences/<employee_id>", methods=["GET"])
@require()
@blp.response(200, PreferencesOut)
def get_preferences(employee_id: str):
    """How a person wants to hear from Tandem (defaults until they say otherwise)."""
    access.check_read_preferences(current_principal(), employee_id)
    return preferences.preferences_of(unit_of_work(), employee_id)


@blp.route("/preferences/<employee_id>", methods=["PUT"])
@require()
@blp.arguments(PreferencesIn)
@blp.response(200, PreferencesOut)
def put_preferences(body: dict, employee_id: str):
    """Replace a person's preferences: email on/off, a webhook (a public address), the weekly digest,
    quiet hours."""
    access.check_write_preferences(current_principal(), employee_id)
    return preferences.save_preferences(unit_of_work(), employee_id, body,
                                        allow_private_webhooks=settings().webhook_allow_private)


@blp.route("/deliveries", methods=["GET"])
@require(access.ADMIN)
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliveryPage)
def list_deliveries(query: dict):
    """The delivery log, newest first: each notification's channels with status, attempts and every try.

    Filter by `recipient_id`, `kind`, `program_id`, `channel` and `status` (`pending`, `held`, `delivered`,
    `failed`; with `channel`, the status of that channel, otherwise of any channel).
    """
    return deliveries.delivery_log(unit_of_work(), query, limit=query["limit"], cursor=query["cursor"])


@blp.route("/jobs/<any(reminders, nudges, digests):job>:run", methods=["POST"])
@require(access.ADMIN)
@blp.arguments(JobRunIn)
@blp.response(200, JobRunOut)
def run_job(body: dict, job: str):
    """Run `reminders`, `nudges` or `digests` now, as if at `as_of`; a repeat for the same period creates nothing."""
    report = jobs.run_job(unit_of_work(), job, body["as_of"], settings().reminder_lead)
    return {"job": report.job, "as_of": to_rfc3339(report.as_of), "created": report.created,
            "already_sent": report.already_sent}
