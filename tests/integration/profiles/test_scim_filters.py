"""Filters and paging of GET /scim/v2/Users against the real store (RFC 7644 §3.4.2)."""

import pytest

from tests.integration.profiles.scim_support import ENTERPRISE_USER, SCIM, identity_provider, okta_user, patch
from tests.support.http import Client


@pytest.fixture
def idp(profiles) -> Client:
    return identity_provider(profiles.url)


@pytest.fixture
def team(idp, uid) -> list[dict]:
    """Six Users whose userNames start with `team.<uid>.`; the odd ones deactivated, two with a title."""
    users = []
    for i in range(6):
        extra = {"title": "Lead (interim)"} if i in (1, 4) else {}
        user = okta_user(f"{uid}{i}", user_name=f"team.{uid}.{i}@example.com", externalId=f"okta-{uid}-{i}",
                         displayName=["Ana", "Bo", "Cy", "Di", "Ed", "Flo"][i], **extra)
        user["name"]["givenName"] = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"][i]
        created = idp.post("/scim/v2/Users", json=user)
        assert created.status_code == 201, created.text
        if i % 2:
            idp.patch(f"/scim/v2/Users/{created.json()['id']}", json=patch({"op": "replace", "path": "active",
                                                                            "value": False}))
        users.append(idp.get(f"/scim/v2/Users/{created.json()['id']}").json())
    return users


def names(idp: Client, uid: str, condition: str, **params) -> list[str]:
    """The displayNames of the team members `condition` finds, in the order the service answers."""
    found = idp.get("/scim/v2/Users", params={"filter": f'userName sw "team.{uid}." and ({condition})', **params})
    assert found.status_code == 200 and found.headers["Content-Type"] == SCIM, found.text
    return [user["displayName"] for user in found.json()["Resources"]]


def test_the_operators_an_identity_provider_uses(idp, team, uid):
    assert names(idp, uid, f'userName eq "TEAM.{uid}.2@EXAMPLE.COM"') == ["Cy"]
    assert names(idp, uid, 'userName ew ".3@example.com"') == ["Di"]
    assert names(idp, uid, f'userName co "{uid}.4@"') == ["Ed"]
    assert names(idp, uid, f'externalId eq "okta-{uid}-5"') == ["Flo"]
    assert names(idp, uid, f'emails.value eq "team.{uid}.0@example.com"') == ["Ana"]
    assert names(idp, uid, 'name.givenName eq "bo"') == ["Bo"]  # names compare ignoring case
    assert names(idp, uid, 'displayName sw "f"') == ["Flo"]
    assert sorted(names(idp, uid, "title pr")) == ["Bo", "Ed"]
    assert sorted(names(idp, uid, "active eq false")) == ["Bo", "Di", "Flo"]
    assert sorted(names(idp, uid, f'{ENTERPRISE_USER}:department eq "sales" and active eq true')) == ["Ana", "Cy", "Ed"]


def test_and_or_not_and_parentheses(idp, team, uid):
    assert sorted(names(idp, uid, 'displayName eq "Ana" or displayName eq "Bo" and active eq true')) == ["Ana"]
    assert sorted(names(idp, uid, '(displayName eq "Ana" or displayName eq "Bo") and active eq false')) == ["Bo"]
    assert sorted(names(idp, uid, 'not (active eq false) and not (title pr)')) == ["Ana", "Cy"]


def test_filter_values_are_literals_never_patterns(idp, team, uid):
    assert sorted(names(idp, uid, 'title co "(interim)"')) == ["Bo", "Ed"]
    assert names(idp, uid, 'title co ".*"') == [] and names(idp, uid, 'displayName co "A|B"') == []


def test_last_modified_orders_as_an_instant(idp, team, uid):
    third = team[2]["meta"]["lastModified"]
    assert sorted(names(idp, uid, f'meta.lastModified gt "{third}"')) == ["Di", "Ed", "Flo"]  # written later
    assert sorted(names(idp, uid, f'meta.lastModified ge "{third}" and active eq true')) == ["Cy", "Ed"]
    assert names(idp, uid, 'meta.lastModified lt "2000-01-01T00:00:00+01:00"') == []


def test_paging_with_start_index_and_count(idp, team, uid):
    everyone = idp.get("/scim/v2/Users", params={"filter": f'userName sw "team.{uid}."'}).json()
    ids = [user["id"] for user in everyone["Resources"]]
    assert everyone["totalResults"] == 6 and ids == sorted(ids) and everyone["startIndex"] == 1
    page = idp.get("/scim/v2/Users", params={"filter": f'userName sw "team.{uid}."', "startIndex": 3,
                                             "count": 2}).json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (6, 3, 2)
    assert [user["id"] for user in page["Resources"]] == ids[2:4]
    counted = idp.get("/scim/v2/Users", params={"filter": f'userName sw "team.{uid}."', "count": 0}).json()
    assert counted["totalResults"] == 6 and counted["Resources"] == []
    beyond = idp.get("/scim/v2/Users", params={"filter": f'userName sw "team.{uid}."', "startIndex": 99}).json()
    assert beyond["totalResults"] == 6 and beyond["Resources"] == []


def test_without_a_filter_every_provisioned_user_is_listed(idp, team):
    first = idp.get("/scim/v2/Users", params={"count": 500}).json()
    assert first["totalResults"] >= 6 and len(first["Resources"]) == min(first["totalResults"], 500)
