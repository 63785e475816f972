"""The `export` backend: a folder of REST-shaped Jira JSON instead of a live site.

It lets the demo (and anyone without Jira access) run every flow offline on
exactly the shapes a real site returns, through the same field discovery and
the same parser as the Cloud and Data Center connectors. The folder holds:

- `fields.json`: the body of `GET /rest/api/3/field`;
- `search-page-NNN.json`: search responses, each `{"issues": [...]}`;
- `export.json`: a manifest with the `snapshot` time and the `site` URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from art.config import JiraConfig
from art.model import RejectedRecord, WorkItem
from connectors.errors import ConnectorError
from connectors.jira_fields import resolve_fields
from connectors.jira_json import parse_issues
from connectors.jira_values import parse_timestamp

FIELDS_FILE = "fields.json"
MANIFEST_FILE = "export.json"
PAGE_PATTERN = "search-page-*.json"


class ExportNotFoundError(ConnectorError, FileNotFoundError):
    """The export folder, or a file it must hold, is not there."""


class ExportFormatError(ConnectorError, ValueError):
    """A file of the export is not what a Jira REST response looks like."""


@dataclass(frozen=True, slots=True)
class ExportSnapshot:
    """Everything read from an export folder, and when and where it was taken."""

    items: tuple[WorkItem, ...]
    rejected: tuple[RejectedRecord, ...]
    snapshot: datetime
    site: str
    warnings: tuple[RejectedRecord, ...] = ()


def read_export(folder: Path, jira: JiraConfig) -> ExportSnapshot:
    """Read a whole export folder the way a connector reads a live site."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportNotFoundError(f"Jira export folder not found: {folder}")
    snapshot, site = _read_manifest(folder / MANIFEST_FILE)
    ids = resolve_fields(jira.fields, _read_field_list(folder / FIELDS_FILE))
    parsed = parse_issues(_issues_of_all_pages(folder), ids, jira)
    return ExportSnapshot(parsed.items, parsed.rejected, snapshot, site, parsed.warnings)


@dataclass(frozen=True, slots=True)
class RawExport:
    """An export folder as Jira sent it, for readers of other fields than WorkItems carry."""

    site: str
    field_list: list[dict[str, Any]]
    issues: list[Any]


def read_raw_export(folder: Path) -> RawExport:
    """The export's site, field list and raw issues (the PI objectives source reads these)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportNotFoundError(f"Jira export folder not found: {folder}")
    _, site = _read_manifest(folder / MANIFEST_FILE)
    return RawExport(site, _read_field_list(folder / FIELDS_FILE), _issues_of_all_pages(folder))


def export_site(folder: Path) -> str:
    """The Jira site the export was taken from (its manifest only), for links to issues."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportNotFoundError(f"Jira export folder not found: {folder}")
    return _read_manifest(folder / MANIFEST_FILE)[1]


def _read_manifest(path: Path) -> tuple[datetime, str]:
    manifest = _read_json(path)
    if not isinstance(manifest, dict):
        raise ExportFormatError(f"{path}: must hold a JSON object with 'snapshot' and 'site'")
    snapshot = parse_timestamp(manifest.get("snapshot"))
    if snapshot is None:
        raise ExportFormatError(
            f"{path}: 'snapshot' must be a timestamp with a time zone, "
            "such as 2026-10-06T09:15:23.000+0200"
        )
    site = manifest.get("site")
    if not isinstance(site, str) or not site.strip():
        raise ExportFormatError(f"{path}: 'site' must be the Jira site URL")
    return snapshot, site.strip()


def _read_field_list(path: Path) -> list[dict[str, Any]]:
    field_list = _read_json(path)
    if not isinstance(field_list, list):
        raise ExportFormatError(f"{path}: must hold the JSON list GET /rest/api/3/field returns")
    return [entry for entry in field_list if isinstance(entry, dict)]


def _issues_of_all_pages(folder: Path) -> list[Any]:
    pages = sorted(folder.glob(PAGE_PATTERN), key=lambda page: page.name)
    if not pages:
        raise ExportNotFoundError(f"no {PAGE_PATTERN} files in the Jira export folder {folder}")
    issues: list[Any] = []
    for page in pages:
        issues.extend(_issues_of_page(page))
    return issues


def _issues_of_page(path: Path) -> list[Any]:
    body = _read_json(path)
    issues = body.get("issues") if isinstance(body, dict) else None
    if not isinstance(issues, list):
        raise ExportFormatError(f'{path}: must hold a search response {{"issues": [...]}}')
    return issues


def _read_json(path: Path) -> Any:
    """Parse one file, naming the file and line when it is not JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExportNotFoundError(f"Jira export file not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise ExportFormatError(f"{path}: not UTF-8 text ({exc.reason})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportFormatError(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
