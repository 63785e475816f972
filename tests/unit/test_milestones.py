"""The milestones the program board shows and the risk rules count from: read from the
same calendar as the invites, holidays and placement included."""

from __future__ import annotations

from datetime import date

from rules.milestones import pi_plannings, train_milestones
from rules.risk_register import latest_pi_planning
from tests.calendar_builders import DEMO, demo_config

PLANNING = {"key": "pi-planning", "title": "PI Planning", "kind": "pi-planning", "days": 2}


def spans(config) -> dict[str, tuple[date, date]]:  # type: ignore[no-untyped-def]
    return {pi: (m.start, m.end) for pi, m in pi_plannings(config).items()}


def test_each_pis_planning_is_its_first_two_working_days_by_default() -> None:
    assert spans(demo_config()) == {
        "PI 2026.3": (date(2026, 7, 27), date(2026, 7, 28)),
        "PI 2026.4": (date(2026, 10, 5), date(2026, 10, 6)),
        "PI 2027.1": (date(2026, 12, 14), date(2026, 12, 15)),
    }


def test_a_holiday_moves_a_day_of_pi_planning_as_it_moves_the_invite() -> None:
    config = demo_config(pis=[{"name": "PI X", "start": "2026-12-24"}])  # Christmas in Bavaria
    assert spans(config) == {"PI X": (date(2026, 12, 24), date(2026, 12, 28))}


def test_planning_at_the_end_of_the_ip_iteration_belongs_to_the_pi_it_plans() -> None:
    config = demo_config(events=[PLANNING | {"placement": "ip-end"}])
    assert spans(config)["PI 2027.1"] == (date(2026, 12, 10), date(2026, 12, 11))
    latest = latest_pi_planning(train_milestones(config), date(2026, 12, 12))
    assert latest is not None and latest.pi == "PI 2027.1"


def test_a_calendar_without_pi_planning_still_plans_each_pi_at_its_start() -> None:
    others = [e for e in DEMO["calendar"]["events"] if e["kind"] != "pi-planning"]
    assert spans(demo_config(events=others))["PI 2026.4"] == (date(2026, 10, 5), date(2026, 10, 6))


def test_the_milestones_are_pi_planning_system_demos_and_inspect_and_adapt_only() -> None:
    kinds = {m.kind for m in train_milestones(demo_config())}
    assert kinds == {"pi-planning", "system-demo", "inspect-adapt"}
