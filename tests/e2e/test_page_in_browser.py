"""The demo's pages as a reader's browser shows them at 1280 px (headless Chromium).

The demo runs two nights (19 and 20 November), so the page has something
new and resolved since the last run, as an RTE's second morning has. Each
test opens every `<details>` first: a table folded away must read as well as
one shown.

Without chromium on PATH these tests skip with one line; CI sets
RTE_REQUIRE_BROWSER=1 (`.ci/run`, which installs Debian's chromium), and
then a missing browser fails instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import WIDTH, Browser, Tab, chromium_path

pytestmark = pytest.mark.e2e

if chromium_path() is None:
    if os.environ.get("RTE_REQUIRE_BROWSER") == "1":
        pytest.fail("RTE_REQUIRE_BROWSER=1 but there is no chromium on PATH", pytrace=False)
    pytest.skip(
        "no chromium on PATH: the page's browser tests need Debian's chromium package",
        allow_module_level=True,
    )

RTE = Path(sys.executable).parent / "rte"
HEALTH = "health.html"
OBJECTIVES = "pages/objectives-aurora-art-pi-2026-4-art.html"
TEAM = "pages/health-aurora-art-team-comet.html"
PAGES = (HEALTH, OBJECTIVES, TEAM)
FIRST_SCREEN = 800  # px: a laptop's browser window, less its bars

# The badge and highlight colours of each severity (background), as the page's CSS has them.
SEVERITY_BACKGROUND = {
    "critical": "rgb(255, 235, 230)",
    "warning": "rgb(255, 250, 230)",
    "info": "rgb(222, 235, 255)",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's output after two nights."""
    out = tmp_path_factory.mktemp("demo") / "out"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(out.parent / "prefect-home")
    for night in ("2026-11-19", "2026-11-20"):
        result = subprocess.run(
            [str(RTE), "demo", "--out", str(out), "--today", night],
            env=env,
            cwd=out.parent,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser.start() as started:
        yield started


@pytest.fixture(scope="module")
def health(demo: Path) -> dict[str, Any]:
    return dict(json.loads((demo / "health.json").read_text(encoding="utf-8")))


def opened(browser: Browser, page: Path) -> Tab:
    """`page` at 1280 px, every `<details>` opened."""
    tab = browser.open(page)
    tab.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; }); true")
    return tab


@pytest.mark.parametrize("name", PAGES)
def test_no_page_scrolls_sideways(demo: Path, browser: Browser, name: str) -> None:
    tab = opened(browser, demo / name)
    width = tab.evaluate("document.documentElement.scrollWidth")
    wide = tab.evaluate(
        f"""Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > {WIDTH} + 0.5)
            .slice(0, 5).map(e => e.tagName + ' ' + e.textContent.slice(0, 60))"""
    )
    assert width <= WIDTH, f"{name} is {width} px wide at {WIDTH} px: {wide}"
    scrolling = tab.evaluate(
        """Array.from(document.querySelectorAll('body *'))
            .filter(e => getComputedStyle(e).overflowX !== 'visible'
                         && e.scrollWidth > e.clientWidth + 1)
            .map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 60))"""
    )
    assert not scrolling, f"{name}: boxes that scroll sideways at {WIDTH} px: {scrolling[:5]}"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_loads(demo: Path, browser: Browser, name: str) -> None:
    tab = opened(browser, demo / name)
    images = tab.evaluate(
        "Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])"
    )
    broken = [alt for alt, complete, width in images if not (complete and width > 0)]
    assert not broken, f"{name}: images that did not load: {broken}"
    if name == HEALTH:
        assert len(images) >= 10  # the trends, the boards, aging, flow, forecast, capacity


def test_the_act_today_list_is_on_the_first_screen(demo: Path, browser: Browser) -> None:
    tab = browser.open(demo / HEALTH, WIDTH, FIRST_SCREEN)
    box = tab.evaluate(
        """(() => { const t = document.getElementById('act-today');
                    if (!t) return null;
                    const r = t.getBoundingClientRect();
                    return {top: r.top, bottom: r.bottom, screen: innerHeight}; })()"""
    )
    assert box is not None, "no element with id act-today"
    assert box["top"] < box["screen"], box
    assert box["bottom"] <= box["screen"], f"the act-today list runs past the first screen: {box}"


@pytest.mark.parametrize("name", PAGES)
def test_severity_colours_are_the_severitys_everywhere(
    demo: Path, browser: Browser, name: str
) -> None:
    tab = opened(browser, demo / name)
    marked = tab.evaluate(
        """Array.from(document.querySelectorAll('[data-severity]')).map(e => [
             e.dataset.severity, getComputedStyle(e).backgroundColor,
             e.textContent.trim().slice(0, 40)])"""
    )
    wrong = [
        (severity, colour, text)
        for severity, colour, text in marked
        if colour != SEVERITY_BACKGROUND.get(severity)
    ]
    assert not wrong, f"{name}: elements whose colour is not their severity's: {wrong[:5]}"


def test_the_boards_colour_each_state_as_its_wip_finding(
    demo: Path, browser: Browser, health: dict[str, Any]
) -> None:
    """The Program Kanban's row of a state over its limit and a team board's cell over its
    limit are coloured as their wip-limit finding's severity (a warning is not red)."""
    tab = opened(browser, demo / HEALTH)
    over = [f for f in health["findings"] if f["rule"] == "wip-limit" and "over_by" in f["data"]]
    assert {f["severity"] for f in over} == {"warning"}  # the demo's: warnings, none critical
    for finding in over:
        data = finding["data"]
        selector = (
            f"[data-board='{data['team']}'] [data-state='{data['state']}']"
            if "team" in data
            else f"[data-board='kanban'] [data-state='{data['state']}']"
        )
        colours = tab.evaluate(
            f"""Array.from(document.querySelectorAll({json.dumps(selector)}))
                  .map(e => getComputedStyle(e).backgroundColor)"""
        )
        assert colours, f"no cell for {finding['subject']}"
        assert set(colours) == {SEVERITY_BACKGROUND[finding["severity"]]}, finding["subject"]


def test_the_pages_show_each_finding_at_its_own_severity(
    demo: Path, browser: Browser, health: dict[str, Any]
) -> None:
    """The act-today list is health.json's, each item at its severity, and a team page's
    findings each carry the severity health.json gives that finding (the colour test above
    then holds the colour to the severity)."""
    tab = opened(browser, demo / HEALTH)
    listed = tab.evaluate(
        """Array.from(document.querySelectorAll('#act-today tbody tr')).map(tr => [
             tr.cells[1].textContent.trim(),
             tr.querySelector('[data-severity]').dataset.severity])"""
    )
    expected = [[entry["subject"], entry["severity"]] for entry in health["act_today"]]
    assert listed == expected[: len(listed)]
    assert len(listed) == min(10, len(expected))
    severity_of = {(f["subject"], f["rule"]): f["severity"] for f in health["findings"]}
    team = opened(browser, demo / TEAM)
    rows = team.evaluate(
        """Array.from(document.querySelectorAll('tr'))
            .filter(tr => tr.querySelector('td [data-severity]'))
            .map(tr => [tr.cells[1].textContent.trim(), tr.cells[2].textContent.trim(),
                        tr.querySelector('[data-severity]').dataset.severity])"""
    )
    assert rows, "the team page shows no finding"
    wrong = [row for row in rows if severity_of.get((row[0], row[1])) != row[2]]
    assert not wrong, f"team findings shown at another severity than health.json's: {wrong[:5]}"


# Every word (a run between spaces, or up to a hyphen or slash, where a line may break)
# of every table cell: whether it lies on one line, and inside its cell.
BROKEN_WORDS = """
(() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const box = cell.getBoundingClientRect();
    if (!box.width) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s\\-\\/]+[\\-\\/]?/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
        if (!rects.length) continue;
        const lines = new Set(rects.map(r => Math.round(r.top)));
        const sticksOut = rects.some(r => r.right > box.right + 0.5);
        if (lines.size > 1 || sticksOut) {
          broken.push(match[0] + (lines.size > 1 ? ' (split)' : ' (sticks out)'));
        }
      }
    }
  }
  return broken;
})()
"""


@pytest.mark.parametrize("name", PAGES)
def test_no_word_is_broken_inside_a_table_cell(demo: Path, browser: Browser, name: str) -> None:
    tab = opened(browser, demo / name)
    broken = tab.evaluate(BROKEN_WORDS)
    assert not broken, f"{name}: {len(broken)} words broken or sticking out: {broken[:10]}"


def test_numbers_are_right_aligned_in_tabular_figures(demo: Path, browser: Browser) -> None:
    tab = opened(browser, demo / HEALTH)
    cells = tab.evaluate(
        r"""Array.from(document.querySelectorAll('td'))
            .filter(td => /^[+\-\u2212]?\d[\d,.]*( %)?$/.test(td.textContent.trim()))
            .map(td => [td.textContent.trim(), getComputedStyle(td).textAlign,
                        getComputedStyle(td).fontVariantNumeric])"""
    )
    assert len(cells) > 100
    misaligned = [cell for cell in cells if cell[1] != "right" or "tabular-nums" not in cell[2]]
    assert not misaligned, f"{len(misaligned)} numbers not right-aligned: {misaligned[:5]}"
