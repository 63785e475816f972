"""JSON Schemas made from the Microsoft Graph event subset in `tests/contracts/`.

The subset is condensed from Graph's CSDL: types with their base type,
properties ("Edm.String", "graph.location", "Collection(graph.attendee)") and
navigation properties. `entity_schema("event")` turns one type into a JSON
Schema that knows every property and refuses any other, so the Graph fake can
refuse request bodies Graph would refuse, and a test can check the fake's
answers against what Graph says it sends.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema

from tests.contracts import contract

_PRIMITIVES: dict[str, dict[str, Any]] = {
    "Edm.String": {"type": "string"},
    "Edm.Boolean": {"type": "boolean"},
    "Edm.Int32": {"type": "integer"},
    "Edm.Double": {"type": "number"},
    "Edm.Date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "Edm.DateTimeOffset": {
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
    },
}
# OData annotations ("@odata.etag", "@odata.type") may accompany any object.
_ANNOTATIONS = {"^@odata\\.": {}}


def subset() -> dict[str, Any]:
    return contract("msgraph-event-subset.json")


def entity_schema(name: str) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for the Graph type `name`, e.g. "event"."""
    definitions: dict[str, Any] = {}
    root = _definition(name, definitions)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **root, "$defs": definitions}


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(entity_schema(name))


def problems(name: str, document: Any) -> list[str]:
    """Every way `document` departs from the Graph type `name`, as readable lines."""
    errors = sorted(validator(name).iter_errors(document), key=lambda error: list(error.path))
    return [f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}" for error in errors]


def _definition(name: str, definitions: dict[str, Any]) -> dict[str, Any]:
    kind = subset()["types"][name]["kind"]
    if kind == "EnumType":
        return {"enum": [*subset()["types"][name]["members"], None]}
    properties: dict[str, Any] = {}
    for type_name in _lineage(name):
        spec = subset()["types"][type_name]
        for prop, prop_type in {**spec["properties"], **spec.get("navigation", {})}.items():
            properties[prop] = _reference(prop_type, definitions)
    return {
        "type": ["object", "null"],
        "properties": properties,
        "patternProperties": _ANNOTATIONS,
        "additionalProperties": False,
    }


def _lineage(name: str) -> list[str]:
    """`name` and its base types, the most basic first."""
    chain = []
    current: str | None = name
    while current:
        chain.insert(0, current)
        base = subset()["types"][current].get("baseType")
        current = base.removeprefix("graph.") if base else None
    return chain


def _reference(prop_type: str, definitions: dict[str, Any]) -> dict[str, Any]:
    if prop_type.startswith("Collection("):
        return {"type": ["array", "null"], "items": _reference(prop_type[11:-1], definitions)}
    if prop_type in _PRIMITIVES:
        primitive = dict(_PRIMITIVES[prop_type])
        primitive["type"] = [primitive["type"], "null"]
        return primitive
    name = prop_type.removeprefix("graph.")
    if name not in subset()["types"]:
        return {}  # a type outside the subset (attachments...): never sent or expanded here
    if name not in definitions:
        definitions[name] = {}  # placeholder against recursion
        definitions[name] = _definition(name, definitions)
    return {"$ref": f"#/$defs/{name}"}
