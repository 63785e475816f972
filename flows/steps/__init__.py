"""The work of the flows as plain functions: no Prefect, no typer.

The flows wrap these steps in tasks, and the one-off commands call them in
process; `bootstrap` is the one place that turns a config into adapters.
"""
