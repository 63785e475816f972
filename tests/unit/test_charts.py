"""The health page's charts: PNG bytes that change only when the figures do."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import date, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex

from art.model import Severity
from reports.charts import AGING as AGING_FILE
from reports.charts import (
    CFD,
    SEVERITY_COLOURS,
    WIP,
    aging_chart,
    aging_figure,
    cumulative_flow_chart,
    health_charts,
    wip_figure,
)
from rules.aging import Reference
from tests.metrics_builders import (
    aged,
    aging,
    cumulative_flow,
    health_metrics,
    kanban,
    state,
    train_flow,
)

DAYS = [date(2026, 10, 5) + timedelta(days=n) for n in range(10)]
KANBAN = kanban(state("Funnel", 3), state("Implementing", 11, limit=8), state("Done", 9))
CFD_DATA = cumulative_flow(
    DAYS,
    {
        "Funnel": [5 - n // 2 for n in range(10)],
        "Implementing": [3 + n // 3 for n in range(10)],
        "Done": [n // 4 for n in range(10)],
    },
)
REFERENCE = Reference.of("all feature items", [10, 20, 20, 40, 40, 60, 60, 60, 60], 85)
AGING = aging(*(aged(f"AUR-{n}", "Implementing", 5.0 * n, REFERENCE) for n in range(8)))
METRICS = health_metrics(
    kanban=KANBAN,
    flow=train_flow(cumulative_flow=CFD_DATA, aging={"feature": AGING}),
)


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
    assert list(charts) == [CFD, WIP, AGING_FILE.format(level="feature")]
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
    busier = replace(METRICS, kanban=kanban(state("Implementing", 12, limit=8)))
    assert health_charts(busier)[WIP] != health_charts(METRICS)[WIP]


def test_nothing_to_draw_gives_no_chart() -> None:
    assert health_charts(health_metrics()) == {}
    no_days = replace(CFD_DATA, days=())
    quiet = health_metrics(
        kanban=KANBAN, flow=train_flow(cumulative_flow=no_days, aging={"feature": aging()})
    )
    assert list(health_charts(quiet)) == [WIP]  # no day to stack, no item in progress


def test_text_from_jira_is_drawn_literally() -> None:
    costly = aging(aged("AUR-1", "Costs $5 $x^2$", 3.0), level="story")
    assert aging_chart(costly, [])  # a '$' would otherwise be parsed as mathtext
    assert cumulative_flow_chart(cumulative_flow(DAYS[:2], {"$x^2$": [1, 2]}, level="$a$"))


def test_the_percentile_labels_never_overlap_even_when_the_percentiles_are_equal() -> None:
    """The demo's 85th and 95th feature percentiles are a day apart: labels beside the lines
    printed over each other. Here they are equal (60 days), and named in a legend."""
    with_reference = aging(
        *(aged(f"AUR-{n}", "Implementing", 5.0 * n, REFERENCE) for n in range(8)),
        references=(REFERENCE,),
    )
    figure = aging_figure(with_reference, ["Implementing"])
    assert figure is not None
    figure.tight_layout()  # as the PNG is laid out
    FigureCanvasAgg(figure).draw()
    texts = figure.axes[0].get_legend().get_texts()
    assert [t.get_text() for t in texts] == [
        "50th percentile: 40.0 d",
        "85th percentile: 60.0 d",
        "95th percentile: 60.0 d",
    ]
    boxes = [t.get_window_extent() for t in texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    plot = figure.axes[0].get_window_extent()
    assert all(box.x0 >= plot.x1 for box in boxes)  # beside the plot, over no point


def test_a_state_over_its_limit_is_drawn_in_its_findings_severity_colour() -> None:
    """As on the page: a warning is orange, never red; a state with no finding is blue."""
    states = KANBAN.states
    figure = wip_figure(states, {"Implementing": Severity.WARNING})
    assert figure is not None
    bars = [patch.get_facecolor() for patch in figure.axes[0].patches]
    colours = [to_hex(colour) for colour in bars]
    assert colours[1] == SEVERITY_COLOURS[Severity.WARNING]
    assert colours[0] == colours[2] != SEVERITY_COLOURS[Severity.CRITICAL]
    critical = wip_figure(states, {"Implementing": Severity.CRITICAL})
    assert critical is not None
    assert (
        to_hex(critical.axes[0].patches[1].get_facecolor()) == SEVERITY_COLOURS[Severity.CRITICAL]
    )
