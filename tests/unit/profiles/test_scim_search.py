"""What a filter asks of the store: resolved profile fields, allowed operators, clean values, paging bounds."""

import pytest

from services.profiles.domain.scim_errors import InvalidFilter
from services.profiles.domain.scim_filter import parse_filter
from services.profiles.domain.scim_search import Condition, Junction, Negation, page_bounds, plan
from services.profiles.domain.scim_user_schema import ENTERPRISE_USER, TANDEM_USER


def planned(text: str):
    return plan(parse_filter(text))


def test_user_name_is_compared_case_folded_on_its_key():
    assert planned('userName eq "Yara.Haddad@Example.com"') == Condition(
        "scim.user_name_key", "folded", "eq", "yara.haddad@example.com")
    assert planned('USERNAME sw "YARA"') == Condition("scim.user_name_key", "folded", "sw", "yara")


def test_attributes_resolve_to_the_profile_fields_they_map_to():
    assert planned('externalId eq "00u1"') == Condition("scim.external_id", "exact", "eq", "00u1")
    assert planned('emails eq "y@example.com"') == planned('emails.value eq "y@example.com"') == Condition(
        "email", "exact", "eq", "y@example.com")
    assert planned(f'{ENTERPRISE_USER}:manager eq "M7"') == Condition("manager_id", "exact", "eq", "M7")
    assert planned('employeeNumber eq "E1"') == Condition("scim.employee_number", "exact", "eq", "E1")
    assert planned('name.familyName co "dad"') == Condition("scim.name.familyName", "text", "co", "dad")
    assert planned("active eq false") == Condition("employment_status", "active", "eq", False)
    assert planned("title pr") == Condition("title", "text", "pr")


def test_dates_are_normalised_to_the_stored_format_so_they_order_as_instants():
    assert planned('meta.lastModified gt "2026-03-01T12:00:00+02:00"').value == "2026-03-01T10:00:00.000000Z"
    assert planned('meta.created le "2026-03-01T10:00:00Z"').value == "2026-03-01T10:00:00.000000Z"


def test_chains_of_one_operator_are_flat_and_groups_nest():
    query = planned('userName sw "a" and title pr and active eq true or (not (title co "x") and id eq "E1")')
    assert isinstance(query, Junction) and query.op == "or" and len(query.parts) == 2
    first, second = query.parts
    assert first.op == "and" and len(first.parts) == 3
    assert second.op == "and" and isinstance(second.parts[0], Negation)
    assert len(planned(" and ".join(f'userName ne "u{i}"' for i in range(150))).parts) == 150


@pytest.mark.parametrize("text", [
    'favouriteColour eq "teal"', 'nickName eq "Y"', 'phoneNumbers.value eq "1"', 'title gt "a"', 'active co "t"',
    'active eq "yes"', 'meta.lastModified gt "last tuesday"', 'meta.lastModified gt "99999-01-01T00:00:00Z"',
    'userName eq 7', 'userName eq null', 'emails[type eq "work"]', 'urn:example:unknown:colour eq "x"',
    f'{ENTERPRISE_USER}:shoeSize eq 9', 'name.nick eq "Y"', f'{TANDEM_USER}:grade eq "6"',
])
def test_what_cannot_be_searched_so_is_an_invalid_filter(text):
    with pytest.raises(InvalidFilter):
        planned(text)


@pytest.mark.parametrize(("start", "count", "bounds"), [
    (None, None, (1, 100)), (0, 10, (1, 10)), (-5, -1, (1, 0)), (11, 10_000, (11, 500)), (3, 0, (3, 0)),
])
def test_paging_follows_rfc_7644(start, count, bounds):
    assert page_bounds(start, count) == bounds
