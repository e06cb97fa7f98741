"""The one integration driver (widgets.models.ode): solver, restarts, events, errors."""

import math

import numpy as np
import pytest

from widgets.models import ode


def decay(t, y, k):
    return [-k * y[0]]


def test_matches_the_exact_solution_without_events():
    t = np.linspace(0.0, 5.0, 11)
    run = ode.solve("decay", decay, [2.0], t, args=(0.7,), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.y[0], 2.0 * np.exp(-0.7 * t), rtol=1e-7)
    assert run.stopped is None and list(run.t) == list(t)


def test_a_break_changes_the_arguments_and_jumps_the_state():
    """Decay at rate 1 until day 1, then a dose of 1 and decay at rate 2."""
    t = np.linspace(0.0, 2.0, 21)
    run = ode.solve(
        "decay",
        decay,
        [1.0],
        t,
        args=(1.0,),
        rtol=1e-10,
        atol=1e-12,
        breaks=[ode.Break(1.0, args=(2.0,), jump=lambda y: y + 1.0)],
    )
    after = t >= 1.0
    exact = np.where(after, (math.exp(-1.0) + 1.0) * np.exp(-2.0 * (t - 1.0)), np.exp(-t))
    np.testing.assert_allclose(run.y[0], exact, rtol=1e-7)


def test_a_break_at_the_start_applies_first():
    run = ode.solve(
        "decay",
        decay,
        [0.0],
        [0.0, 1.0],
        args=(1.0,),
        breaks=[ode.Break(0.0, jump=lambda y: y + 3.0)],
    )
    assert run.y[0, 0] == 3.0


def test_a_stop_event_ends_the_run_and_a_zero_event_carries_on():
    grow = lambda t, y: [1.0, -1.0]  # noqa: E731
    stop = ode.Event(lambda t, y: y[0] - 2.5, direction=1, name="ceiling")
    run = ode.solve("line", grow, [0.0, 10.0], np.arange(0.0, 6.0), events=[stop])
    assert run.stopped == "ceiling" and run.t_stop == pytest.approx(2.5)
    assert list(run.t) == [0.0, 1.0, 2.0]
    gone = ode.Event(lambda t, y: y[1] - 7.5, direction=-1, action="zero", index=1)
    run = ode.solve("line", grow, [0.0, 10.0], np.arange(0.0, 6.0), events=[gone])
    assert run.stopped is None and run.zeroed[0][0] == pytest.approx(2.5)
    assert run.y[1, 3] == pytest.approx(-1.0 * (3.0 - 2.5))  # restarted from 0 at day 2.5


def test_failure_names_the_model():
    broken = lambda t, y: [math.nan]  # noqa: E731  (a right-hand side no solver can follow)
    with pytest.raises(RuntimeError, match="toy model: the ODE solver failed"):
        ode.solve("toy model", broken, [1.0], np.linspace(0.0, 1.0, 5))
    with pytest.raises(RuntimeError, match="toy model: the ODE solver failed"):
        ode.solve(
            "toy model",
            broken,
            [1.0],
            np.linspace(0.0, 1.0, 5),
            events=[ode.Event(lambda t, y: y[0] - 5.0)],
        )


def test_event_needs_an_action_it_knows():
    with pytest.raises(ValueError, match="action"):
        ode.Event(lambda t, y: y[0], action="bounce")
    with pytest.raises(ValueError, match="index"):
        ode.Event(lambda t, y: y[0], action="zero")
