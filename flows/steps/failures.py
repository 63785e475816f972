"""How a run that did part of its work fails: `RunFailed`.

Publishing is a reconcile, so a run that could not write everything has
still written the rest, and the next run finishes the job. Its failure says
which writes failed and why; it is not retried as a whole (the HTTP policy
has retried each call already), and the CLI prints it as one line.
"""

from __future__ import annotations


class RunFailed(Exception):
    """Some writes of a run failed; the others are done, and the next run does the rest."""
