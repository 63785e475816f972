"""The first task of every flow: read and validate art.yaml.

A task of its own, so a bad config shows in the Prefect UI as the step that
failed, before any source is read.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from art.config import ArtConfig
from connectors.config_file import read_config


@task(cache_policy=NO_CACHE)
def load_config(config_path: str) -> ArtConfig:
    """Read and validate art.yaml."""
    return read_config(config_path)
