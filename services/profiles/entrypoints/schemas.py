"""HTTP bodies of the profiles API (marshmallow); unknown fields are rejected with 422."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from marshmallow import Schema, ValidationError, fields, missing, validate, validates

from shared.schemas import (
    BackfillOut,
    Email,
    EmployeeId,
    MultiLine,
    OccurredAt,
    PageQuery,
    SingleLine,
    Strict,
    page_of,
    valid_employee_id,
)

ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee
el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is
it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms
mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk
sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
yo za zh zu
""".split())

EMPLOYEE_ID = valid_employee_id  # path ids follow the same whole-value rule as ids in bodies


def HistoryMoment() -> OccurredAt:  # noqa: N802 - reads like a field type
    """`occurred_at` of HR history; absent from what a body loads when it was not sent, so a profile loaded
    without it (a live PUT, a SCIM write) has no such key to store."""
    return OccurredAt(load_default=missing)


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


class SkillSchema(Strict):
    name = SingleLine(80, min_len=1, required=True)
    level = fields.Integer(required=True, validate=validate.Range(1, 5))


class _PersonFields(Strict):
    languages = fields.List(fields.String(), validate=validate.Length(min=1, max=20))
    skills = fields.List(fields.Nested(SkillSchema), validate=validate.Length(max=100))
    interests = fields.List(SingleLine(80, min_len=1), validate=validate.Length(max=50))
    bio = MultiLine(4000, allow_none=True)
    availability_hours_per_month = fields.Float(validate=validate.Range(0, 200), allow_none=True)
    mentor_capacity = fields.Integer(validate=validate.Range(0, 50), allow_none=True)
    roles = fields.List(fields.String(validate=validate.OneOf(["mentor", "mentee"])),
                        validate=validate.Length(max=2))

    @validates("languages")
    def _iso_languages(self, value, **_):
        bad = [code for code in value if code not in ISO_639_1]
        if bad:
            raise ValidationError(f"not ISO 639-1 codes: {', '.join(map(str, bad))}")


class ProfileIn(_PersonFields):
    """PUT body: the whole profile as HR holds it."""

    name = SingleLine(200, min_len=1, required=True)
    email = Email(required=True)
    title = SingleLine(200, allow_none=True)
    department = SingleLine(120, min_len=1, required=True)
    location = SingleLine(200, allow_none=True)
    timezone = SingleLine(64)
    manager_id = EmployeeId(allow_none=True)
    grade = fields.Integer(required=True, validate=validate.Range(1, 15))
    years_experience = fields.Float(validate=validate.Range(0, 70), allow_none=True)
    roles = fields.List(fields.String(validate=validate.OneOf(["mentor", "mentee"])), required=True,
                        validate=validate.Length(max=2))
    employment_status = fields.String(validate=validate.OneOf(["active", "leave", "terminated"]))
    occurred_at = HistoryMoment()

    @validates("timezone")
    def _iana(self, value, **_):
        if value not in _timezones():
            raise ValidationError("not an IANA time zone (e.g. Europe/Berlin)")


class ImportRow(ProfileIn):
    employee_id = EmployeeId(required=True)


class ProfilePatch(_PersonFields):
    """PATCH body: self-service fields only; HR fields are rejected as unknown."""


class ProfileOut(Schema):
    employee_id = fields.String()
    name = fields.String()
    email = fields.String()
    title = fields.String(allow_none=True)
    department = fields.String()
    location = fields.String(allow_none=True)
    timezone = fields.String()
    languages = fields.List(fields.String())
    manager_id = fields.String(allow_none=True)
    grade = fields.Integer()
    years_experience = fields.Float(allow_none=True)
    skills = fields.List(fields.Nested(SkillSchema))
    interests = fields.List(fields.String())
    roles = fields.List(fields.String())
    mentor_capacity = fields.Integer()
    availability_hours_per_month = fields.Float(allow_none=True)
    bio = fields.String(allow_none=True)
    employment_status = fields.String()
    version = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()


class ProfileQuery(PageQuery):
    department = fields.String()
    role = fields.String(validate=validate.OneOf(["mentor", "mentee"]))
    skill = fields.String()
    manager_id = fields.String()


ProfilePage = page_of(ProfileOut)


class ImportFailure(Schema):
    index = fields.Integer()
    employee_id = fields.String(allow_none=True)
    errors = fields.Dict()


class ImportResult(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    failed = fields.List(fields.Nested(ImportFailure))


class MilestoneSchema(Strict):
    title = SingleLine(200, min_len=1, required=True)
    done = fields.Boolean(load_default=False)


class GoalIn(Strict):
    title = SingleLine(200, min_len=1, required=True)
    description = MultiLine(5000, load_default=None, allow_none=True)
    target_skills = fields.List(SingleLine(80, min_len=1), load_default=list, validate=validate.Length(max=20))
    due_on = fields.Date(load_default=None, allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneSchema), load_default=list, validate=validate.Length(max=30))
    occurred_at = HistoryMoment()


class GoalPatch(Strict):
    progress = fields.Integer(validate=validate.Range(0, 100))
    status = fields.String(validate=validate.OneOf(["active", "completed", "abandoned"]))
    occurred_at = HistoryMoment()


class GoalOut(Schema):
    goal_id = fields.String()
    employee_id = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    target_skills = fields.List(fields.String())
    due_on = fields.String(allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneSchema))
    status = fields.String()
    progress = fields.Integer()
    version = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()


GoalPage = page_of(GoalOut)
BackfillPage = page_of(BackfillOut)
