"""The Confluence fake keeps the vendor's contract, and the library gaps we work around are real.

Every REST v2 answer the publisher received during a full reconcile (create,
unchanged, update with attachments, marker update, conflict) is validated with
openapi-core against `tests/contracts/confluence-v2-subset.json`. The
second half shows that the fake refuses what Confluence refuses, so the
work-arounds in `connectors/confluence_cloud.py` are tested against something
that would catch their absence.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Iterator

import pytest
import requests
from atlassian import ConfluenceV2
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from pydantic import SecretStr

from art.config import ConfluenceConfig
from art.model import Page
from connectors.confluence import ConfluenceCredentials, connect
from tests.contracts import contract
from tests.fakes.confluence import TOKEN, USER, FakeConfluence

# Confluence answers a stale version with 409, which the published spec does not list.
UNDOCUMENTED = {("put", 409)}


def contract_problems(openapi: OpenAPI, response: requests.Response) -> list[str]:
    """How an answer departs from the contract. The spec documents error statuses but
    not their bodies, so an error answer is checked for a documented status only."""
    request = RequestsOpenAPIRequest(response.request)
    problems = []
    for error in openapi.iter_response_errors(request, RequestsOpenAPIResponse(response)):
        cause = error.__cause__
        undocumented_body = isinstance(cause, MediaTypeNotFound) and not cause.availableMimetypes
        if response.ok or not undocumented_body:
            problems.append(f"{response.request.method} {response.url}: {error!r} ({cause!r})")
    return problems


def openapi_for(base: str) -> OpenAPI:
    spec = copy.deepcopy(contract("confluence-v2-subset.json"))
    spec["servers"] = [{"url": f"{base}/wiki/api/v2"}]
    return OpenAPI.from_dict(spec)


@pytest.fixture
def fake() -> Iterator[FakeConfluence]:
    server = FakeConfluence(deployment="cloud", page_size=2)
    server.add_space("ART", "Aurora ART")
    server.add_page("ART", "Release Train")
    with server.running():
        yield server


def recording_session(seen: list[requests.Response]) -> requests.Session:
    session = requests.Session()
    session.hooks["response"].append(lambda response, *args, **kwargs: seen.append(response))
    return session


def test_every_v2_answer_of_a_full_reconcile_keeps_the_contract(fake: FakeConfluence) -> None:
    seen: list[requests.Response] = []
    config = ConfluenceConfig(
        backend="cloud",
        url=fake.url,
        space="ART",
        parent="Release Train",
        auth={"user": "env:U", "token": "env:T"},
    )
    credentials = ConfluenceCredentials(token=SecretStr(TOKEN), user=SecretStr(USER))
    publisher = connect(config, credentials, session=recording_session(seen))
    attachments = {f"chart{n}.png": bytes([n]) * 10 for n in range(3)}
    page = Page(
        key="k", title="PI 1 - Team A - PI Objectives", storage="<p>1</p>", attachments=attachments
    )
    publisher.publish_page(page)  # create
    publisher.publish_page(page)  # unchanged
    publisher.publish_page(
        Page(
            key="k",
            title=page.title,
            storage="<p>2</p>",
            attachments={**attachments, "chart0.png": b"new"},
        )
    )
    target = fake.page_by_title("ART", page.title)
    assert target is not None
    fake.race(target.id)
    publisher.publish_page(Page(key="k", title=page.title, storage="<p>3</p>"))  # 409, retry

    openapi = openapi_for(fake.url)
    checked: set[tuple[str, str, int]] = set()
    for response in seen:
        request = response.request
        path = requests.utils.urlparse(request.url).path
        if not path.startswith("/wiki/api/v2/"):
            continue  # v1 attachment uploads are not part of the v2 contract
        method = (request.method or "").lower()
        if (method, response.status_code) in UNDOCUMENTED:
            continue
        openapi.validate_response(
            RequestsOpenAPIRequest(request), RequestsOpenAPIResponse(response)
        )
        checked.add((method, _route(path), response.status_code))
    assert checked >= {
        ("get", "/spaces", 200),
        ("get", "/pages", 200),
        ("post", "/pages", 200),
        ("put", "/pages/{id}", 200),
        ("get", "/pages/{id}", 200),
        ("get", "/pages/{id}/properties", 200),
        ("post", "/pages/{id}/properties", 200),
        ("put", "/pages/{id}/properties/{id}", 200),
        ("get", "/pages/{id}/attachments", 200),
    }


def test_answers_the_publisher_does_not_ask_for_keep_the_contract_too(
    fake: FakeConfluence,
) -> None:
    home = fake.state.spaces["ART"].homepage_id
    session = requests.Session()
    session.auth = (USER, TOKEN)
    created = session.post(
        f"{fake.url}/wiki/api/v2/pages/{home}/properties", json={"key": "a.b", "value": {"x": 1}}
    ).json()
    calls = [
        ("GET", f"/wiki/api/v2/pages/{home}?body-format=storage"),
        ("GET", f"/wiki/api/v2/pages/{home}/properties/{created['id']}"),
        ("GET", "/wiki/api/v2/pages?status=current&body-format=storage&limit=1"),
        ("GET", "/wiki/api/v2/pages/999999"),
        ("GET", "/wiki/api/v2/pages?body-format=none"),
    ]
    openapi = openapi_for(fake.url)
    statuses = []
    for method, path in calls:
        response = session.request(method, fake.url + path)
        statuses.append(response.status_code)
        assert contract_problems(openapi, response) == []
    assert statuses == [200, 200, 200, 404, 400]


def _route(path: str) -> str:
    parts = path.removeprefix("/wiki/api/v2").split("/")
    return "/".join("{id}" if part.isdigit() else part for part in parts)


# --------------------------------------------------------------------------
# The library's gaps, refused by the fake as by Confluence


def library(fake: FakeConfluence) -> ConfluenceV2:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return ConfluenceV2(f"{fake.url}/wiki", username=USER, password=TOKEN)


def test_the_library_update_without_status_is_refused(fake: FakeConfluence) -> None:
    page = fake.add_page("ART", "Some page")
    with pytest.raises(requests.HTTPError) as caught:
        library(fake).update_page(page.id, title="Some page", body="<p>x</p>", version=1)
    assert caught.value.response.status_code == 400
    assert "status" in caught.value.response.json()["errors"][0]["title"]
    assert page.version == 1


def test_the_library_page_listing_without_a_body_is_refused(fake: FakeConfluence) -> None:
    with pytest.raises(requests.HTTPError) as caught:
        library(fake).get_pages(space_id=fake.state.spaces["ART"].id, title="Release Train")
    assert caught.value.response.status_code == 400


def test_the_library_property_update_by_key_is_refused(fake: FakeConfluence) -> None:
    page = fake.add_page("ART", "Some page")
    client = library(fake)
    client.create_v2_content_property("page", page.id, {"key": "rte.page", "value": {"a": 1}})
    with pytest.raises(requests.HTTPError) as caught:
        client.update_page_property(page.id, "rte.page", {"a": 2}, version=1)
    assert caught.value.response.status_code == 400
    assert fake.property_value(page.id, "rte.page") == {"a": 1}


def test_uploads_need_the_no_check_header_and_re_attaching_by_put_is_refused(
    fake: FakeConfluence,
) -> None:
    page = fake.add_page("ART", "Some page")
    session = requests.Session()
    session.auth = (USER, TOKEN)
    url = f"{fake.url}/wiki/rest/api/content/{page.id}/child/attachment"
    files = {"file": ("a.png", b"png", "image/png")}
    assert session.post(url, files=files).status_code == 403
    assert session.post(url, files=files, headers={"X-Atlassian-Token": "no-check"}).ok
    put = session.put(
        f"{fake.url}/wiki/rest/api/content/{page.id}",
        files=files,
        headers={"X-Atlassian-Token": "no-check"},
    )
    assert put.status_code == 415
