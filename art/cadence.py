"""The PI cadence: which Planning Interval and iteration a day belongs to.

SAFe fixes the rhythm (iterations of equal length, the last one of each PI
possibly the Innovation and Planning iteration); `art.yaml` names each PI and
its start, because real trains shift a PI around holidays.
"""

from __future__ import annotations

from datetime import date, timedelta

from art.config import CadenceConfig
from art.model import PI, Iteration


def planning_intervals(cadence: CadenceConfig) -> tuple[PI, ...]:
    """Every PI of the cadence with its iterations laid out back to back."""
    length = timedelta(weeks=cadence.iteration_weeks)
    pis = []
    for pi in cadence.pis:
        iterations = tuple(
            Iteration(
                name=f"{pi.name} Iteration {number}",
                number=number,
                start=pi.start + (number - 1) * length,
                end=pi.start + number * length - timedelta(days=1),
                is_ip=cadence.ip_iteration and number == cadence.iterations_per_pi,
            )
            for number in range(1, cadence.iterations_per_pi + 1)
        )
        pis.append(PI(name=pi.name, iterations=iterations))
    return tuple(pis)


def pi_at(pis: tuple[PI, ...], day: date) -> PI | None:
    """The PI running on `day`, or None between or outside the listed PIs."""
    return next((pi for pi in pis if pi.contains(day)), None)
