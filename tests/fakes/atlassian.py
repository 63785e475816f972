"""What the Jira and Confluence fakes share: a Cloud or Data Center site and its one account.

Both deployments take basic auth (account e-mail or user name, and the API
token or password); Data Center also takes the token alone as a bearer
personal access token. Each fake decides which account it accepts.
"""

from __future__ import annotations

import base64

from tests.fakes.server import FakeServer

DEPLOYMENTS = ("cloud", "datacenter")


class AtlassianSite(FakeServer):
    """A fake Jira or Confluence site: its deployment and the one account it knows."""

    def __init__(
        self, deployment: str, *, user: str | None, token: str, latency: float, seed: int
    ) -> None:
        super().__init__(latency=latency, seed=seed)
        if deployment not in DEPLOYMENTS:
            raise ValueError("deployment must be 'cloud' or 'datacenter'")
        self.deployment = deployment
        self.cloud = deployment == "cloud"
        self.user = user
        self.token = token

    def is_bearer_token(self, header: str) -> bool:
        """Whether the Authorization header is the token as a bearer (valid on Data Center)."""
        return header == f"Bearer {self.token}"

    @staticmethod
    def basic_credentials(header: str) -> tuple[str, str] | None:
        """The user and secret of a basic Authorization header, or None if it is none."""
        if not header.startswith("Basic "):
            return None
        try:
            user, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return user, secret
