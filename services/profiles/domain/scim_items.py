"""The items of a multi-valued attribute a PATCH value filter picks (`emails[type eq "work"]`), and the
item an `eq`-only filter describes, for an add that finds none.

Comparisons follow RFC 7644 §3.4.2.2 on one item's sub-attributes: strings ignore case unless the
sub-attribute is caseExact; ordering applies to strings and numbers alike, never across types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.profiles.domain.scim_errors import InvalidPath
from services.profiles.domain.scim_filter import AttrPath, Compare, Logical, Node, Not
from services.profiles.domain.scim_reading import checked
from services.profiles.domain.scim_schema import Attribute


def matches(node: Node, item: Mapping[str, Any], attr: Attribute) -> bool:
    """Whether one item of a multi-valued attribute passes a value filter (comparisons on its sub-attributes)."""
    if isinstance(node, Logical):
        left = matches(node.left, item, attr)
        return (left and matches(node.right, item, attr)) if node.op == "and" else (
            left or matches(node.right, item, attr))
    if isinstance(node, Not):
        return not matches(node.inner, item, attr)
    sub = _sub_attribute(attr, node.path)
    actual = item.get(sub.name)
    if not isinstance(node, Compare):
        return actual not in (None, "", [])
    return _compare(node.op, actual, node.value, sub.case_exact)


def _sub_attribute(attr: Attribute, path: AttrPath) -> Attribute:
    sub = attr.child(path.name) if path.uri is None and path.sub is None else None
    if sub is None:
        raise InvalidPath(f"{attr.name}[...] filters on its own sub-attributes, not {path.name!r}")
    return sub


def _compare(op: str, actual: Any, expected: Any, case_exact: bool) -> bool:
    if isinstance(actual, str) and isinstance(expected, str) and not case_exact:
        actual, expected = actual.casefold(), expected.casefold()
    if op in ("eq", "ne"):
        return (actual == expected) == (op == "eq")
    if not isinstance(actual, str) or not isinstance(expected, str):
        comparable = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (actual, expected))
        return comparable and op in ("gt", "ge", "lt", "le") and _ordered(op, actual, expected)
    if op in ("co", "sw", "ew"):
        return {"co": expected in actual, "sw": actual.startswith(expected), "ew": actual.endswith(expected)}[op]
    return _ordered(op, actual, expected)


def _ordered(op: str, actual: Any, expected: Any) -> bool:
    return {"gt": actual > expected, "ge": actual >= expected, "lt": actual < expected, "le": actual <= expected}[op]


def seed(node: Node, attr: Attribute) -> dict[str, Any] | None:
    """The item an `eq`-only filter describes (`type eq "work"` -> {"type": "work"}); None for any other."""
    if isinstance(node, Logical) and node.op == "and":
        left, right = seed(node.left, attr), seed(node.right, attr)
        return {**left, **right} if left is not None and right is not None else None
    if isinstance(node, Compare) and node.op == "eq":
        sub = _sub_attribute(attr, node.path)
        return {sub.name: checked(sub, node.value)}
    return None
