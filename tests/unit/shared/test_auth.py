"""Token verification and the role/ownership rules every service relies on."""

import time

import jwt
import pytest

from shared.auth import Principal, TokenVerifier, issue_token
from shared.errors import Unauthorized

SECRET = "unit-secret-0123456789abcdef0123456789abcdef"


def test_valid_token_gives_the_principal():
    token = issue_token(SECRET, sub="u1", roles=["employee", "bogus"], employee_id="E1")
    principal = TokenVerifier(SECRET).verify(token)
    assert principal == Principal(sub="u1", roles=frozenset({"employee"}), employee_id="E1")
    assert principal.is_self("E1") and not principal.is_self("E2")


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
