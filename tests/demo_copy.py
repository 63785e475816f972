"""The demo ART's config, copied elsewhere: its data files still found, its name and state
wherever a test wants them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from flows.cli.common import DEMO_CONFIG


def copy_demo_config(folder: Path, *, name: str | None = None, **top: Any) -> Path:
    """Write `folder/art.yaml`: the demo with absolute data paths, state in `folder/state`,
    another ART name if given, and any top-level section replaced by `top`."""
    data = yaml.safe_load(DEMO_CONFIG.read_text(encoding="utf-8"))
    demo = DEMO_CONFIG.parent
    data["jira"]["export_dir"] = str(demo / data["jira"]["export_dir"])
    data["objectives"]["file"] = str(demo / data["objectives"]["file"])
    data["state_dir"] = str(folder / "state")
    if name is not None:
        data["art"]["name"] = name
    data.update(top)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "art.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
