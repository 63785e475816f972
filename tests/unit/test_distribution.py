"""rte's five top-level import names are generic (`art`, `rules`, `reports`, `connectors`,
`flows`): in rte's environment they must be rte's alone, or an import would quietly load
another project's module. (So rte installs as a tool, in an environment of its own.)"""

from __future__ import annotations

from importlib.metadata import distribution, packages_distributions
from importlib.util import find_spec
from pathlib import Path

import pytest

TOP_LEVEL = ("art", "rules", "reports", "connectors", "flows")
CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_no_other_distribution_provides_the_name(name: str) -> None:
    others = sorted(set(packages_distributions().get(name, [])) - {"rte"})
    assert others == [], f"{name} is also provided by {others}"


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_the_name_imports_from_this_distribution(name: str) -> None:
    spec = find_spec(name)
    assert spec is not None and spec.origin is not None
    origin = Path(spec.origin).resolve()
    installed = Path(str(distribution("rte").locate_file(""))).resolve()
    assert origin.is_relative_to(CHECKOUT) or origin.is_relative_to(installed), origin


def test_the_demo_art_ships_inside_the_package() -> None:
    from flows.cli.common import DEMO_CONFIG

    assert DEMO_CONFIG.is_file() and DEMO_CONFIG.parent.name == "demo_art"
    assert (DEMO_CONFIG.parent / "jira" / "export.json").is_file()
