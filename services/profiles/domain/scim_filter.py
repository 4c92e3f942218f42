"""The SCIM filter and PATCH path grammar (RFC 7644 §3.4.2.2 and §3.5.2): text to a small syntax tree.

The problem. An identity provider finds a person with `GET /Users?filter=userName eq "yara@example.com"`
before every push, and changes one with PATCH operations whose `path` is written in the same language
(`emails[type eq "work"].value`). The text comes from outside, so it must be read exactly as the RFC
defines it, and anything else must become a 400 `invalidFilter` (`invalidPath` for a PATCH path), never
a crash: not a RecursionError on ten thousand parentheses, not a regular expression built from it.

The grammar, as parsed here (keywords and `true`/`false`/`null` in any case, as ABNF strings are):

    filter     = and *("or" and)                   ; "or" binds loosest
    and        = unary *("and" unary)
    unary      = "not" "(" filter ")" / "(" filter ")" / attrExp / valuePath
    attrExp    = attrPath "pr" / attrPath compareOp compValue
    valuePath  = attrPath "[" valFilter "]"        ; valFilter: a filter over sub-attributes, no valuePath
    compareOp  = "eq" / "ne" / "co" / "sw" / "ew" / "gt" / "lt" / "ge" / "le"
    compValue  = JSON string / JSON number / "true" / "false" / "null"
    attrPath   = [schemaURN ":"] name ["." subName]
    path       = attrPath / attrPath "[" valFilter "]" ["." subName]      ; a PATCH operation's `path`

So `a or b and c` is `a or (b and c)`, and `a and b and c` is `(a and b) and c`; `not` needs its
parentheses, as in the RFC. A URN prefix ends at the last colon (attribute names have none), which is
how `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value` splits although the URN
itself holds dots.

The algorithm. One left-to-right pass cuts the text into tokens (brackets, parentheses, JSON strings,
and words: runs of anything else); a recursive-descent parser then has one method per rule above.
`and`/`or` chains are loops, so only parentheses and `not` nest, and they are counted: past MAX_DEPTH
the filter is refused before the stack is at risk. The tree names attributes as written; whether they
exist, which schema they belong to and what they may be compared with is `scim_attributes`' to decide.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from services.profiles.domain.scim_errors import InvalidFilter, InvalidPath, ScimError

MAX_LENGTH = 4096  # an IdP's lookup is a few dozen characters
MAX_DEPTH = 32
OPERATORS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"})

_TOKEN = re.compile(r'\s*(?:(?P<punct>[()\[\]])|(?P<string>"(?:[^"\\]|\\.)*")|(?P<word>[^\s()\[\]"]+))')
_NAME = r"\$?[A-Za-z][A-Za-z0-9_-]*"
_ATTR_PATH = re.compile(rf"(?:(?P<uri>urn:\S+):)?(?P<name>{_NAME})(?:\.(?P<sub>{_NAME}))?", re.IGNORECASE)
_SUB = re.compile(rf"\.(?P<sub>{_NAME})")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


@dataclass(frozen=True)
class AttrPath:
    uri: str | None  # the schema URN as written, or None
    name: str
    sub: str | None = None


@dataclass(frozen=True)
class Compare:
    path: AttrPath
    op: str
    value: Any


@dataclass(frozen=True)
class Present:
    path: AttrPath


@dataclass(frozen=True)
class Logical:
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    inner: Node


@dataclass(frozen=True)
class ValuePath:
    path: AttrPath  # the multi-valued attribute
    filter: Node  # over its sub-attributes


Node = Compare | Present | Logical | Not | ValuePath


@dataclass(frozen=True)
class PatchPath:
    attr: AttrPath
    filter: Node | None = None  # `emails[type eq "work"]`: which items
    sub: str | None = None  # `...].value`: which sub-attribute of them


def parse_filter(text: str) -> Node:
    """The syntax tree of a `filter` query parameter; InvalidFilter when it is not one."""
    parser = _Parser(text, InvalidFilter)
    node = parser.filter(inside=False)
    parser.end()
    return node


def parse_path(text: str) -> PatchPath:
    """The target of a PATCH operation; InvalidPath when `text` is not a path."""
    parser = _Parser(text, InvalidPath)
    path = parser.patch_path()
    parser.end()
    return path


@dataclass(frozen=True)
class _Token:
    kind: str  # "punct" | "string" | "word"
    text: str
    at: int


class _Parser:
    def __init__(self, text: str, error: type[ScimError]):
        self._error, self._depth, self._next = error, 0, 0
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_LENGTH:
            raise error(f"expected a non-empty expression of at most {MAX_LENGTH} characters")
        self._tokens = self._tokenize(text)

    def _tokenize(self, text: str) -> list[_Token]:
        tokens, at = [], 0
        while text[at:].strip():
            match = _TOKEN.match(text, at)
            if match is None:
                raise self._error(f"unexpected character at position {at + len(text[at:]) - len(text[at:].lstrip())}")
            kind = match.lastgroup
            tokens.append(_Token(kind, match.group(kind), match.start(kind)))
            at = match.end()
        return tokens

    # -- the rules ------------------------------------------------------------------------------------
    def filter(self, *, inside: bool) -> Node:
        node = self._conjunction(inside)
        while self._keyword("or"):
            node = Logical("or", node, self._conjunction(inside))
        return node

    def _conjunction(self, inside: bool) -> Node:
        node = self._unary(inside)
        while self._keyword("and"):
            node = Logical("and", node, self._unary(inside))
        return node

    def _unary(self, inside: bool) -> Node:
        if self._keyword("not"):
            self._expect("(")
            return Not(self._group(inside))
        if self._punct("("):
            return self._group(inside)
        return self._attribute_expression(inside)

    def _group(self, inside: bool) -> Node:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise self._error(f"parentheses nest deeper than {MAX_DEPTH}")
        node = self.filter(inside=inside)
        self._expect(")")
        self._depth -= 1
        return node

    def _attribute_expression(self, inside: bool) -> Node:
        path = self._attr_path()
        if self._punct("["):
            if inside or path.sub:
                raise self._error("a value filter follows a multi-valued attribute, and cannot hold another")
            node = ValuePath(path, self.filter(inside=True))
            self._expect("]")
            return node
        op = self._word("an operator").lower()
        if op == "pr":
            return Present(path)
        if op not in OPERATORS:
            raise self._error(f"unknown operator {op!r}")
        return Compare(path, op, self._value())

    def patch_path(self) -> PatchPath:
        attr = self._attr_path()
        if not self._punct("["):
            return PatchPath(attr)
        if attr.sub:
            raise self._error("a value filter follows a multi-valued attribute, not a sub-attribute")
        items = self.filter(inside=True)
        self._expect("]")
        token = self._peek()
        if token is None:
            return PatchPath(attr, items)
        sub = _SUB.fullmatch(token.text) if token.kind == "word" else None
        if sub is None:
            raise self._error(f"expected '.subAttribute' after ']' at position {token.at}")
        self._next += 1
        return PatchPath(attr, items, sub["sub"])

    def _attr_path(self) -> AttrPath:
        text = self._word("an attribute name")
        match = _ATTR_PATH.fullmatch(text)
        if match is None:
            raise self._error(f"{text!r} is not an attribute name")
        return AttrPath(match["uri"], match["name"], match["sub"])

    def _value(self) -> Any:
        token = self._take("a value")
        if token.kind == "string":
            try:
                return json.loads(token.text)
            except ValueError as exc:
                raise self._error(f"bad string at position {token.at}") from exc
        if token.kind == "word" and token.text.lower() in _LITERALS:
            return _LITERALS[token.text.lower()]
        if token.kind == "word" and _NUMBER.fullmatch(token.text):
            return json.loads(token.text)
        raise self._error(f"expected a string, number, true, false or null at position {token.at}")

    # -- tokens -----------------------------------------------------------------------------------------
    def _peek(self) -> _Token | None:
        return self._tokens[self._next] if self._next < len(self._tokens) else None

    def _take(self, what: str) -> _Token:
        token = self._peek()
        if token is None:
            raise self._error(f"expected {what} at the end")
        self._next += 1
        return token

    def _word(self, what: str) -> str:
        token = self._take(what)
        if token.kind != "word":
            raise self._error(f"expected {what} at position {token.at}")
        return token.text

    def _keyword(self, word: str) -> bool:
        token = self._peek()
        if token is not None and token.kind == "word" and token.text.lower() == word:
            self._next += 1
            return True
        return False

    def _punct(self, char: str) -> bool:
        token = self._peek()
        if token is not None and token.kind == "punct" and token.text == char:
            self._next += 1
            return True
        return False

    def _expect(self, char: str) -> None:
        if not self._punct(char):
            token = self._peek()
            raise self._error(f"expected {char!r} " + (f"at position {token.at}" if token else "at the end"))

    def end(self) -> None:
        token = self._peek()
        if token is not None:
            raise self._error(f"unexpected {token.text[:40]!r} at position {token.at}")
