"""Every exchange the Jira fake recorded, checked against Atlassian's published contract.

openapi-core validates each request our connector sent and each answer the
fake gave against the subsets of Atlassian's OpenAPI specs in tests/contracts
(the platform API and the agile API); Data Center's v2 paths are checked as
their v3 twins.

Adjustments, for what real Jira sends and its spec does not allow: `null`
for an unset `from`/`to` of a change item (typed as non-nullable strings),
`untranslatedName` on custom fields and `tmpFromAccountId`/`tmpToAccountId` on
user changes (the schemas forbid unknown properties) are dropped, and Jira's
timestamps ('...T14:44:25.755+0100') get the colon RFC 3339 wants in the
offset. Everything else is held to the spec.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from tests.contracts import contract
from tests.fakes.jira import FakeJira, platform_spec
from tests.fakes.server import Request


def openapi_for(url: str) -> Callable[[str], OpenAPI]:
    platform, agile = (
        copy.deepcopy(spec) for spec in (platform_spec(), contract("jira-agile-subset.json"))
    )
    for spec in (platform, agile):
        spec["servers"] = [{"url": url}]
    apis = {"platform": OpenAPI.from_dict(platform), "agile": OpenAPI.from_dict(agile)}
    return lambda path: apis["agile" if path.startswith("/rest/agile/") else "platform"]


_UNDOCUMENTED = frozenset({"untranslatedName", "tmpFromAccountId", "tmpToAccountId"})
_JIRA_OFFSET = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d)(\d\d)$")


def normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: normalised(v) for k, v in value.items() if v is not None and k not in _UNDOCUMENTED
        }
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, str):
        return _JIRA_OFFSET.sub(r"\1:\2", value)
    return value


def as_v3(path: str) -> str:
    return path.replace("/rest/api/2/", "/rest/api/3/", 1)


def mock_request(url: str, request: Request, path: str) -> MockRequest:
    args = [(name, value) for name, values in request.query.items() for value in values]
    return MockRequest(
        url, request.method, path, args=args, headers=request.headers, data=request.body or None
    )


def check_exchanges(fake: FakeJira, *, requests_too: bool) -> int:
    """Validate every exchange the fake recorded; returns how many were checked."""
    api = openapi_for(fake.url)
    for request, response in fake.exchanges:
        path = request.path if fake.cloud else as_v3(request.path)
        sent = mock_request(fake.url, request, path)
        if requests_too:
            api(path).validate_request(sent)
        body = json.dumps(normalised(response.body)).encode()
        api(path).validate_response(sent, MockResponse(body, status_code=response.status))
    return len(fake.exchanges)
