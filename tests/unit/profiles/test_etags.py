"""If-Match: which versions it names, so that a tag the API never issued is a 412, not a 400."""

from services.profiles.entrypoints.etags import etag_of, versions_in


def test_no_header_or_a_star_sets_no_precondition():
    assert versions_in(None) is None and versions_in(" * ") is None


def test_the_etags_the_api_issues_name_their_versions():
    assert versions_in(etag_of({"version": 3})["ETag"]) == {3}
    assert versions_in('"3", W/"4"') == {3, 4}


def test_a_tag_the_api_never_issued_names_no_version():
    for header in ('"stale-version"', '"³"', '""', "", '"-1"'):
        assert versions_in(header) == frozenset(), header
