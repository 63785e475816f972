"""What changed since the last run, and which findings the escalation mails: once, not nightly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from art.history import RunFindings, SeenFinding
from art.model import Finding, Severity, Suppressed
from rules.since_last_run import escalation_plan, mailed_after, seen, since_last_run

NIGHT = date(2026, 11, 20)
RAN = datetime(2026, 11, 19, 2, 0, tzinfo=UTC)


def found(subject: str, rule: str = "blocked", severity: Severity = Severity.CRITICAL) -> Finding:
    return Finding(rule, severity, subject, f"{rule} {subject}")


def run_of(*findings: Finding, night: date = NIGHT - timedelta(days=1)) -> RunFindings:
    return RunFindings(night, RAN, seen(findings))


def test_new_resolved_and_still_open_against_the_previous_run() -> None:
    previous = run_of(found("AUR-1"), found("AUR-2"), found("AUR-3"))
    tonight = [found("AUR-2"), found("AUR-4"), found("AUR-1", rule="stale")]
    hidden = [
        Finding("blocked", Severity.CRITICAL, "AUR-3", "m", suppressed=Suppressed("r", NIGHT))
    ]
    since = since_last_run(tonight, hidden, previous)
    assert (since.previous, since.previous_night) == (RAN, date(2026, 11, 19))
    assert [(f.rule, f.subject) for f in since.new] == [("blocked", "AUR-4"), ("stale", "AUR-1")]
    # AUR-1's blocked finding went away; AUR-3's is hidden by a suppression, not resolved
    assert since.resolved == (SeenFinding("blocked", "AUR-1", Severity.CRITICAL, "blocked AUR-1"),)
    assert since.still_open == 1


def test_with_no_earlier_run_every_finding_is_new() -> None:
    since = since_last_run([found("AUR-1")], [], None)
    assert since.previous is None and since.new == (found("AUR-1"),) and since.still_open == 0


@given(
    st.sets(st.sampled_from(["AUR-1", "AUR-2", "AUR-3", "AUR-4"])),
    st.sets(st.sampled_from(["AUR-1", "AUR-2", "AUR-3", "AUR-4"])),
)
def test_new_and_still_open_make_tonight_and_resolved_and_still_open_make_last_night(  # type: ignore[no-untyped-def]
    before, now
) -> None:
    since = since_last_run([found(s) for s in sorted(now)], [], run_of(*map(found, before)))
    assert len(since.new) + since.still_open == len(now)
    assert len(since.resolved) + since.still_open == len(before)


def plan(findings, mailed, night=NIGHT, remind_days=7):  # type: ignore[no-untyped-def]
    return escalation_plan(
        findings, mailed, night=night, min_severity=Severity.CRITICAL, remind_days=remind_days
    )


def test_a_critical_finding_is_mailed_once_then_only_as_a_reminder() -> None:
    tonight = [found("AUR-1"), found("AUR-2", severity=Severity.WARNING)]
    first = plan(tonight, {})
    assert [f.subject for f in first.due] == ["AUR-1"]  # warnings are below the threshold
    mailed = mailed_after(tonight, {}, first, night=NIGHT, min_severity=Severity.CRITICAL)
    assert mailed == {("blocked", "AUR-1"): NIGHT}
    for nights in range(1, 7):
        assert plan(tonight, mailed, night=NIGHT + timedelta(days=nights)).due == ()
    assert [f.subject for f in plan(tonight, mailed, night=NIGHT + timedelta(days=7)).due] == [
        "AUR-1"
    ]
    assert plan(tonight, mailed, night=NIGHT + timedelta(days=70), remind_days=None).due == ()


def test_a_re_run_of_the_same_night_mails_nothing_again() -> None:
    tonight = [found("AUR-1")]
    again = plan(tonight, {("blocked", "AUR-1"): NIGHT})
    assert again.due == () and again.mailed_tonight == 1


def test_a_finding_that_went_away_and_came_back_or_turned_critical_is_mailed_again() -> None:
    mailed = {("blocked", "AUR-1"): NIGHT, ("stale", "AUR-2"): NIGHT}
    quiet = [found("AUR-2", rule="stale", severity=Severity.WARNING)]  # AUR-1 gone, AUR-2 calmer
    after = mailed_after(
        quiet, mailed, plan(quiet, mailed), night=NIGHT, min_severity=Severity.CRITICAL
    )
    assert after == {}
    back = [found("AUR-1"), found("AUR-2", rule="stale")]
    later = NIGHT + timedelta(days=2)
    assert [f.subject for f in plan(back, after, night=later).due] == ["AUR-1", "AUR-2"]
