"""A portfolio: several ARTs (each its own art.yaml) run as one fan-out, and the Jira ceiling.

```yaml
arts:                        # relative to this file
  - ../flows/demo_art/art.yaml
  - ../arts/payments/art.yaml
out_dir: out                 # each ART writes into out/<art>/
jira_ceiling:                # all ARTs' requests to one Jira site together
  requests_per_second: 5
  burst: 5
deployments:                 # optional: the deployment every ART's run goes through
  nightly-health: nightly-health/nightly
```

Without `deployments:`, each ART's run goes through the ART's own deployment
(`nightly-health/aurora-art`, as `rte deploy` names it) when the server has
it, else through the flow's shared one (`nightly-health/nightly`, as
`deployments/prefect.yaml` names it).

Every ART config is validated before any run starts, so a typo in the tenth
ART fails the portfolio at once, naming the file and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field

from art.config import ArtConfig, NonEmpty, Strict
from art.config_check import validate_document
from art.config_errors import ConfigError, Problem
from connectors.config_file import read_config, read_yaml
from flows.runs.names import key_slug, site_host
from flows.runs.schedules import SCHEDULES, art_deployment_name, run_path, schedule_for


class JiraCeiling(Strict):
    requests_per_second: Annotated[float, Field(ge=0.01)] = Field(
        description="The most requests a second one Jira site gets from all ARTs' runs together."
    )
    burst: Annotated[int, Field(gt=0)] = Field(
        default=1, description="Requests that may go at once before the rate applies."
    )


class PortfolioConfig(Strict):
    arts: tuple[NonEmpty, ...] = Field(min_length=1, description="art.yaml files, one per ART.")
    out_dir: NonEmpty = Field(default="out", description="Each ART writes into <out_dir>/<art>.")
    jira_ceiling: JiraCeiling | None = None
    deployments: dict[NonEmpty, NonEmpty] = Field(
        default_factory=dict,
        description="Flow name -> the deployment ('flow/name') each ART's run goes through.",
    )


@dataclass(frozen=True)
class PortfolioArt:
    """One ART of the portfolio: its config file as runs should name it, and its config."""

    path: str
    config: ArtConfig

    @property
    def slug(self) -> str:
        return key_slug(self.config.art.name)


@dataclass(frozen=True)
class Portfolio:
    arts: tuple[PortfolioArt, ...]
    out_dir: str
    jira_ceiling: JiraCeiling | None
    deployments: Mapping[str, str]

    def jira_sites(self) -> dict[str, str]:
        """The live Jira sites the ARTs read, host -> URL (one ceiling each)."""
        sites: dict[str, str] = {}
        for art in self.arts:
            jira = art.config.jira
            if jira.backend != "export" and jira.url:
                sites.setdefault(site_host(jira.url), jira.url)
        return sites

    def deployment_for(self, flow: str) -> str:
        """'nightly-health/nightly': where this flow's ART runs go (ValueError if no such flow)."""
        return self.deployments.get(flow) or schedule_for(flow).full_name

    def deployment_candidates(self, flow: str, art: PortfolioArt) -> tuple[str, ...]:
        """Where this ART's run of `flow` may go, first choice first: the deployment the
        portfolio names, else the ART's own (`rte deploy`), else the flow's shared one."""
        if flow in self.deployments:
            return (self.deployments[flow],)
        own = f"{flow}/{art_deployment_name(art.config.art.name)}"
        return (own, self.deployment_for(flow))

    def run_parameters(self, art: PortfolioArt) -> dict[str, str]:
        return {"config_path": art.path, "out_dir": f"{self.out_dir}/{art.slug}"}


def read_portfolio(path: Path | str, cwd: Path | None = None) -> Portfolio:
    """Read the portfolio and every ART config in it; ConfigError lists every problem."""
    path = Path(path)
    settings = validate_document(PortfolioConfig, read_yaml(path), shape="arts: [...]")
    base, here = path.resolve().parent, (cwd or Path.cwd()).resolve()
    problems: list[Problem] = []
    arts: dict[int, PortfolioArt] = {}  # by index in the file
    for index, name in enumerate(settings.arts):
        art_path = (base / name).resolve()
        try:
            arts[index] = PortfolioArt(run_path(art_path, here), read_config(art_path))
        except ConfigError as exc:
            problems += [Problem(f"arts[{index}] ({name})", str(p)) for p in exc.problems]
    problems += _portfolio_problems(settings, arts)
    if problems:
        raise ConfigError(problems)
    return Portfolio(
        tuple(arts.values()), settings.out_dir, settings.jira_ceiling, settings.deployments
    )


def _portfolio_problems(settings: PortfolioConfig, arts: dict[int, PortfolioArt]) -> list[Problem]:
    problems = []
    flows = {schedule.flow for schedule in SCHEDULES}
    for flow, deployment in settings.deployments.items():
        if flow not in flows:
            problems.append(
                Problem(f"deployments.{flow}", f"is not a flow (flows: {sorted(flows)})")
            )
        elif not deployment.startswith(f"{flow}/"):
            problems.append(
                Problem(f"deployments.{flow}", f"must name a deployment of {flow}: '{flow}/NAME'")
            )
    seen: dict[str, int] = {}
    for index, art in arts.items():
        if art.slug in seen:
            problems.append(
                Problem(
                    f"arts[{index}]",
                    f"ART '{art.config.art.name}' has the same name as arts[{seen[art.slug]}]; "
                    "their output folders would collide",
                )
            )
        seen.setdefault(art.slug, index)
    return problems
