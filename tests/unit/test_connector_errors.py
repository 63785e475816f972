"""The one wording of a service's failures, and the one scrubber every message goes through."""

from __future__ import annotations

import base64
import json
import logging
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.errors import MASK, ConnectorError, Scrubber, ServiceErrors, scrub_logs

TOKEN = "tok/en+with=odd&chars~é"
USER = "bot@corp.example"


@pytest.mark.parametrize(
    "form",
    [
        TOKEN,
        quote(TOKEN, safe=""),  # in a query string
        urlencode({"client_secret": TOKEN}).split("=", 1)[1],  # in a posted form
        json.dumps(TOKEN)[1:-1],  # in a JSON body quoted back
        json.dumps(TOKEN, ensure_ascii=False)[1:-1],
    ],
)
def test_a_secret_is_masked_in_every_form_it_travels_in(form: str) -> None:
    scrub = Scrubber([TOKEN])
    assert scrub(f"the request was {form}; refused") == f"the request was {MASK}; refused"


def test_the_basic_auth_header_of_user_and_token_is_masked() -> None:
    header = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
    scrub = Scrubber([TOKEN, USER], basic_auth=(USER, TOKEN))
    assert scrub(f"Authorization: {header}") == f"Authorization: Basic {MASK}"


SECRET_VALUES = st.text(min_size=1, max_size=12).filter(lambda value: value.strip("*"))


@given(text=st.text(max_size=200), values=st.lists(SECRET_VALUES, max_size=4))
def test_no_secret_survives_whatever_the_text_around_it(text: str, values: list[str]) -> None:
    planted = text + "".join(values) + text  # each secret is in there at least once
    cleaned = Scrubber(values)(planted)
    assert not any(value in cleaned for value in values)


def test_masking_never_leaves_a_secret_made_of_what_surrounds_it() -> None:
    # Masking "tok" in "xtok" leaves "x***", which is the second secret.
    assert Scrubber(["tok", "x*"])("xtok") == MASK + "**"


def test_empty_values_and_mask_characters_are_not_secrets_and_the_repr_holds_none() -> None:
    scrub = Scrubber(["", None, "***", "s3cret"])
    assert scrub("a *** b") == "a *** b"
    assert "s3cret" not in repr(scrub) and "s3cret" not in repr(errors(scrub))


def errors(scrub: Scrubber | None = None) -> ServiceErrors:
    return ServiceErrors(
        where="Jira at https://example.atlassian.net",
        credentials="jira.auth.user and jira.auth.token",
        permissions="the account needs 'Browse projects'",
        not_found="is jira.backend right?",
        scrub=scrub or Scrubber(),
    )


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (401, "; the credentials were refused; check jira.auth.user and jira.auth.token"),
        (403, "; the account needs 'Browse projects'"),
        (404, "; is jira.backend right?"),
        (410, "; is jira.backend right?"),
        (429, "; the service is throttling or failing, not refusing the request: run again later"),
        (500, "; the service is throttling or failing, not refusing the request: run again later"),
        (400, ""),
    ],
)
def test_each_status_class_is_worded_once(status: int, hint: str) -> None:
    assert errors().refused("GET /rest/api/3/field", status, "no") == (
        f"Jira at https://example.atlassian.net answered HTTP {status} to GET /rest/api/3/field: "
        f"no{hint}"
    )


def test_a_call_may_know_better_what_a_404_means() -> None:
    message = errors().refused("GET /board/7", 404, "", not_found="does board 7 exist?")
    assert message.endswith("answered HTTP 404 to GET /board/7; does board 7 exist?")


def test_the_services_reason_is_scrubbed_then_kept_to_one_bounded_line() -> None:
    echoed = f"bad request:\n  token={TOKEN}\n" + "x" * 1000
    message = errors(Scrubber([TOKEN])).refused("POST /token", 400, echoed)
    assert TOKEN not in message and f"bad request: token={MASK} x" in message
    assert "\n" not in message and len(message) < 450


def test_no_answer_names_the_call_or_repeats_the_policys_own_words() -> None:
    assert errors().unreachable("GET /field", ConnectionError("http://u:p@host/")) == (
        "Jira at https://example.atlassian.net: GET /field failed (ConnectionError)"
    )
    spent = ConnectorError("GET /rest/api/3/field: gave up after 6 attempt(s)")
    assert errors().unreachable("GET /field", spent).endswith(": " + str(spent))


def test_a_refused_sign_in_says_what_to_check_without_the_secret() -> None:
    message = errors(Scrubber([TOKEN])).sign_in_failed("list events", f"bad secret {TOKEN}")
    assert message == (
        "Jira at https://example.atlassian.net: sign-in of the app failed before list events: "
        f"bad secret {MASK}; check jira.auth.user and jira.auth.token"
    )


def test_log_records_of_any_logger_are_scrubbed_message_and_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    scrub = Scrubber([TOKEN])
    scrub_logs(scrub)
    log = logging.getLogger("some.library._internal.module")  # a logger rte does not own
    with caplog.at_level(logging.DEBUG):
        log.warning("sign-in failed: %s", f"secret={quote(TOKEN, safe='')}")
        try:
            raise ValueError(f"answer quoted {TOKEN}")
        except ValueError:
            log.debug("and why", exc_info=True)
    assert [record.getMessage() for record in caplog.records] == [
        f"sign-in failed: secret={MASK}",
        "and why",
    ]
    assert f"ValueError: answer quoted {MASK}" in caplog.text and TOKEN not in caplog.text
