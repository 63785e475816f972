"""Names Prefect accepts, derived from ours: artifact keys and concurrency-limit names.

Artifact keys allow only lower-case ASCII letters, digits and dashes; an ART
called "Équipe Ü" still needs a stable, readable key, so letters are folded
to ASCII first and a short digest keeps two names that fold alike apart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit


def key_slug(name: str) -> str:
    """'Aurora ART' -> 'aurora-art'; 'Équipe Ü' -> 'equipe-u-<digest>'."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if slug and folded == name:
        return slug
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else digest


def site_host(url: str) -> str:
    """The host (and port) of a site URL, lower-case: one Jira site, however it is written."""
    return (urlsplit(url).netloc or url).lower()
