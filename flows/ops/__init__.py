"""Hosting the flows: `rte serve`, the local Prefect server, and Prefect blocks."""
