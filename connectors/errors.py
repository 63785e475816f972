"""The one family of errors a conversation with the outside world ends in, and how it is worded.

Every connector raises a `ConnectorError` when a service (Jira, Confluence,
Graph, an export folder) refuses, cannot be reached, or its retry budget is
spent. The message is written for the person who runs `rte`: it names the
service, the call and what to check, and never holds a credential. Callers
therefore catch one base: the retry predicate knows such a failure is
settled (the HTTP policy has retried it already, or it is permanent), and
the CLI prints it as one line.

The wording lives here once, for all three services: `ServiceErrors` turns an
HTTP status into a sentence (401: the credentials, 403: the permissions, 404:
where to look, 429/5xx: the service's side) and runs every message through a
`Scrubber`, which masks each credential in the forms it travels in. Services
quote requests back in their errors (an echoed form, a dumped header), so a
message is scrubbed whatever part of it came from the other side; and where a
library logs such text itself, `scrub_logs` masks it in the log records too.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
MAX_REASON = 300  # characters of a service's own explanation kept in a message


class ConnectorError(Exception):
    """A service refused or could not do what was asked; the message says what to check."""


class RetriesSpent(ConnectorError):
    """A call spent the whole retry budget: the service is down or throttling hard, so the
    next call would most likely spend it again (a caller stops rather than try the rest)."""


class Scrubber:
    """Masks credential values in text bound for a person: a message, a log line.

    Each value is masked as it is and in the encodings it travels in: percent
    encoding (query strings, form posts such as the OAuth client-credentials
    request), JSON string escaping (a request body quoted back), and, for a
    user and password pair, the base64 of `user:password` that basic auth
    sends in its header.
    """

    def __init__(
        self, secrets: Iterable[str | None] = (), *, basic_auth: tuple[str, str] | None = None
    ) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if secret:
                forms.update(_encodings(secret))
        if basic_auth is not None:
            forms.add(base64.b64encode(":".join(basic_auth).encode()).decode())
        # Longest first, so a value holding another is masked whole; a value of
        # nothing but mask characters would never go away, and says nothing anyway.
        self._forms = sorted((form for form in forms if form.strip("*")), key=len, reverse=True)

    @classmethod
    def login(cls, token: str, user: str | None) -> Scrubber:
        """A token or password and, when given, its user: Atlassian's basic auth sends both."""
        return cls([token, user], basic_auth=(user, token) if user is not None else None)

    def __call__(self, text: str) -> str:
        """`text` with every form of every secret masked.

        Masking one value can join the text around it into another value (one
        that ends in the mask's characters), so it repeats until none is left;
        each round removes characters other than '*', so it ends.
        """
        while found := [form for form in self._forms if form in text]:
            for form in found:
                text = text.replace(form, MASK)
        return text

    def __repr__(self) -> str:  # never the values, not even in a debugger's or dataclass's repr
        return f"Scrubber({len(self._forms)} forms)"


_LOG_SCRUBBERS: weakref.WeakSet[Scrubber] = weakref.WeakSet()
_LOG_LOCK = threading.Lock()
_make_record: Callable[..., logging.LogRecord] | None = None


def scrub_logs(scrub: Scrubber) -> None:
    """Mask `scrub`'s secrets in every log record this process makes while `scrub` lives,
    whoever logs it.

    For libraries that log what a service said in their own lines: azure-identity
    logs a refused sign-in's message at WARNING (its traceback too, at DEBUG),
    and a service that quotes the posted form back puts the client secret in
    it. A filter on a logger sees only the records made on that very logger,
    and the handlers (the console, Prefect's run logs) are not ours; the record
    factory is the documented hook that every record passes through.
    """
    global _make_record
    with _LOG_LOCK:
        _LOG_SCRUBBERS.add(scrub)
        if _make_record is None:
            _make_record = logging.getLogRecordFactory()
            logging.setLogRecordFactory(_scrubbed_record)


def _scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _make_record is not None  # installed before this factory is
    record = _make_record(*args, **kwargs)
    scrubbers = list(_LOG_SCRUBBERS)
    if not scrubbers:
        return record
    try:
        message = record.getMessage()
    except Exception:  # arguments that do not fit: logging reports that when it emits
        return record
    clean = _all(scrubbers, message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info:
        trace = logging.Formatter().formatException(record.exc_info)
        clean = _all(scrubbers, trace)
        if clean != trace:  # formatters print exc_text, and would re-format exc_info
            record.exc_info, record.exc_text = None, clean
    return record


def _all(scrubbers: Iterable[Scrubber], text: str) -> str:
    for scrub in scrubbers:
        text = scrub(text)
    return text


def _encodings(secret: str) -> set[str]:
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


@dataclass(frozen=True)
class ServiceErrors:
    """How the failures of one connection to a service are worded.

    `where` opens every message ("Jira at https://example.atlassian.net",
    "Microsoft Graph, mailbox art@example.com"); the hints say what the person
    running rte checks for a refused sign-in (`credentials`), a missing
    permission (`permissions`) and something not found (`not_found`), in the
    words of the config they wrote.
    """

    where: str
    credentials: str
    permissions: str
    not_found: str
    scrub: Scrubber = field(default_factory=Scrubber)

    def refused(
        self, call: str, status: int | None, reason: str = "", *, not_found: str | None = None
    ) -> str:
        """The service answered `call` with HTTP `status`, and `reason` (its own words).

        `not_found` replaces the connection's hint for a 404 or 410 where the
        call knows better (a board id, a page).
        """
        reason = " ".join(self.scrub(reason).split())[:MAX_REASON]
        said = f": {reason}" if reason else ""
        hint = self._hint(status, not_found)
        return self.scrub(
            f"{self.where} answered HTTP {status} to {call}{said}" + (f"; {hint}" if hint else "")
        )

    def unreachable(self, call: str, error: BaseException) -> str:
        """`call` got no usable answer: the retry budget is spent, or the connection failed.

        A `ConnectorError` (the policy's `RetriesExhaustedError`) already says
        which endpoint, how often and how long; anything else is named by its
        class only, since transport errors quote URLs and headers.
        """
        if isinstance(error, ConnectorError):
            return self.scrub(f"{self.where}: {error}")
        return self.scrub(f"{self.where}: {call} failed ({type(error).__name__})")

    def sign_in_failed(self, call: str, reason: str) -> str:
        """The sign-in that `call` needs was refused (by an identity service, not the API)."""
        reason = " ".join(self.scrub(reason).split())[:MAX_REASON] or "refused"
        return self.scrub(
            f"{self.where}: sign-in of the app failed before {call}: {reason}; "
            f"check {self.credentials}"
        )

    def not_json(self, call: str) -> str:
        return self.scrub(f"{self.where}: the answer to {call} is not JSON")

    def _hint(self, status: int | None, not_found: str | None) -> str:
        if status == 401:
            return f"the credentials were refused; check {self.credentials}"
        if status == 403:
            return self.permissions
        if status in (404, 410):
            return not_found or self.not_found
        if status is not None and (status == 429 or status >= 500):
            return "the service is throttling or failing, not refusing the request: run again later"
        return ""
