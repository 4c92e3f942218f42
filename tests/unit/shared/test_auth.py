"""Token verification and the role/ownership rules every service relies on."""

import time

import jwt
import pytest

from shared.auth import Principal, TokenVerifier, issue_token
from shared.errors import Unauthorized

SECRET = "unit-secret-0123456789abcdef0123456789abcdef"


def claims(**extra):
    return jwt.encode({"sub": "u", "roles": ["employee"], "employee_id": "E1", "exp": int(time.time()) + 60,
                       **extra}, SECRET, algorithm="HS256")


def test_valid_token_gives_the_principal():
    token = issue_token(SECRET, sub="u1", roles=["employee"], employee_id="E1")
    principal = TokenVerifier(SECRET).verify(token)
    assert principal == Principal(sub="u1", roles=frozenset({"employee"}), employee_id="E1")
    assert principal.is_self("E1") and not principal.is_self("E2")


@pytest.mark.parametrize("token", [
    claims(employee_id={"$ne": None}), claims(employee_id=["E1"]), claims(employee_id=7),
    claims(employee_id="E1\n"), claims(sub={"$gt": ""}), claims(sub=12), claims(sub=""),
    claims(roles=["employee", "bogus"]), claims(roles=[{"$ne": 1}]), claims(roles={"employee": True}),
    claims(roles="employee"),
])
def test_claims_of_the_wrong_type_make_the_token_invalid(token):
    with pytest.raises(Unauthorized):
        TokenVerifier(SECRET).verify(token)


def test_a_token_without_roles_may_do_nothing_not_even_as_its_employee():
    principal = TokenVerifier(SECRET).verify(jwt.encode({"sub": "u", "employee_id": "E1",
                                                         "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"))
    assert principal.roles == frozenset() and not principal.is_self("E1") and principal.employee_id is None


def test_the_issuer_is_checked_when_configured():
    verifier = TokenVerifier(SECRET, issuer="tandem-local")
    for token in (issue_token(SECRET, sub="u", roles=["employee"]),
                  issue_token(SECRET, sub="u", roles=["employee"], issuer="someone-else")):
        with pytest.raises(Unauthorized):
            verifier.verify(token)
    assert verifier.verify(issue_token(SECRET, sub="u", roles=["employee"], issuer="tandem-local")).sub == "u"


@pytest.mark.parametrize("token", [
    "not-a-jwt",
    jwt.encode({"sub": "u", "roles": [], "exp": int(time.time()) - 10}, SECRET, algorithm="HS256"),
    jwt.encode({"sub": "u", "roles": [], "exp": int(time.time()) + 60}, "another-secret-0123456789abcdef012345",
               algorithm="HS256"),
    jwt.encode({"sub": "u", "roles": []}, SECRET, algorithm="HS256"),
    jwt.encode({"sub": "u", "roles": "hr_admin", "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),
])
def test_expired_forged_or_malformed_tokens_are_unauthorized(token):
    with pytest.raises(Unauthorized):
        TokenVerifier(SECRET).verify(token)


def test_audience_is_checked_when_configured():
    verifier = TokenVerifier(SECRET, audience="tandem")
    with pytest.raises(Unauthorized):
        verifier.verify(issue_token(SECRET, sub="u", roles=[], audience="other"))
    assert verifier.verify(issue_token(SECRET, sub="u", roles=[], audience="tandem")).sub == "u"


def test_a_verifier_needs_a_key():
    with pytest.raises(ValueError):
        TokenVerifier()
