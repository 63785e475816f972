"""Text from outside, made safe to print on a terminal.

Jira summaries, ART names and file names are shown literally: as a
`rich.text.Text`, which rich never parses as markup (so "[bold]" or "[/]"
prints as typed; sturdier than `rich.markup.escape` on a str), and without
the control characters a terminal would obey (ESC sequences can move the
cursor or retitle the window; CSI is \\x9b).
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls but TAB and LF, DEL, C1 controls.
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: object, style: str = "") -> Text:
    """`text` as a literal rich Text: no markup parsed, no terminal control characters."""
    return Text(TERMINAL_CONTROLS.sub("", str(text)), style=style)
