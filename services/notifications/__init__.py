"""Notifications service: tells mentors, mentees, managers and admins what they need to know, once.

Rules (DESIGN.md §4; pure logic in `domain/`): pair introduction on `mentorship.proposed`, the mentee's
manager on `mentorship.started` and `goal.completed`, session reminders 24 h ahead with an .ics invite,
check-in nudges (program admin at twice the cadence), a weekly manager digest. Each notification has a
deterministic id per (rule, recipient, occasion), e.g. `intro:<mentorship>:<recipient>`,
`nudge:<mentorship>:<anchor>-<period>:<recipient>`, `digest:<manager>:<ISO week>`; a second insert is a no-op.

HTTP (besides the contract's routes): `GET /v1/deliveries?recipient_id=&kind=&program_id=&channel=&status=`
(program_admin) lists notifications newest first with every channel's status, attempts and attempt log.

Settings beyond the shared ones (`settings.py`): NOTIFY_RETRY_BASE_SECONDS (30), NOTIFY_RETRY_FACTOR (2),
NOTIFY_RETRY_MAX_SECONDS (3600), NOTIFY_MAX_ATTEMPTS (5), NOTIFY_DISPATCH_POLL_SECONDS (1),
NOTIFY_DISPATCH_BATCH (100), NOTIFY_DISPATCH_THREADS (2), NOTIFY_CLAIM_SECONDS (120),
NOTIFY_JOB_EVERY_SECONDS (300), NOTIFY_REMINDER_LEAD_HOURS (24), NOTIFY_SEND_TIMEOUT_SECONDS (10),
NOTIFY_CONSUMER_GROUP (notifications).
"""
