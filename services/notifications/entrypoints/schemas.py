"""HTTP bodies and queries of the notifications API (marshmallow; unknown fields are 422)."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from services.notifications.adapters.notifications import CHANNELS
from services.notifications.domain.delivery import FINAL, OPEN
from services.notifications.domain.notices import KINDS
from services.notifications.domain.quiet_hours import parse_clock
from shared.schemas import EmployeeId, PageQuery, SingleLine, Strict, page_of, single_line

EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9998, 12, 31, tzinfo=UTC)


class Moment(fields.String):
    """An RFC 3339 timestamp with a time and an offset, as an aware UTC datetime within 1970–9998."""

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        text = super()._deserialize(value, attr, data, **kwargs)
        single_line(text)
        try:
            moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationError("must be an RFC 3339 timestamp, e.g. 2031-01-13T09:00:00Z") from exc
        if "T" not in text.upper() or moment.tzinfo is None:
            raise ValidationError("must be an RFC 3339 timestamp with a time and an offset (Z or ±hh:mm)")
        try:
            moment = moment.astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise ValidationError("must be a moment between 1970 and 9998") from exc
        if not EARLIEST <= moment <= LATEST:
            raise ValidationError("must be a moment between 1970 and 9998")
        return moment


class InboxQuery(PageQuery):
    recipient_id = EmployeeId(metadata={"description": "your own employee_id (the default)"})
    unread = fields.Boolean(load_default=False)


class DeliveryQuery(PageQuery):
    recipient_id = EmployeeId()
    status = fields.String(validate=validate.OneOf(OPEN + FINAL))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    kind = fields.String(validate=validate.OneOf(KINDS))
    program_id = SingleLine(128)


class QuietHours(Strict):
    start = SingleLine(5, required=True, metadata={"example": "22:00"})
    end = SingleLine(5, required=True, metadata={"example": "07:00"})

    @validates("start", "end")
    def _clock(self, value, **_):
        try:
            parse_clock(value)
        except ValueError as exc:
            raise ValidationError("must be HH:MM between 00:00 and 23:59") from exc

    @validates_schema
    def _not_empty(self, data, **_):
        if data.get("start") and data.get("start") == data.get("end"):
            raise ValidationError("start and end must differ", "end")


class PreferencesIn(Strict):
    """The whole preference set (PUT replaces it); omitted fields take their defaults."""

    email = fields.Boolean(load_default=True)
    webhook_url = fields.Url(load_default=None, allow_none=True, schemes={"http", "https"}, require_tld=False,
                             validate=[validate.Length(max=2000), single_line],
                             metadata={"description": "a public http(s) address without credentials"})
    digest = fields.String(load_default="weekly", validate=validate.OneOf(["weekly", "off"]))
    quiet_hours = fields.Nested(QuietHours, load_default=None, allow_none=True,
                                metadata={"description": "in the person's time zone (from their profile)"})


class PreferencesOut(Schema):
    employee_id = fields.String()
    email = fields.Boolean()
    webhook_url = fields.String(allow_none=True)
    digest = fields.String()
    quiet_hours = fields.Nested(QuietHours, allow_none=True)
    updated_at = fields.String(allow_none=True)


class NotificationOut(Schema):
    notification_id = fields.String()
    recipient_id = fields.String()
    kind = fields.String()
    program_id = fields.String(allow_none=True)
    subject = fields.String()
    text = fields.String()
    html = fields.String()
    facts = fields.Dict()
    created_at = fields.String()
    read_at = fields.String(allow_none=True)
    channels = fields.Dict(keys=fields.String(), values=fields.String())


NotificationPage = page_of(NotificationOut)


class AttemptOut(Schema):
    at = fields.String()
    attempt = fields.Integer()
    outcome = fields.String(metadata={"description": "delivered | retrying | failed | held"})
    detail = fields.String(allow_none=True)


class ChannelDeliveryOut(Schema):
    channel = fields.String()
    status = fields.String(metadata={"description": "pending | held | delivered | failed"})
    attempts = fields.Integer()
    next_attempt_at = fields.String(allow_none=True)
    delivered_at = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    log = fields.List(fields.Nested(AttemptOut))


class DeliveryOut(Schema):
    notification_id = fields.String()
    recipient_id = fields.String()
    kind = fields.String()
    program_id = fields.String(allow_none=True)
    created_at = fields.String()
    deliveries = fields.List(fields.Nested(ChannelDeliveryOut))


DeliveryPage = page_of(DeliveryOut)


class JobRunIn(Strict):
    as_of = Moment(required=True, metadata={"example": "2031-01-13T09:00:00Z", "format": "date-time"})


class JobRunOut(Schema):
    job = fields.String()
    as_of = fields.String()
    created = fields.Integer(metadata={"description": "notifications created by this run"})
    already_sent = fields.Integer(metadata={"description": "due notifications an earlier run had created"})
