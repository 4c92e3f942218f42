"""Walking the management chain in HR data that may be cyclic."""

from shared.org_chart import walk_chain


def test_management_chains_stop_at_the_top_and_at_cycles():
    managers = {"a": "b", "b": "c", "c": None, "x": "y", "y": "x"}
    assert walk_chain("a", managers.get) == ("b", "c")
    assert walk_chain("x", managers.get) == ("y",)
    assert walk_chain("c", managers.get) == ()
    assert walk_chain("a", managers.get, first="c") == ("c",)
