"""A private Microsoft cloud on 127.0.0.1: the Graph fake and an Entra ID fake over https.

art.yaml reaches any Graph cloud through `calendar.graph_url`, `calendar.authority`
and `calendar.instance_discovery`, so the flows' real wiring (bootstrap -> the
Entra app's client-credentials sign-in -> Graph) runs end to end against the
fakes: nothing is patched. azure-identity signs in over https only, so the
Entra fake serves a fresh self-signed certificate that `REQUESTS_CA_BUNDLE`
makes trusted for the test's duration.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.fakes.entra import FakeEntra
from tests.fakes.graph import GraphFake
from tests.fakes.tls import local_certificate

TENANT = "5f0c8e2a-1b3d-4c6e-9a7b-2d4f6e8a0c1e"
CLIENT = "c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"
ISSUED = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.issued-by-the-fake."


@contextmanager
def entra_for(
    graph: GraphFake, folder: Path, *, secret: str, tenant: str = TENANT, client: str = CLIENT
) -> Iterator[FakeEntra]:
    """An Entra ID fake that signs the app `client` of `tenant` in with `secret` and issues
    the token `graph` accepts (`graph.token` becomes that token)."""
    certificate = local_certificate(folder / "tls")
    graph.token = ISSUED
    entra = FakeEntra(
        tenant_id=tenant,
        client_id=client,
        client_secret=secret,
        scope=f"{graph.url}/.default",
        token=ISSUED,
        tls=certificate.context,
    )
    previous = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = str(certificate.ca_file)  # azure-core trusts it
    try:
        with entra.running():
            yield entra
    finally:
        if previous is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = previous


def private_cloud(entra: FakeEntra, graph: GraphFake) -> dict[str, Any]:
    """The `calendar` keys of art.yaml that point an ART at the two fakes."""
    return {
        "graph_url": f"{graph.url}/v1.0",
        "authority": entra.url.removeprefix("https://"),
        "instance_discovery": False,  # Entra's discovery knows only Microsoft's clouds
    }
