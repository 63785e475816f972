"""Config problems as a reader wants them: a field path and what is allowed.

Pydantic's own messages name Python types and echo the bad value (which might
be a pasted secret); `problems_from` turns them into `Problem`s that name the
field path (`kanban.states[2].wip_limit`), say what is allowed, and never
repeat the value. Every YAML document of ours (art.yaml, the objectives file,
the portfolio file) reports its errors through here, so they all read alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, get_origin

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the config: where (a field path) and what is allowed."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigError(Exception):
    """The config cannot be used; `problems` lists every reason at once, and `source`
    names the file they are in, when it is known."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(str(problem) for problem in problems))


def format_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def problems_from(exc: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors for a document validated against `root`, as readable problems."""
    errors = exc.errors(include_input=False, include_url=False)
    problems = [
        Problem(format_path(tuple(error["loc"])), _message(error, root)) for error in errors
    ]
    # Pydantic also reports a list as too short when its only entries are invalid;
    # the entries' own errors are the useful ones.
    return [
        problem
        for problem, error in zip(problems, errors, strict=True)
        if error["type"] != "too_short"
        or not any(other.path.startswith(problem.path + "[") for other in problems)
    ]


_MESSAGES = {
    "missing": "is required",
    "int_parsing": "must be an integer",
    "int_type": "must be an integer",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "date_from_datetime_parsing": "must be a date such as 2026-10-05",
    "date_parsing": "must be a date such as 2026-10-05",
    "date_type": "must be a date such as 2026-10-05",
    "time_parsing": "must be a time such as '10:00'",
    "time_type": "must be a time such as '10:00'",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "string_too_short": "must not be empty",
}


def _message(error: Mapping[str, Any], root: type[BaseModel]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        model = _model_at(tuple(error["loc"][:-1]), root)
        allowed = ", ".join(model.model_fields) if model else ""
        return "unknown key" + (f" (allowed: {allowed})" if allowed else "")
    if kind == "greater_than":
        return "must be a positive integer" if ctx.get("gt") == 0 else f"must be > {ctx['gt']}"
    if kind == "greater_than_equal":
        return f"must be >= {ctx['ge']}"
    if kind == "less_than_equal":
        return f"must be <= {ctx['le']}"
    if kind == "less_than":
        return f"must be < {ctx['lt']}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} entry"
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx.get('pattern')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return _MESSAGES.get(kind, error["msg"][:1].lower() + error["msg"][1:])


def _model_at(loc: tuple[int | str, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class found at a field path, so an unknown key can list what is allowed."""
    model: Any = root
    in_mapping = False
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = model.model_fields.get(part) if model else None
        if field_info is None:
            if in_mapping:  # a key of a mapping field (a PI or team name), not a field
                continue
            return None
        model = _innermost_model(field_info.annotation)
        in_mapping = _holds_mapping(field_info.annotation)
    return model


def _holds_mapping(annotation: Any) -> bool:
    if get_origin(annotation) is dict:
        return True
    return any(_holds_mapping(arg) for arg in getattr(annotation, "__args__", ()))


def _innermost_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _innermost_model(arg)
        if found is not None:
            return found
    return None
