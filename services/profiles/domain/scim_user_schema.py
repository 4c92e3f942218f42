"""The User schemas Tandem serves: core User (RFC 7643 §4.1), Enterprise User (§4.3) and Tandem's extension.

Every attribute an identity provider may send is here, with what Tandem does with it in its
description. Attributes Tandem has no use for (phone numbers, photos, passwords, ...) are accepted and
not kept, so that a provider's default mapping works, and personal data mentoring does not need never
lands in the store; they are `writeOnly` and `returned: never`, which is what a client then observes.
"""

from __future__ import annotations

from services.profiles.domain.scim_schema import Attribute, Schema

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
TANDEM_USER = "urn:ietf:params:scim:schemas:extension:tandem:2.0:User"

NOT_KEPT = {"mutability": "writeOnly", "returned": "never"}


def _text(name: str, description: str, **options) -> Attribute:
    return Attribute(name, description=description, **options)


def _not_kept(name: str, what: str, **options) -> Attribute:
    return Attribute(name, description=f"Accepted and not kept: {what}.", **{**NOT_KEPT, **options})


def _plural(name: str, what: str, types: tuple[str, ...] = ("work", "home", "other"), **options) -> Attribute:
    """A multi-valued attribute with the usual value/display/type/primary items."""
    items = (Attribute("value", **options), Attribute("display"), Attribute("type", canonical=types),
             Attribute("primary", type="boolean"))
    return Attribute(name, type="complex", multi=True, sub=items, description=what, **NOT_KEPT)


_NAME_PARTS = ("formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix")

USER = Schema(CORE_USER, "User", "A person Tandem knows: a profile written by provisioning.", (
    Attribute("id", case_exact=True, mutability="readOnly", returned="always", uniqueness="server",
              description="The Tandem employee id: employeeNumber when the User was created with one, else "
                          "'scim-' and a digest of externalId (or of userName without one). Never changes."),
    _text("externalId", "The identity provider's own id of the person.", case_exact=True),
    _text("userName", "Unique across Users, compared ignoring case.", required=True, uniqueness="server"),
    Attribute("name", type="complex", sub=tuple(Attribute(part) for part in _NAME_PARTS),
              description="Kept as sent; Tandem's name comes from displayName, else name.formatted, else "
                          "givenName and familyName."),
    _text("displayName", "Tandem's name of the person (falls back as described under name, then to userName)."),
    _not_kept("nickName", "Tandem shows one name"),
    _not_kept("profileUrl", "a link to another profile", type="reference", references=("external",)),
    _text("title", "The job title."),
    _not_kept("userType", "Tandem does not classify people by it"),
    _text("preferredLanguage", "Its primary subtag (ISO 639-1, e.g. 'de' of 'de-CH') is moved to the front of "
                               "the person's languages; a tag without such a subtag is refused."),
    _text("locale", "Kept; read like preferredLanguage when that is absent."),
    _text("timezone", "An IANA time zone (e.g. Europe/Berlin); UTC when absent."),
    Attribute("active", type="boolean", description="false: employment_status 'terminated' (analytics counts "
              "attrition); true: 'active', except that a person HR put on leave stays on leave."),
    _not_kept("password", "Tandem signs no one in"),
    Attribute("emails", type="complex", multi=True, description=(
        "Tandem keeps one address, the primary one (else the work one, else the first), and shows it as the "
        "primary work address. Required when the person is new to Tandem."), sub=(
        Attribute("value", case_exact=True, description="Compared exactly as stored, so that an eq lookup "
                                                        "is one index read."),
        Attribute("display"), Attribute("type", canonical=("work", "home", "other")),
        Attribute("primary", type="boolean"))),
    _plural("phoneNumbers", "Accepted and not kept: Tandem does not phone people.",
            ("work", "home", "mobile", "fax", "pager", "other")),
    _plural("ims", "Accepted and not kept: instant-messaging handles.",
            ("aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo")),
    _plural("photos", "Accepted and not kept: photos.", ("photo", "thumbnail"), type="reference",
            references=("external",)),
    Attribute("addresses", type="complex", multi=True, description=(
        "The locality of the primary address (else the work one, else the first) is the person's location; "
        "Tandem keeps no other part of an address."), sub=(
        *(Attribute(part) for part in ("formatted", "streetAddress", "locality", "region", "postalCode",
                                       "country")),
        Attribute("type", canonical=("work", "home", "other")), Attribute("primary", type="boolean"))),
    Attribute("groups", type="complex", multi=True, mutability="readOnly", description=(
        "Always empty: Tandem provisions no Groups."), sub=(
        Attribute("value", mutability="readOnly"), Attribute("$ref", type="reference", references=("Group",),
                                                             mutability="readOnly"),
        Attribute("display", mutability="readOnly"), Attribute("type", mutability="readOnly"))),
    _plural("entitlements", "Accepted and not kept: Tandem grants nothing by them."),
    _plural("roles", "Accepted and not kept: Tandem's own roles are mentoringRoles in its extension."),
    _plural("x509Certificates", "Accepted and not kept: certificates.", (), type="binary"),
    Attribute("meta", type="complex", mutability="readOnly", description="Set by Tandem.", sub=tuple(
        Attribute(name, type=kind, mutability="readOnly", case_exact=True) for name, kind in (
            ("resourceType", "string"), ("created", "dateTime"), ("lastModified", "dateTime"),
            ("location", "reference"), ("version", "string")))),
))

ENTERPRISE = Schema(ENTERPRISE_USER, "EnterpriseUser", "Enterprise User (RFC 7643 §4.3).", (
    _text("employeeNumber", "At creation, the Tandem employee id (so the User's id); a later change is kept "
                            "as sent and leaves the id as it is.", case_exact=True),
    _text("costCenter", "Kept as sent."),
    _text("organization", "Kept as sent."),
    _text("division", "Kept as sent."),
    _text("department", "The person's department; required when the person is new to Tandem."),
    Attribute("manager", type="complex", description="Their manager, by the manager's id; managers read "
              "their reports' progress.", sub=(
        Attribute("value", case_exact=True, description="The manager's id (a Tandem employee id)."),
        Attribute("$ref", type="reference", references=("User",)),
        Attribute("displayName", mutability="readOnly"))),
), extension=True)

TANDEM = Schema(TANDEM_USER, "TandemUser", (
    "What mentoring needs and no standard schema has. Each attribute keeps its stored value when a write "
    "omits it (people and HR set them through Tandem's own API too); null clears it to its default."), (
    Attribute("grade", type="integer", description="1–15. Required when the person is new to Tandem: "
              "matching's seniority rules and analytics' promotions depend on it, so it is never guessed."),
    Attribute("mentoringRoles", multi=True, canonical=("mentor", "mentee"), description="mentor, mentee "
              "or both; none by default."),
    Attribute("mentorCapacity", type="integer", description="0–50 mentees at once; 1 for a mentor and 0 "
              "otherwise by default."),
    Attribute("yearsExperience", type="decimal", description="0–70."),
), extension=True)

USER_SCHEMAS = (USER, ENTERPRISE, TANDEM)
