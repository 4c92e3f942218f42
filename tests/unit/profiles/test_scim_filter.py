"""The SCIM filter and PATCH path grammar (RFC 7644 §3.4.2.2, §3.5.2): what an identity provider writes."""

import pytest

from services.profiles.domain.scim_errors import InvalidFilter, InvalidPath
from services.profiles.domain.scim_filter import (
    AttrPath,
    Compare,
    Logical,
    Not,
    PatchPath,
    Present,
    ValuePath,
    parse_filter,
    parse_path,
)

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def eq(name: str, value, sub: str | None = None, uri: str | None = None) -> Compare:
    return Compare(AttrPath(uri, name, sub), "eq", value)


def test_the_lookup_an_identity_provider_makes_before_every_push():
    assert parse_filter('userName eq "yara@example.com"') == eq("userName", "yara@example.com")


def test_keywords_are_case_insensitive_and_values_keep_their_case():
    assert parse_filter('userName EQ "Yara" AND active Eq TRUE') == Logical(
        "and", eq("userName", "Yara"), eq("active", True))


def test_and_binds_tighter_than_or_and_parentheses_group():
    a, b, c = eq("a", 1), eq("b", 2), eq("c", 3)
    assert parse_filter("a eq 1 or b eq 2 and c eq 3") == Logical("or", a, Logical("and", b, c))
    assert parse_filter("(a eq 1 or b eq 2) and c eq 3") == Logical("and", Logical("or", a, b), c)
    assert parse_filter("a eq 1 and b eq 2 and c eq 3") == Logical("and", Logical("and", a, b), c)


def test_not_present_and_every_comparison_operator():
    assert parse_filter('not (userName sw "a")') == Not(Compare(AttrPath(None, "userName"), "sw", "a"))
    assert parse_filter("title pr") == Present(AttrPath(None, "title"))
    for op in ("eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"):
        assert parse_filter(f'meta.lastModified {op} "2026-01-01T00:00:00Z"').op == op


def test_sub_attributes_and_schema_qualified_names():
    assert parse_filter('name.givenName co "ya"') == Compare(AttrPath(None, "name", "givenName"), "co", "ya")
    assert parse_filter(f'{ENTERPRISE}:manager.value eq "M1"') == eq("manager", "M1", "value", ENTERPRISE)
    assert parse_filter(f'{ENTERPRISE}:employeeNumber eq "E1"') == eq("employeeNumber", "E1", uri=ENTERPRISE)


def test_values_are_json_strings_numbers_booleans_and_null():
    assert parse_filter(r'displayName eq "say \"hi\" \u00e9"').value == 'say "hi" é'
    assert parse_filter("x eq -1.5e2").value == -150.0
    assert parse_filter("x eq 42").value == 42
    assert parse_filter("x eq false").value is False
    assert parse_filter("x eq null").value is None
    assert parse_filter('x eq "and or not ( ) [ ]"').value == "and or not ( ) [ ]"


def test_a_value_path_filters_the_items_of_a_multi_valued_attribute():
    work_at_example = Logical("and", eq("type", "work"), Compare(AttrPath(None, "value"), "co", "@example.com"))
    assert parse_filter('emails[type eq "work" and value co "@example.com"]') == ValuePath(
        AttrPath(None, "emails"), work_at_example)


@pytest.mark.parametrize("text", [
    "", "   ", 'userName eq', "userName eq bjensen", 'userName xx "a"', 'userName eq "unterminated',
    '(userName eq "a"', 'userName eq "a")', 'userName eq "a" "b"', 'not userName eq "a"', 'userName eq "a" and',
    'emails[type eq "work"', 'emails[addresses[type eq "work"]]', '1abc eq "a"', 'name.given.name eq "a"',
    'userName eq "a" or', 'emails[type eq "work"].value eq "x"', 'userName pr "a"', "and", "x eq tru",
])
def test_what_the_grammar_refuses_is_an_invalid_filter(text):
    with pytest.raises(InvalidFilter):
        parse_filter(text)


def test_nesting_deep_enough_to_exhaust_the_stack_is_an_invalid_filter_not_a_crash():
    with pytest.raises(InvalidFilter):
        parse_filter("(" * 1_500 + 'userName eq "a"' + ")" * 1_500)  # within MAX_LENGTH: the depth limit acts
    with pytest.raises(InvalidFilter):
        parse_filter("not (" * 600 + 'userName eq "a"' + ")" * 600)
    with pytest.raises(InvalidFilter):
        parse_filter('userName eq "' + "a" * 5_000 + '"')


def test_long_chains_of_and_are_not_nesting():
    text = " and ".join(f'userName ne "u{i}"' for i in range(150))
    assert isinstance(parse_filter(text), Logical)


def test_patch_paths_name_an_attribute_a_sub_attribute_or_filtered_items():
    assert parse_path("active") == PatchPath(AttrPath(None, "active"))
    assert parse_path("name.familyName") == PatchPath(AttrPath(None, "name", "familyName"))
    assert parse_path(f"{ENTERPRISE}:manager") == PatchPath(AttrPath(ENTERPRISE, "manager"))
    work_email = PatchPath(AttrPath(None, "emails"), eq("type", "work"), "value")
    assert parse_path('emails[type eq "work"].value') == work_email
    assert parse_path('addresses[type eq "work"]') == PatchPath(AttrPath(None, "addresses"), eq("type", "work"))


@pytest.mark.parametrize("text", [
    "", 'emails[type eq "work"].value.extra', "name.givenName.x", 'emails[type eq "work"]value', "emails[]",
    'name.givenName[type eq "x"]', 'userName eq "x"', "two words", 'emails[type eq "work"].',
])
def test_what_is_not_a_path_is_an_invalid_path(text):
    with pytest.raises(InvalidPath):
        parse_path(text)
