"""Kirschner & Panetta (1998): effector cells, tumour cells and the cytokine IL-2.

Three quantities, time in days:

* ``E``: activated immune effector cells (cells);
* ``T``: tumour cells (cells);
* ``I``: interleukin-2 (IL-2) in the tumour region (the paper's concentration units).

.. math::

    \\frac{dE}{dt} = c\\,T - \\mu_2 E + \\frac{p_1 E I}{g_1 + I} + s_1, \\qquad
    \\frac{dT}{dt} = r_2 T (1 - b T) - \\frac{a E T}{g_2 + T}, \\qquad
    \\frac{dI}{dt} = \\frac{p_2 E T}{g_3 + T} - \\mu_3 I + s_2 .

``c`` is the tumour's *antigenicity* (how strongly it stimulates effector cells), ``mu2``
the effector death rate, ``p1 E I/(g1 + I)`` IL-2-driven effector proliferation, ``s1`` a
constant input of effector cells (adoptive cell transfer); the tumour grows logistically
(``r2``, capacity ``1/b``) and is killed with a saturating rate (``a``, ``g2``); effector
cells that meet the tumour make IL-2 (``p2``, ``g3``), which decays fast (``mu3``), and
``s2`` is a constant IL-2 input (cytokine therapy).

Source: D. Kirschner, J. C. Panetta, "Modeling immunotherapy of the tumor-immune
interaction", *J. Math. Biol.* 37 (1998) 235-252, doi:10.1007/s002850050127. Parameter
values as curated in BioModels BIOMD0000000732 (c = 0.035 there; mu2 = 0.03,
p1 = 0.1245, g1 = 2e7, r2 = 0.18, b = 1e-9, a = 1, g2 = 1e5, mu3 = 10, p2 = 5, g3 = 1e3,
s1 = s2 = 0). Note that g1 = 2e7 (a circulating Python transcription has the typo 2.0e-7),
and that the BioModels file writes the IL-2 proliferation term as ``p1 E I / g1``; we use the
saturating ``p1 E I / (g1 + I)`` of the equations above.

Published behaviour reproduced (tests in ``tests/test_kirschner.py``): with no IL-2 input the
tumour-free state is stable exactly when the adoptive input exceeds
``s1 > r2 * g2 * mu2 / a`` (= 540 cells/day at the published values), whatever the
antigenicity ``c``; below it, weakly antigenic tumours escape and more antigenic ones are
held in oscillations or at a steady size.

Clearance rule (ours, as in chapter 2): the model counts cells as a continuous quantity, and
its oscillations can take the tumour to a tiny fraction of a cell and back. :func:`outcome`
counts a tumour as *cleared* when it falls below :data:`CLEARED` (one cell) and the model
cannot bring it back (the tumour-free state is stable); a tumour that dips below one cell
but regrows in the continuous model is labelled *oscillating*. :func:`simulate` reports the
continuous model as it is.

Numerics: the state is integrated in logarithms (``ln E``, ``ln T``, ``ln I``), which keeps all
three positive and resolves 1e-6 to 1e9 cells with the same relative accuracy, with LSODA
(through :func:`widgets.models.ode.solve`; it switches to a stiff method when the fast IL-2 decay,
``mu3`` = 10/day, needs it) and an analytic Jacobian.

This module imports no plotting code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..params import Param, ParamTable
from . import ode

__all__ = [
    "PARAMS",
    "CLEARED",
    "ESCAPE_FRACTION",
    "simulate",
    "clearance_supply",
    "runaway_il2",
    "tumour_free_state",
    "outcome",
    "long_run_outcome",
    "long_run",
    "toxicity_index",
    "toxicity_indices",
    "late_tumour",
]

#: Below one tumour cell the (continuous) model's tumour is counted as cleared.
CLEARED = 1.0

#: A tumour that, in the long run, reaches at least this fraction of its carrying capacity
#: 1/b has escaped: it is held back by crowding, not by the immune cells.
ESCAPE_FRACTION = 0.5

_LONG_RUN = 3000.0  # days integrated by outcome() and long_run()

PARAMS = ParamTable(
    [
        Param(
            "c",
            0.035,
            "1/day",
            0.0,
            0.05,
            "antigenicity; how strongly tumour cells stimulate effector cells (tumour "
            "cells' visibility to the immune system). BioModels value 0.035; the paper "
            "explores 0 to 0.05",
            "kirschner1998",
            symbol="c",
        ),
        Param(
            "s1",
            0.0,
            "cells/day",
            0.0,
            1500.0,
            "adoptive cell input; effector cells infused per day (adoptive cell "
            "transfer). Range is our choice, up to about three times the clearance "
            "threshold",
            "kirschner1998",
            symbol="s_1",
        ),
        Param(
            "s2",
            0.0,
            "IL-2 units/day",
            0.0,
            2e8,
            "IL-2 input; interleukin-2 given per day (cytokine therapy). Range is our "
            "choice, up to about three times the input at which effector cells grow "
            "without limit",
            "kirschner1998",
            symbol="s_2",
        ),
        Param(
            "T0",
            1.0,
            "cells",
            1.0,
            1e9,
            "initial tumour size; tumour cells at day 0 (our choice: one cell, a tumour "
            "just starting)",
            "illustrative",
            log=True,
            symbol="T(0)",
        ),
        Param(
            "E0",
            1.0,
            "cells",
            1.0,
            1e7,
            "initial effector cells; effector cells at day 0 (our choice)",
            "illustrative",
            log=True,
            symbol="E(0)",
        ),
        Param(
            "I0",
            1.0,
            "IL-2 units",
            1e-3,
            1e7,
            "initial IL-2; IL-2 at day 0 (our choice; must be above zero because the "
            "model is solved in logarithms)",
            "illustrative",
            log=True,
            symbol="I(0)",
        ),
        Param(
            "days",
            600.0,
            "days",
            50.0,
            3000.0,
            "time horizon; length of the simulated time course (our choice)",
            "illustrative",
        ),
        Param(
            "mu2",
            0.03,
            "1/day",
            0.005,
            0.1,
            "effector death rate; per-cell death rate of effector cells (range is our choice)",
            "kirschner1998",
            symbol="\\mu_2",
        ),
        Param(
            "p1",
            0.1245,
            "1/day",
            0.02,
            0.5,
            "IL-2 proliferation rate; maximal effector growth rate driven by IL-2 "
            "(range is our choice)",
            "kirschner1998",
            symbol="p_1",
        ),
        Param(
            "g1",
            2e7,
            "IL-2 units",
            2e6,
            2e8,
            "IL-2 half-saturation; IL-2 level giving half the maximal proliferation "
            "(range is our choice)",
            "kirschner1998",
            log=True,
            symbol="g_1",
        ),
        Param(
            "r2",
            0.18,
            "1/day",
            0.05,
            0.5,
            "tumour growth rate; maximal per-cell growth rate of the tumour (range is our choice)",
            "kirschner1998",
            symbol="r_2",
        ),
        Param(
            "b",
            1e-9,
            "1/cell",
            1e-10,
            1e-8,
            "tumour crowding; 1/b is the tumour's carrying capacity (range is our choice)",
            "kirschner1998",
            log=True,
            symbol="b",
        ),
        Param(
            "a",
            1.0,
            "1/day",
            0.2,
            5.0,
            "killing rate; maximal tumour cells killed per effector cell per day (range "
            "is our choice)",
            "kirschner1998",
            symbol="a",
        ),
        Param(
            "g2",
            1e5,
            "cells",
            1e4,
            1e6,
            "killing half-saturation; tumour size at which killing per effector cell is "
            "half its maximum (range is our choice)",
            "kirschner1998",
            log=True,
            symbol="g_2",
        ),
        Param(
            "mu3",
            10.0,
            "1/day",
            1.0,
            50.0,
            "IL-2 decay rate; per-day loss rate of IL-2 (range is our choice)",
            "kirschner1998",
            symbol="\\mu_3",
        ),
        Param(
            "p2",
            5.0,
            "IL-2 units/(cell·day)",
            0.0,
            20.0,
            "IL-2 production; maximal IL-2 made per effector cell per day in contact "
            "with the tumour (0 switches the feedback off; range is our choice)",
            "kirschner1998",
            symbol="p_2",
        ),
        Param(
            "g3",
            1e3,
            "cells",
            1e2,
            1e5,
            "IL-2 production half-saturation; tumour size giving half the maximal IL-2 "
            "production (range is our choice)",
            "kirschner1998",
            log=True,
            symbol="g_3",
        ),
    ]
)

_RATES = ("c", "s1", "s2", "mu2", "p1", "g1", "r2", "b", "a", "g2", "mu3", "p2", "g3")


def _rates(q: dict) -> tuple:
    return tuple(float(q[k]) for k in _RATES)


def _exp(x: float) -> float:
    return math.exp(min(max(x, -300.0), 300.0))


def _rhs(t, u, c, s1, s2, mu2, p1, g1, r2, b, a, g2, mu3, p2, g3):
    # _exp inlined (the solver calls this thousands of times per run; same values)
    x, y, z = u.tolist()
    E = math.exp(x) if -300.0 < x < 300.0 else _exp(x)
    T = math.exp(y) if -300.0 < y < 300.0 else _exp(y)
    I = math.exp(z) if -300.0 < z < 300.0 else _exp(z)
    return [
        (c * T + s1) / E - mu2 + p1 * I / (g1 + I),
        r2 * (1.0 - b * T) - a * E / (g2 + T),
        (p2 * E * T / (g3 + T) + s2) / I - mu3,
    ]


def _jac(t, u, c, s1, s2, mu2, p1, g1, r2, b, a, g2, mu3, p2, g3):
    x, y, z = u.tolist()
    E = math.exp(x) if -300.0 < x < 300.0 else _exp(x)
    T = math.exp(y) if -300.0 < y < 300.0 else _exp(y)
    I = math.exp(z) if -300.0 < z < 300.0 else _exp(z)
    prod = p2 * E * T / (g3 + T)
    return [
        [-(c * T + s1) / E, c * T / E, p1 * g1 * I / (g1 + I) ** 2],
        [-a * E / (g2 + T), -r2 * b * T + a * E * T / (g2 + T) ** 2, 0.0],
        [prod / I, prod * g3 / ((g3 + T) * I), -(prod + s2) / I],
    ]


def _bound(c, s1, s2, mu2, p1, g1, r2, b, a, g2, mu3, p2, g3):
    """:func:`_rhs` and :func:`_jac` with the rates bound, as ``f(t, u)``: the same
    arithmetic, without passing thirteen arguments on each of the solver's thousands of
    calls (a twentieth of a run)."""
    exp = math.exp

    def rhs(t, u):
        x, y, z = u.tolist()
        E = exp(x) if -300.0 < x < 300.0 else _exp(x)
        T = exp(y) if -300.0 < y < 300.0 else _exp(y)
        I = exp(z) if -300.0 < z < 300.0 else _exp(z)
        return [
            (c * T + s1) / E - mu2 + p1 * I / (g1 + I),
            r2 * (1.0 - b * T) - a * E / (g2 + T),
            (p2 * E * T / (g3 + T) + s2) / I - mu3,
        ]

    def jac(t, u):
        return _jac(t, u, c, s1, s2, mu2, p1, g1, r2, b, a, g2, mu3, p2, g3)

    return rhs, jac


def _integrate(q: dict, t: np.ndarray, *, rtol: float = 1e-6) -> np.ndarray:
    """``ln E``, ``ln T``, ``ln I`` at the times ``t`` (rows), with LSODA (:func:`ode.solve`)."""
    rhs, jac = _bound(*_rates(q))
    run = ode.solve(
        "Kirschner-Panetta model",
        rhs,
        [math.log(q["E0"]), math.log(q["T0"]), math.log(q["I0"])],
        t,
        jac=jac,
        rtol=rtol,
        atol=rtol * 1e-2,
        mxstep=200_000,
    )
    return run.y.T


# ---------------------------------------------------------------------------------------
# time course
# ---------------------------------------------------------------------------------------
def simulate(*, points: int = 301, **params) -> pd.DataFrame:
    """Effector cells, tumour cells and IL-2 over time.

    Returns a wide DataFrame with columns ``t`` (days), ``E``, ``T`` (cells) and ``I`` (IL-2
    units) at ``points`` evenly spaced times from 0 to ``days``. Parameters not given take
    their defaults from :data:`PARAMS`; invalid values raise ``ValueError``.
    """
    q = PARAMS.resolve(params)
    t = np.linspace(0.0, q["days"], int(points))
    y = np.exp(_integrate(q, t, rtol=1e-6))
    return pd.DataFrame({"t": t, "E": y[:, 0], "T": y[:, 1], "I": y[:, 2]})


# ---------------------------------------------------------------------------------------
# thresholds and the tumour-free state
# ---------------------------------------------------------------------------------------
def clearance_supply(**params) -> float:
    """The adoptive input ``r2 * g2 * mu2 / a`` (cells/day) above which, without IL-2 input,
    the tumour-free state is stable, whatever the antigenicity ``c``.

    At ``T = 0`` the effector cells settle at ``E* = s1/mu2``, and a few tumour cells shrink
    when the kill rate per tumour cell, ``a E*/g2``, exceeds their growth rate ``r2``.
    """
    q = PARAMS.resolve(params)
    return q["r2"] * q["g2"] * q["mu2"] / q["a"]


def runaway_il2(**params) -> float:
    """The IL-2 input ``s2`` (units/day) above which IL-2 alone makes effector cells
    multiply without limit: the IL-2 level ``s2/mu3`` then drives their proliferation
    ``p1 I/(g1 + I)`` above their death rate ``mu2``. Infinite if ``p1 <= mu2``."""
    q = PARAMS.resolve(params)
    if q["p1"] <= q["mu2"]:
        return math.inf
    return q["mu3"] * q["mu2"] * q["g1"] / (q["p1"] - q["mu2"])


def tumour_free_state(**params) -> dict:
    """The tumour-free equilibrium (``T = 0``) and its stability.

    Returns a dict with ``E`` and ``I`` at the equilibrium (``E`` is ``inf`` when the
    effector cells grow without limit), the three eigenvalues of the Jacobian there
    (``growth``: the tumour's per-cell growth rate, ``effector`` and ``il2``), and
    ``stable`` (all three negative).
    """
    q = PARAMS.resolve(params)
    I_star = q["s2"] / q["mu3"]
    net = q["mu2"] - q["p1"] * I_star / (q["g1"] + I_star)
    E_star = q["s1"] / net if net > 0 else math.inf
    growth = q["r2"] - q["a"] * E_star / q["g2"] if math.isfinite(E_star) else -math.inf
    effector = -net
    il2 = -q["mu3"]
    return {
        "E": E_star,
        "I": I_star,
        "growth": growth,
        "effector": effector,
        "il2": il2,
        "stable": bool(growth < 0 and effector < 0 and il2 < 0),
    }


# ---------------------------------------------------------------------------------------
# the long run
# ---------------------------------------------------------------------------------------
def long_run(**params) -> dict:
    """What the tumour does in the long run (over 3,000 days; ``days`` is ignored).

    Returns a dict: ``T_min`` (the smallest tumour after day 0), ``below_day`` (the first day
    the tumour falls below one cell, or ``nan``), and ``T_late_min``, ``T_late_max``,
    ``E_late_max``: the smallest and largest tumour and the largest effector population over
    the last third of the run.
    """
    q = PARAMS.resolve(params)
    t = np.linspace(0.0, _LONG_RUN, 1501)
    y = np.exp(_integrate(q, t, rtol=1e-6))
    T = y[:, 1]
    below = np.nonzero(T[1:] < CLEARED)[0]
    late = t >= 2.0 * _LONG_RUN / 3.0
    return {
        "T_min": float(T[1:].min()),
        "below_day": float(t[below[0] + 1]) if below.size else math.nan,
        "T_late_min": float(T[late].min()),
        "T_late_max": float(T[late].max()),
        "E_late_max": float(y[late, 0].max()),
    }


def outcome(**params) -> str:
    """The long-run fate of the tumour, by our labelling rules (not the paper's).

    * ``"cleared"``: the tumour falls below one cell (:data:`CLEARED`) and the model cannot
      bring it back: the tumour-free state is stable, or the effector cells grow without
      limit (:func:`runaway_il2`);
    * ``"oscillating"``: the tumour falls below one cell, but the tumour-free state is
      unstable, so the continuous model lets it grow back from a fraction of a cell. A real
      tumour might be gone at such a trough, or a few surviving cells might relapse: the
      model cannot say which;
    * ``"escape"``: the tumour ends at or above half its carrying capacity
      (:data:`ESCAPE_FRACTION`);
    * ``"controlled"``: otherwise: it persists, at a steady size or oscillating, above one
      cell and well below its carrying capacity.
    """
    return long_run_outcome(**params)[1]


def long_run_outcome(**params) -> tuple[dict, str]:
    """``(long_run(...), outcome(...))`` from a single long run (for views that need both)."""
    q = PARAMS.resolve(params)
    run = long_run(**q)
    if run["T_min"] < CLEARED:
        free = tumour_free_state(**q)
        return run, ("cleared" if free["stable"] or free["effector"] > 0 else "oscillating")
    return run, ("escape" if q["b"] * run["T_late_max"] >= ESCAPE_FRACTION else "controlled")


#: Days :func:`late_tumour` first integrates when the tumour would count as cleared as soon
#: as it falls below one cell.
_EARLY_LOOK = 300.0


def late_tumour(**params) -> tuple[float, float, str]:
    """The smallest and largest tumour over the last third of the long run, and the outcome,
    as :func:`long_run_outcome` gives them (``T_late_min``, ``T_late_max``, the outcome), but
    faster for tumours that are cleared.

    When the tumour-free state is stable or the effector cells grow without limit, a tumour
    seen below one cell is ``"cleared"`` whatever follows; the first :data:`_EARLY_LOOK`
    days are then integrated alone, and if the tumour falls below one cell there the run
    stops, with NaN for the two sizes (the figures draw a cleared tumour at the bottom).
    The solver's steps do not depend on the output times, so the output points of this
    shorter run are those of the full run. Otherwise the full run of :func:`long_run`.
    """
    q = PARAMS.resolve(params)
    free = tumour_free_state(**q)
    if free["stable"] or free["effector"] > 0:
        t = np.linspace(0.0, _LONG_RUN, 1501)
        early = t[t <= _EARLY_LOOK]
        T = np.exp(_integrate(q, early, rtol=1e-6)[:, 1])
        if (T[1:] < CLEARED).any():
            return math.nan, math.nan, "cleared"
    run, fate = long_run_outcome(**q)
    return run["T_late_min"], run["T_late_max"], fate


def toxicity_index(**params) -> float:
    """An ILLUSTRATIVE toxicity index between 0 and 1 that rises with the IL-2 input.

    Not a measured or published quantity: the steady IL-2 level the input alone would
    produce, ``s2/mu3``, relative to the level at which it makes effector cells multiply
    without limit (:func:`runaway_il2` divided by ``mu3``), squashed into [0, 1) as
    ``x / (1 + x)``. It is 0 without IL-2 input and 0.5 at the runaway input. It stands for
    the book's qualitative point (broad IL-2 stimulation harms healthy tissue, and more so at
    higher doses), not for any patient's risk.
    """
    q = PARAMS.resolve(params)
    return _toxicity(q["s2"], runaway_il2(**q))


def toxicity_indices(s2_values, **params) -> list[float]:
    """:func:`toxicity_index` at each IL-2 input of ``s2_values`` (the other parameters from
    ``params``), with the runaway input computed once (it does not depend on ``s2``)."""
    q = PARAMS.resolve(params)
    ref = runaway_il2(**q)
    return [_toxicity(PARAMS["s2"].validate(s2), ref) for s2 in s2_values]


def _toxicity(s2: float, ref: float) -> float:
    x = 0.0 if math.isinf(ref) else s2 / ref
    return x / (1.0 + x)
