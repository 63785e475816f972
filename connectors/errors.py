"""The one family of errors a conversation with the outside world ends in.

Every connector raises a `ConnectorError` when a service (Jira, Confluence,
Graph, an export folder) refuses, cannot be reached, or its retry budget is
spent. The message is written for the person who runs `rte`: it names the
service, the call and what to check, and never holds a credential. Callers
therefore catch one base: the retry predicate knows such a failure is
settled (the HTTP policy has retried it already, or it is permanent), and
the CLI prints it as one line.
"""

from __future__ import annotations


class ConnectorError(Exception):
    """A service refused or could not do what was asked; the message says what to check."""
