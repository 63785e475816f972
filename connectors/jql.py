"""JQL built from config values, so that no value can change the query around it.

Two kinds of value reach a search: names (project keys, an issue type), which
always become quoted JQL strings, never bare words (a project called `OR`, or
an issue type with a quote in it, stays one value); and `jira.jql`, a JQL
condition the train writes itself, which rte puts in parentheses and joins
with its own conditions. That condition is read with JQL's own rules for
quoted text first: its parentheses must balance (else `a) OR (b` would escape
the parentheses and unbind rte's conditions), and its ORDER BY is dropped
only where it is one (not inside `summary ~ "sort order by date"`).
"""

from __future__ import annotations

import re

from art.config import JiraConfig
from art.config_errors import ConfigError, Problem

_QUOTES = "\"'"
# Characters JQL does not take raw inside a quoted string (Jira's lexer calls
# them control characters): written as \uXXXX escapes instead.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)


class JqlFragmentError(ValueError):
    """`jira.jql` cannot be joined safely with rte's own conditions; says why."""


def jql_string(value: str) -> str:
    """`value` as one quoted JQL string: backslash and quote escaped, controls as \\uXXXX."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", escaped) + '"'


def jql_list(values: list[str] | tuple[str, ...]) -> str:
    """`("A", "B")`: values for `in`, each quoted."""
    return "(" + ", ".join(jql_string(value) for value in values) + ")"


def jql_condition(jql: str) -> str:
    """`jql` without its ORDER BY, ready to be put in parentheses next to other conditions.

    Raises JqlFragmentError when a quote is never closed or the parentheses
    outside quoted text do not balance.
    """
    depth = 0
    order_at: int | None = None
    for start, end, quoted in _segments(jql):
        if quoted:
            continue
        text = jql[start:end]
        for char in text:
            depth += (char == "(") - (char == ")")
            if depth < 0:
                raise JqlFragmentError("closes a parenthesis it never opened")
        found = _ORDER_BY.search(text)
        if found and depth == 0 and order_at is None:
            order_at = start + found.start()
    if depth:
        raise JqlFragmentError("opens a parenthesis it never closes")
    return (jql if order_at is None else jql[:order_at]).strip()


def train_condition(jira: JiraConfig) -> str:
    """`jira.jql` without its ORDER BY ('' when unset), or a ConfigError naming the field."""
    try:
        return jql_condition(jira.jql or "")
    except JqlFragmentError as exc:
        raise ConfigError(
            [Problem("jira.jql", f"{exc} (outside quoted text); write one JQL condition")]
        ) from None


def _segments(jql: str) -> list[tuple[int, int, bool]]:
    """(start, end, quoted) spans of `jql`; a backslash escapes the next character in quotes."""
    spans: list[tuple[int, int, bool]] = []
    position, start, quote = 0, 0, ""
    while position < len(jql):
        char = jql[position]
        if quote and char == "\\":
            position += 2
            continue
        if quote and char == quote:
            spans.append((start, position + 1, True))
            start, quote = position + 1, ""
        elif not quote and char in _QUOTES:
            spans.append((start, position, False))
            start, quote = position, char
        position += 1
    if quote:
        raise JqlFragmentError(f"a {quote} quote is never closed")
    spans.append((start, len(jql), False))
    return spans
