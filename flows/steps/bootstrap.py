"""The one place that turns an `art.yaml` into the adapters a run talks through.

| adapter | from the config | picks |
|---|---|---|
| `jira` | `jira.backend` | a live Cloud or Data Center site (`LiveJira`), or the export folder |
| `pages` | `confluence.backend` | Confluence Cloud or Data Center, or the output folder |
| `calendar` | `calendar.backend`, `--ics` | the Outlook mailbox, or an .ics file |
| `escalation` | `calendar.backend` | a mail from the Outlook mailbox, or `escalation.html` |
| `objectives` | `objectives.source` | the YAML file, or Jira issues |
| `history` | `state_dir` | the health check's nightly history, in the state directory |

Each adapter is made on first use, so a run signs in only to the services it
talks to, and resolves only their secrets; their client libraries (jira,
atlassian-python-api, msgraph-sdk: over a second of imports together) are
imported then too, so the demo, which talks to none, starts at once. Tests and benchmarks hand
`bootstrap` an adapter of their own (a fake, a site with a fast retry policy)
by name instead of patching anything; the rest still comes from the config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from art.config import ArtConfig
from art.config_errors import ConfigError, Problem
from connectors.files import FolderPublisher
from connectors.health_history import HistoryFiles
from connectors.http import RequestCounter, RetryPolicy
from flows.steps.calendar import CalendarTarget, IcsFile
from flows.steps.escalation import (
    ESCALATION_FILE,
    Escalation,
    FileEscalation,
    MailEscalation,
    recipients_of,
)
from flows.steps.jira_snapshot import ExportJira, JiraSource, LiveJira
from flows.steps.morning_read import HistoryStore
from flows.steps.objectives import JiraObjectives, ObjectivesReader, YamlObjectives
from flows.steps.publishing import PageTarget
from flows.steps.secrets import Secrets
from reports.templating import slugify

if TYPE_CHECKING:  # the client libraries are imported by the adapter that uses them
    from art.config import CalendarConfig
    from connectors.confluence import ConfluencePublisher
    from connectors.graph_client import GraphApp, GraphCloud
    from connectors.outlook import OutlookCalendar
    from connectors.outlook_mail import OutlookMailer


@dataclass
class Adapters:
    """The adapters of one run, each made from the config when first asked for."""

    config: ArtConfig
    out_dir: Path
    secrets: Secrets = field(default_factory=Secrets)
    policy: RetryPolicy | None = None  # None: each connector's own default
    jira_counter: RequestCounter = field(default_factory=RequestCounter)
    ics_file: Path | None = None  # `--ics FILE`: the calendar goes there whatever the backend

    @cached_property
    def jira(self) -> JiraSource:
        jira = self.config.jira
        if jira.backend == "export":
            assert jira.export_dir is not None  # validate_config guarantees it
            return ExportJira(self.config, Path(jira.export_dir))
        return self.live_jira()

    def live_jira(self) -> LiveJira:
        """The live site; a clear error when the config reads an export (nothing to sync to,
        nothing to write back to)."""
        from connectors.jira import JiraCredentials
        from connectors.jira import connect as connect_jira

        jira = self.config.jira
        if jira.backend == "export" or jira.auth is None:
            raise ConfigError(
                [
                    Problem(
                        "jira.backend",
                        "is 'export': there is no Jira site to sync with or write to "
                        "(a live site is 'cloud' or 'datacenter')",
                    )
                ]
            )
        credentials = JiraCredentials(
            token=self.secrets.resolve(jira.auth.token, "jira.auth.token"),
            user=self.secrets.resolve(jira.auth.user, "jira.auth.user") if jira.auth.user else None,
        )
        client = connect_jira(jira, credentials, policy=self.policy, counter=self.jira_counter)
        return LiveJira(self.config, client, self.jira_counter)

    @cached_property
    def pages(self) -> PageTarget:
        confluence = self.config.confluence
        if confluence.backend == "files":
            folder = self.out_dir / confluence.pages_dir
            return PageTarget(FolderPublisher(folder), f"folder {folder}")
        counter = RequestCounter()
        publisher = self.confluence(counter)
        kind = "Cloud" if confluence.backend == "cloud" else "Data Center"
        name = f"Confluence {kind} {confluence.url} space {confluence.space}"
        return PageTarget(publisher, name, counter)

    def confluence(self, counter: RequestCounter | None = None) -> ConfluencePublisher:
        """The configured Confluence Cloud or Data Center site, signed in as the config says."""
        from connectors.confluence import ConfluenceCredentials
        from connectors.confluence import connect as connect_confluence
        from connectors.page_registry import PageRegistry

        confluence = self.config.confluence
        assert confluence.auth is not None  # validate_config guarantees it for a site
        credentials = ConfluenceCredentials(
            token=self.secrets.resolve(confluence.auth.token, "confluence.auth.token"),
            user=self.secrets.resolve(confluence.auth.user, "confluence.auth.user")
            if confluence.auth.user
            else None,
        )
        assert confluence.url and confluence.space  # validate_config guarantees them
        registry = PageRegistry.in_dir(
            self.config.state_dir, site=confluence.url, space=confluence.space
        )
        return connect_confluence(
            confluence, credentials, policy=self.policy, counter=counter, registry=registry
        )

    @cached_property
    def calendar(self) -> CalendarTarget:
        if self.config.calendar.backend == "outlook" and self.ics_file is None:
            return self.outlook()
        return IcsFile(self.ics_file or self.out_dir / self.config.calendar.ics_file)

    @cached_property
    def escalation(self) -> Escalation:
        if self.config.calendar.backend == "outlook":
            return MailEscalation(recipients_of(self.config), self.outlook_mailer)
        return FileEscalation(self.out_dir / ESCALATION_FILE)

    @cached_property
    def objectives(self) -> ObjectivesReader:
        settings = self.config.objectives
        if settings.source == "yaml":
            return YamlObjectives(settings.file, self.jira)
        return JiraObjectives(self.config, self.jira)

    @cached_property
    def history(self) -> HistoryStore:
        return HistoryFiles(Path(self.config.state_dir) / "health" / slugify(self.config.art.name))

    def outlook(self) -> OutlookCalendar:
        """The configured mailbox's calendar, signed in as the Entra app the config names."""
        from connectors.outlook import OutlookCalendar

        calendar = self.config.calendar
        assert calendar.mailbox  # validate_config guarantees it when the backend is outlook
        return OutlookCalendar(
            app=self.graph_app,
            mailbox=calendar.mailbox,
            tz=self.config.art.timezone,
            calendar_id=calendar.calendar_id,
        )

    def outlook_mailer(self) -> OutlookMailer:
        """The configured mailbox, sending mail as the Entra app the config names."""
        from connectors.outlook_mail import OutlookMailer

        assert self.config.calendar.mailbox  # guaranteed when the backend is outlook
        return OutlookMailer(app=self.graph_app, mailbox=self.config.calendar.mailbox)

    @cached_property
    def graph_app(self) -> GraphApp:
        """The Entra app's sign-in, in the configured cloud: one for the calendar and mail."""
        from connectors.graph_client import GraphApp

        calendar = self.config.calendar
        # validate_config guarantees these (a secret or a certificate) when the backend is outlook
        assert calendar.tenant_id and calendar.client_id
        secret = self.secrets.resolve
        tenant_id = secret(calendar.tenant_id, "calendar.tenant_id").get_secret_value()
        client_id = secret(calendar.client_id, "calendar.client_id").get_secret_value()
        if calendar.client_certificate:
            certificate = secret(calendar.client_certificate, "calendar.client_certificate")
            return GraphApp.certificate(
                tenant_id=tenant_id,
                client_id=client_id,
                certificate=certificate.get_secret_value(),
                cloud=graph_cloud(calendar),
            )
        assert calendar.client_secret
        return GraphApp.client_secret(
            tenant_id=tenant_id,
            client_id=client_id,
            client_secret=secret(
                calendar.client_secret, "calendar.client_secret"
            ).get_secret_value(),
            cloud=graph_cloud(calendar),
        )


def graph_cloud(calendar: CalendarConfig) -> GraphCloud:
    """The Microsoft cloud the tenant lives in: one of the table, or the endpoints given."""
    from connectors.graph_client import GRAPH_CLOUDS, GraphCloud

    known = GRAPH_CLOUDS[calendar.cloud]
    return GraphCloud(
        authority=calendar.authority or known.authority,
        graph_url=calendar.graph_url or known.graph_url,
        instance_discovery=known.instance_discovery
        if calendar.instance_discovery is None
        else calendar.instance_discovery,
    )


def bootstrap(
    config: ArtConfig,
    out_dir: Path | str,
    *,
    secrets: Secrets | None = None,
    policy: RetryPolicy | None = None,
    jira_counter: RequestCounter | None = None,
    ics_file: Path | str | None = None,
    jira: JiraSource | None = None,
    pages: PageTarget | None = None,
    calendar: CalendarTarget | None = None,
    escalation: Escalation | None = None,
    objectives: ObjectivesReader | None = None,
    history: HistoryStore | None = None,
) -> Adapters:
    """The adapters for `config`; an adapter handed in by name replaces the configured one.

    `secrets` says where references are looked up (default: the environment
    only), `policy` replaces every connector's retry policy (tests use tiny
    waits), `jira_counter` counts (and may rate-limit) the Jira requests.
    """
    adapters = Adapters(
        config,
        Path(out_dir),
        secrets=secrets or Secrets(),
        policy=policy,
        jira_counter=jira_counter if jira_counter is not None else RequestCounter(),
        ics_file=Path(ics_file) if ics_file is not None else None,
    )
    given = {
        "jira": jira,
        "pages": pages,
        "calendar": calendar,
        "escalation": escalation,
        "objectives": objectives,
        "history": history,
    }
    # A cached property is looked up in the instance first: an adapter handed in is the one.
    vars(adapters).update({name: value for name, value in given.items() if value is not None})
    return adapters
