"""The flow export as CSV text: what ActionableAgile Analytics and similar tools import.

RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a
comma, a quote or a line break (quotes doubled). Summaries go in exactly as
Jira has them; the CSV quoting keeps them one field.
"""

from __future__ import annotations

import csv
import io

from rules.flow_export import FlowExport


def flow_csv(export: FlowExport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export.header)
    writer.writerows(export.rows)
    return buffer.getvalue()
