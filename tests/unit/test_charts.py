"""The health page's charts: PNG bytes that change only when the figures do."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from datetime import date, timedelta

from reports.charts import AGING, CFD, WIP, aging_chart, health_charts

DAYS = [date(2026, 10, 5) + timedelta(days=n) for n in range(10)]
METRICS = {
    "kanban": {
        "level": "feature",
        "states": [
            {"name": "Funnel", "count": 3, "wip_limit": None},
            {"name": "Implementing", "count": 11, "wip_limit": 8},
            {"name": "Done", "count": 9, "wip_limit": None},
        ],
    },
    "cumulative_flow": {
        "level": "feature",
        "days": DAYS,
        "states": ["Funnel", "Implementing", "Done"],
        "counts": {
            "Funnel": [5 - n // 2 for n in range(10)],
            "Implementing": [3 + n // 3 for n in range(10)],
            "Done": [n // 4 for n in range(10)],
        },
    },
    "aging_wip": {
        "feature": {
            "level": "feature",
            "percentile": 85,
            "references": {
                "all feature items": {"count": 9, "p50": 20.0, "p85": 40.0, "p95": 60.0}
            },
            "items": [
                {"key": f"AUR-{n}", "state": "Implementing", "age_days": 5.0 * n} for n in range(8)
            ],
        }
    },
}


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG, checking each CRC."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + data) == crc
        found.append((kind, data))
        offset += 12 + length
    return found


def test_every_chart_the_metrics_hold_data_for_is_a_valid_png() -> None:
    charts = health_charts(METRICS)
    assert list(charts) == [CFD, WIP, AGING.format(level="feature")]
    for png in charts.values():
        kinds = [kind for kind, _ in chunks(png)]
        assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"


def test_the_same_figures_give_the_same_bytes_without_a_date_or_software_tag() -> None:
    first, second = health_charts(METRICS), health_charts(METRICS)
    assert first == second
    for png in first.values():
        for kind, data in chunks(png):
            assert kind != b"tIME"
            if kind in (b"tEXt", b"iTXt", b"zTXt"):
                assert b"Software" not in data and b"matplotlib" not in data


def test_different_figures_give_different_pictures() -> None:
    busier = METRICS | {
        "kanban": {"states": [{"name": "Implementing", "count": 12, "wip_limit": 8}]}
    }
    assert health_charts(busier)[WIP] != health_charts(METRICS)[WIP]


def test_missing_or_odd_metrics_give_no_chart_rather_than_an_error() -> None:
    assert health_charts({}) == {}
    junk = {
        "kanban": {"states": "junk"},
        "cumulative_flow": {"days": ["not a day"], "states": ["A"], "counts": {"A": [1]}},
        "aging_wip": {"feature": {"items": [{"state": "X"}], "references": None}, "story": 7},
    }
    charts = health_charts(junk)
    assert list(charts) == [AGING.format(level="feature")]  # one odd item still has a state


def test_text_from_jira_is_drawn_literally() -> None:
    aging = {"level": "story", "items": [{"state": "Costs $5 $x^2$", "age_days": 3}]}
    assert aging_chart(aging, [])  # a '$' would otherwise be parsed as mathtext


def test_importing_the_module_does_not_import_matplotlib() -> None:
    code = "import sys, reports.charts; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
