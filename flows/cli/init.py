"""`rte init`: a first art.yaml, drafted from what a Jira site says about one project.

It reads the site with read-only calls (`flows.steps.site_survey`), drafts
the config (`flows.steps.config_draft`) and writes it with its comments
(`flows.steps.art_yaml`), after checking that the file passes
`rte check-config` as written. The credentials go in as the references
given (`env:NAME`, `prefect-secret:NAME`): their values are looked up to
sign in, and never printed or written.
"""

from __future__ import annotations

import os
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer
from rich.table import Table

from flows.cli.common import VerboseOption, console, say
from flows.cli.errors import UsageProblem
from reports.terminal import plain

if TYPE_CHECKING:
    from art.config import JiraConfig
    from flows.steps.config_draft import ConfigDraft
    from flows.steps.site_survey import SiteSurvey

CLOUD_HOSTS = (".atlassian.net",)


class Backend(StrEnum):
    cloud = "cloud"
    datacenter = "datacenter"


def init(
    url: Annotated[
        str,
        typer.Option(
            help="The Jira site, such as https://your-site.atlassian.net.", show_default=False
        ),
    ],
    project: Annotated[
        str, typer.Option(help="The key of the project the train works in.", show_default=False)
    ],
    token: Annotated[
        str,
        typer.Option(
            help="Where the API token (Cloud) or personal access token (Data Center) is kept: "
            "env:NAME or prefect-secret:NAME.",
            show_default=False,
        ),
    ],
    user: Annotated[
        str | None,
        typer.Option(
            help="Where the account's e-mail is kept (Cloud; on Data Center a user name for "
            "basic auth): env:NAME or prefect-secret:NAME.",
            show_default=False,
        ),
    ] = None,
    board: Annotated[
        int | None,
        typer.Option(
            help="The Program Kanban's board: its columns and WIP limits become kanban.states.",
            min=1,
            show_default=False,
        ),
    ] = None,
    backend: Annotated[
        Backend | None,
        typer.Option(
            help="cloud or datacenter (default: cloud for *.atlassian.net).", show_default=False
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The file to write.", dir_okay=False)] = Path(
        "art.yaml"
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file if it exists.")
    ] = False,
    verbose: VerboseOption = False,
) -> None:
    """Draft art.yaml from what a Jira site says (read-only); TODOs mark the guesses."""
    jira = jira_settings(url, project, user, token, backend)
    if out.exists() and not force:
        raise UsageProblem(f"{out} exists; pass --force to overwrite it")
    assert jira.auth is not None and jira.url is not None  # jira_settings sets both
    survey, requests = read_site(jira, board)
    from flows.steps.config_draft import draft_config
    from flows.steps.site_survey import SurveyProblem

    try:
        draft = draft_config(
            survey, user_ref=jira.auth.user, token_ref=jira.auth.token, today=date.today()
        )
    except SurveyProblem as exc:  # a project with nothing to track
        raise UsageProblem(str(exc)) from None
    todos = write_config(draft, out)
    print_found(draft, survey, requests)
    say(f"Wrote {out}: {todos} TODO(s) to settle (grep -n TODO {out})")
    say("Next steps:")
    say(f"  rte check-config {out} --online")
    say(f"  rte health --config {out} --out out")


def jira_settings(
    url: str, project: str, user: str | None, token: str, backend: Backend | None
) -> JiraConfig:
    """The jira: section the options describe; a UsageProblem names the option that is wrong
    (and never repeats what was given for a credential: it may be the secret itself)."""
    from pydantic import ValidationError

    from art.config import SECRET_REF, JiraAuth, JiraConfig

    for option, value in (("--token", token), ("--user", user)):
        if value is not None and not SECRET_REF.match(value):
            raise UsageProblem(
                f"{option} must be a reference such as 'env:JIRA_API_TOKEN' or "
                "'prefect-secret:jira-token', never the secret itself"
            )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageProblem(f"--url '{url}' is not the http(s) address of a Jira site")
    if backend is None:
        if not (parts.hostname or "").endswith(CLOUD_HOSTS):
            raise UsageProblem(
                f"cannot tell whether {url} is Jira Cloud or Data Center: "
                "say --backend cloud or --backend datacenter"
            )
        backend = Backend.cloud
    if backend is Backend.cloud and user is None:
        raise UsageProblem("Jira Cloud signs in with the account's e-mail: give --user env:NAME")
    try:
        return JiraConfig(
            backend=backend.value,
            url=url.rstrip("/"),
            auth=JiraAuth(user=user, token=token),
            projects=(project.strip().upper(),),
        )
    except ValidationError:
        raise UsageProblem(
            f"--project '{project}' is not a Jira project key (such as AUR: capital letters, "
            "digits and _)"
        ) from None


def read_site(jira: JiraConfig, board: int | None) -> tuple[SiteSurvey, int]:
    """The survey of the project, and the requests it cost; a missing project or board is a
    UsageProblem listing those there are."""
    from connectors.http import RequestCounter
    from connectors.jira import JiraCredentials, connect
    from flows.runs.secret_blocks import prefect_secrets
    from flows.steps.site_survey import SurveyProblem, survey_site

    assert jira.auth is not None
    secrets = prefect_secrets()
    credentials = JiraCredentials(
        token=secrets.resolve(jira.auth.token, "--token"),
        user=secrets.resolve(jira.auth.user, "--user") if jira.auth.user else None,
    )
    counter = RequestCounter()
    site = connect(jira, credentials, counter=counter)
    try:
        with console.status(f"Reading {jira.url} ..."):
            survey = survey_site(
                site, deployment=jira.backend, project_key=jira.projects[0], board_id=board
            )
    except SurveyProblem as exc:
        raise UsageProblem(str(exc)) from None
    return survey, counter.total


def write_config(draft: ConfigDraft, out: Path) -> int:
    """Write the drafted file, once it has passed `rte check-config`; its TODO count."""
    from art.config_errors import ConfigError
    from connectors.config_file import read_config
    from flows.steps.art_yaml import render_art_yaml

    text = render_art_yaml(draft, out.name)
    draft_file = out.with_name(f".{out.name}.draft")
    draft_file.write_text(text, encoding="utf-8")
    try:
        read_config(draft_file)
    except ConfigError as exc:  # a bug of ours: the draft must pass as written
        draft_file.unlink()
        raise AssertionError(f"the drafted art.yaml does not pass check-config: {exc}") from None
    os.replace(draft_file, out)
    return text.count("# TODO")


def print_found(draft: ConfigDraft, survey: SiteSurvey, requests: int) -> None:
    from flows.steps.config_draft import summary_rows

    table = Table(title=plain(f"Read in {requests} requests"), show_header=False)
    table.add_column("what", style="bold")
    table.add_column("found")
    for what, found in summary_rows(draft, survey):
        table.add_row(plain(what), plain(found))
    console.print(table)
