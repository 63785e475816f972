"""What every run leaves in the Prefect UI: a summary, a findings table, links to what it published.

The flows describe a run as a `RunRecord`; this module turns it into Prefect
artifacts. Summary and findings carry keys (`<art>-<flow>-summary`,
`<art>-<flow>-findings`), so the UI keeps their history per ART and flow;
the links belong to the run. A run that fails leaves its summary too
(`failure_reported`), saying what failed in the connector's own words.
Text from Jira and the config is escaped for
markdown (it is shown, never interpreted), and every value that the config's
credential references stand for is masked before anything is sent, wherever
it hides (an error message, a URL).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

from art.config import ArtConfig
from art.model import Finding, Severity
from connectors.errors import Scrubber
from connectors.files import safe_name
from flows.runs.names import key_slug
from flows.steps.secret_refs import secret_values
from flows.steps.secrets import Secrets

log = logging.getLogger(__name__)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_SEVERITIES = tuple(reversed(Severity))  # most severe first


@dataclass(frozen=True)
class Link:
    """Something a run published, and where to look at it."""

    title: str
    url: str


@dataclass(frozen=True)
class RunRecord:
    """One run as the UI shows it: a headline, facts, findings and links."""

    flow: str
    art: str
    dry_run: bool
    headline: str
    facts: Sequence[tuple[str, str]] = ()
    findings: Sequence[Finding] = ()
    links: Sequence[Link] = field(default_factory=list)
    failed: bool = False


def failed_record(flow: str, art: str, dry_run: bool, error: BaseException) -> RunRecord:
    """A run that stopped: the error as the connector worded it (service and progress)."""
    return RunRecord(
        flow=flow,
        art=art,
        dry_run=dry_run,
        headline=f"Failed: {error}",
        facts=[("error", type(error).__name__)],
        failed=True,
    )


def markdown_text(text: str) -> str:
    """Text shown literally in markdown: one line, no markup, no HTML, no table breaks."""
    one_line = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def severity_counts(findings: Iterable[Finding]) -> str:
    """'2 critical, 5 warning, 0 info'."""
    counted = {severity: 0 for severity in _SEVERITIES}
    for finding in findings:
        counted[finding.severity] += 1
    return ", ".join(f"{counted[severity]} {severity.value}" for severity in _SEVERITIES)


def summary_markdown(record: RunRecord) -> str:
    """The run's summary: headline, a table of facts, the links."""
    title = markdown_text(f"{record.art}: {record.flow}") + (" (dry run)" if record.dry_run else "")
    title += " FAILED" if record.failed else ""
    lines = [f"### {title}", "", markdown_text(record.headline), ""]
    if record.facts:
        lines += ["| | |", "|---|---|"]
        lines += [
            f"| {markdown_text(name)} | {markdown_text(value)} |" for name, value in record.facts
        ]
        lines.append("")
    if record.links:
        lines.append("**Published**")
        lines += [f"- [{markdown_text(link.title)}](<{_url(link.url)}>)" for link in record.links]
    return "\n".join(lines).rstrip() + "\n"


def finding_rows(findings: Iterable[Finding]) -> list[dict[str, str]]:
    """The findings as table rows, most severe first (the order the rules gave within that)."""
    ordered = sorted(findings, key=lambda finding: -finding.severity.rank)
    return [
        {
            "severity": finding.severity.value,
            "rule": finding.rule,
            "subject": finding.subject,
            "message": finding.message,
        }
        for finding in ordered
    ]


def redacted(record: RunRecord, secrets: Sequence[str]) -> RunRecord:
    """The record with every secret masked in every text it carries."""

    clean = Scrubber(secrets)

    return RunRecord(
        flow=record.flow,
        art=clean(record.art),
        dry_run=record.dry_run,
        headline=clean(record.headline),
        facts=[(clean(name), clean(value)) for name, value in record.facts],
        findings=[
            Finding(f.rule, f.severity, clean(f.subject), clean(f.message)) for f in record.findings
        ],
        links=[Link(clean(link.title), clean(link.url)) for link in record.links],
        failed=record.failed,
    )


def leave_artifacts(record: RunRecord, config: ArtConfig, secrets: Secrets) -> None:
    """Create the run's artifacts in Prefect, with the config's secrets masked."""
    from prefect.artifacts import (
        create_link_artifact,
        create_markdown_artifact,
        create_table_artifact,
    )

    clean = redacted(record, secret_values(config, secrets))
    key = f"{key_slug(record.art)}-{record.flow}"
    create_markdown_artifact(
        summary_markdown(clean), key=f"{key}-summary", description=f"{record.flow}: the run"
    )
    if record.failed:  # no findings to show: the last good run's table stays the latest
        return
    create_table_artifact(
        finding_rows(clean.findings),
        key=f"{key}-findings",
        description=f"{record.flow}: {severity_counts(clean.findings)}",
    )
    for link in clean.links:  # Prefect writes "[link_text](url)": the title is markdown text
        create_link_artifact(
            link.url, link_text=markdown_text(link.title), description=f"{record.flow} published"
        )


@contextmanager
def failure_reported(
    flow: str, config: ArtConfig, secrets: Secrets, *, dry_run: bool
) -> Iterator[None]:
    """Leave the summary of a run that fails inside, then let the failure go on.

    The summary's key is the good runs' key, so the UI's history of a flow shows
    the failed night among the others, not only a red state somewhere else.
    """
    try:
        yield
    except Exception as error:
        try:
            leave_artifacts(failed_record(flow, config.art.name, dry_run, error), config, secrets)
        except Exception as unreported:  # Prefect's API may be what failed: keep the first error
            log.warning("The failed run's summary was not saved: %s", type(unreported).__name__)
        raise


# -- where things were published ------------------------------------------------


def page_links(config: ArtConfig, out_dir: Path, pages: Iterable[tuple[str, str]]) -> list[Link]:
    """Links to pages given as (key, title): the HTML preview in the folder, or Confluence."""
    confluence = config.confluence
    pages = list(pages)
    if confluence.backend == "files":
        folder = Path(out_dir).resolve() / confluence.pages_dir
        return [file_link(title, folder / f"{safe_name(key)}.html") for key, title in pages]
    base = (confluence.url or "").rstrip("/")
    cloud = confluence.backend == "cloud" and not base.endswith("/wiki")
    prefix = f"{base}/wiki" if cloud else base
    space = quote_plus(confluence.space or "")
    # Both Cloud and Data Center resolve /display/SPACE/Title to the page of that title.
    return [Link(title, f"{prefix}/display/{space}/{quote_plus(title)}") for _, title in pages]


def file_link(title: str, path: Path) -> Link:
    return Link(title, Path(path).resolve().as_uri())


def outlook_link(mailbox: str) -> Link:
    return Link(f"Outlook calendar of {mailbox}", "https://outlook.office.com/calendar/")


def _url(url: str) -> str:
    """A URL inside <...> in markdown: no angle brackets or line breaks can end it early."""
    return re.sub(r"[<>\s]", lambda match: f"%{ord(match.group(0)):02X}", url)
