"""The part of JQL the Jira fake understands, evaluated on REST-shaped issues.

Enough for what a client sends: `project in (...)`, `key`/`id`/`status`/
`issuetype` comparisons and lists, `labels` and `fixVersion` (an issue matches
when one of its values does), `updated`/`created` against absolute dates
(read in UTC, the fake account's time zone) or relative ones (`-90m`, `-2d`),
AND / OR / NOT and parentheses, and ORDER BY. Anything else is refused with
the 400 message Jira gives, so a client that builds bad JQL fails a test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

Issue = dict[str, Any]
Predicate = Callable[[Issue], bool]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>>=|<=|!=|=|>|<|\(|\)|,)
      | (?P<word>[^\s()",=<>!]+)
    )""",
    re.VERBOSE,
)
_RELATIVE = re.compile(r"^([+-]?)(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")
_ALIASES = {
    "issuekey": "key",
    "type": "issuetype",
    "updateddate": "updated",
    "createddate": "created",
}
_DATE_FIELDS = {"updated", "created"}
_TEXT_FIELDS = {"project", "key", "id", "issuetype", "status", "parent"}
_LIST_FIELDS = {"labels", "fixversion"}


class JqlError(ValueError):
    """The query is not JQL the fake (or Jira) accepts; the text is Jira's kind of message."""


@dataclass(frozen=True)
class Query:
    matches: Predicate
    order: tuple[tuple[str, bool], ...]  # (field, descending)

    def sorted(self, issues: list[Issue]) -> list[Issue]:
        ordered = sorted(issues, key=lambda issue: int(issue["id"]))
        for field, descending in reversed(self.order):
            ordered.sort(key=partial(_order_value, field=field), reverse=descending)
        return ordered


def parse_jql(text: str, now: datetime) -> Query:
    tokens = _tokens(text)
    parser = _Parser(tokens, now)
    matches: Predicate = lambda issue: True  # noqa: E731
    if parser.peek() and not parser.at_word("order"):
        matches = parser.or_expr()
    order = parser.order_by()
    left = parser.peek()
    if left is not None:
        raise JqlError(f"Error in the JQL Query: unexpected '{left[1]}'.")
    return Query(matches, order)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise JqlError(f"Error in the JQL Query: the character at {position} is not expected.")
        kind = match.lastgroup or "word"
        value = match.group(kind)
        if kind == "string":
            value = _unescaped(value[1:-1], position)
        tokens.append((kind, value))
        position = match.end()
    return tokens


_ESCAPES = {"t": "\t", "n": "\n", "r": "\r"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_RAW_CONTROL = re.compile(r"[\x00-\x1f]")


def _unescaped(text: str, position: int) -> str:
    """A quoted string's value as Jira reads it: \\t \\n \\r \\uXXXX and \\<char>; raw control
    characters are not allowed between the quotes."""
    if _RAW_CONTROL.search(_ESCAPE.sub("", text)):
        raise JqlError(f"Error in the JQL Query: a control character in the string at {position}")

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(one, text)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], now: datetime) -> None:
        self.tokens = tokens
        self.position = 0
        self.now = now

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise JqlError("Error in the JQL Query: the query ends too early.")
        self.position += 1
        return token

    def at_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].casefold() == word

    def expect(self, kind: str, value: str) -> None:
        token = self.take()
        if token[0] != kind or token[1].casefold() != value:
            raise JqlError(f"Error in the JQL Query: expected '{value}' but got '{token[1]}'.")

    def or_expr(self) -> Predicate:
        return self.joined("or", self.and_expr, any)

    def and_expr(self) -> Predicate:
        return self.joined("and", self.not_expr, all)

    def joined(
        self, word: str, operand: Callable[[], Predicate], combine: Callable[[Any], bool]
    ) -> Predicate:
        parts = [operand()]
        while self.at_word(word):
            self.take()
            parts.append(operand())
        return parts[0] if len(parts) == 1 else (lambda issue: combine(p(issue) for p in parts))

    def not_expr(self) -> Predicate:
        if self.at_word("not"):
            self.take()
            inner = self.not_expr()
            return lambda issue: not inner(issue)
        if self.peek() == ("op", "("):
            self.take()
            inner = self.or_expr()
            self.expect("op", ")")
            return inner
        return self.clause()

    def clause(self) -> Predicate:
        kind, name = self.take()
        field = _ALIASES.get(name.casefold(), name.casefold())
        if kind != "word" or field not in _DATE_FIELDS | _TEXT_FIELDS | _LIST_FIELDS:
            raise JqlError(
                f"Field '{name}' does not exist or you do not have permission to view it."
            )
        negated = False
        if self.at_word("not"):
            self.take()
            negated = True
            if not self.at_word("in"):
                raise JqlError("Error in the JQL Query: expected 'in' after 'not'.")
        if self.at_word("in"):
            self.take()
            values = self.value_list()
            if field in _DATE_FIELDS:
                raise JqlError(f"The operator 'in' is not supported by the '{name}' field.")
            wanted = {_folded(value) for value in values}
            if field in _LIST_FIELDS:
                return lambda issue: bool(_list(issue, field) & wanted) != negated
            return lambda issue: (_text(issue, field) in wanted) != negated
        kind, operator = self.take()
        if kind != "op" or operator in "(),":
            raise JqlError(f"Error in the JQL Query: expected an operator after '{name}'.")
        value = self.take()[1]
        if field in _DATE_FIELDS:
            moment = _moment(value, self.now)
            return lambda issue: _compare(_date(issue, field), operator, moment)
        if field in _LIST_FIELDS and operator in ("=", "!="):
            member = _folded(value)
            return lambda issue: (member in _list(issue, field)) == (operator == "=")
        if operator in ("=", "!="):
            folded = _folded(value)
            return lambda issue: (_text(issue, field) == folded) == (operator == "=")
        if field != "id":
            raise JqlError(f"The operator '{operator}' is not supported by the '{name}' field.")
        number = _integer(value)
        return lambda issue: _compare(int(issue["id"]), operator, number)

    def value_list(self) -> list[str]:
        self.expect("op", "(")
        values = [self.take()[1]]
        while self.peek() == ("op", ","):
            self.take()
            values.append(self.take()[1])
        self.expect("op", ")")
        return values

    def order_by(self) -> tuple[tuple[str, bool], ...]:
        if not self.at_word("order"):
            return ()
        self.take()
        self.expect("word", "by")
        order = []
        while True:
            name = self.take()[1]
            field = _ALIASES.get(name.casefold(), name.casefold())
            if field not in ("key", "id", "created", "updated"):
                raise JqlError(f"Field '{name}' does not support sorting.")
            descending = False
            if self.at_word("asc") or self.at_word("desc"):
                descending = self.take()[1].casefold() == "desc"
            order.append((field, descending))
            if self.peek() != ("op", ","):
                return tuple(order)
            self.take()


def _folded(value: str) -> str:
    return value.strip().casefold()


def _integer(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise JqlError(f"The value '{value}' is not a valid issue id.") from None


def _moment(value: str, now: datetime) -> datetime:
    relative = _RELATIVE.match(value.strip())
    if relative:
        sign, amount, unit = relative.groups()
        delta = timedelta(**{_UNITS[unit]: int(amount)})
        return now - delta if sign == "-" else now + delta
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise JqlError(
        f"Date value '{value}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', "
        "'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."
    )


def _compare(left: Any, operator: str, right: Any) -> bool:
    if left is None:
        return False
    return {
        "=": left == right,
        "!=": left != right,
        ">": left > right,
        ">=": left >= right,
        "<": left < right,
        "<=": left <= right,
    }[operator]


def _text(issue: Issue, field: str) -> str | None:
    fields = issue.get("fields") or {}
    if field == "key":
        return _folded(issue["key"])
    if field == "id":
        return str(issue["id"])
    if field == "project":
        project = (fields.get("project") or {}).get("key") or issue["key"].rsplit("-", 1)[0]
        return _folded(project)
    if field == "parent":
        return _folded((fields.get("parent") or {}).get("key") or "") or None
    name = (fields.get(field) or {}).get("name")
    return _folded(name) if isinstance(name, str) else None


def _list(issue: Issue, field: str) -> set[str]:
    """An issue's labels, or the names of its fix versions, folded."""
    fields = issue.get("fields") or {}
    if field == "labels":
        return {_folded(label) for label in fields.get("labels") or [] if isinstance(label, str)}
    versions = fields.get("fixVersions") or []
    return {_folded(v["name"]) for v in versions if isinstance(v, dict) and v.get("name")}


def _date(issue: Issue, field: str) -> datetime | None:
    value = (issue.get("fields") or {}).get(field)
    try:
        return datetime.fromisoformat(value).astimezone(UTC) if isinstance(value, str) else None
    except ValueError:
        return None


def _order_value(issue: Issue, field: str) -> Any:
    if field == "key":
        project, _, number = issue["key"].rpartition("-")
        return (project, int(number) if number.isdigit() else 0)
    if field == "id":
        return int(issue["id"])
    return _date(issue, field) or datetime.min.replace(tzinfo=UTC)
