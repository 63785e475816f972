"""Prefect run plumbing: the config task, the retry predicate, artifacts and run records,
the publishing guard, the Jira rate limit, names Prefect accepts, and its environment."""
