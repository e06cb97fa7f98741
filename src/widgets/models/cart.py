"""CAR-T cells against a tumour: the CARTmath model (Barros et al. 2021).

CARTmath (Barros et al. 2021, *Cancers* 13(12):2941, doi:10.3390/cancers13122941; authors'
code doi:10.5281/zenodo.4450376). Effector CAR-T cells ``C_T``, memory CAR-T cells ``C_M`` and
tumour cells ``T``, in cells, time in days::

    dC_T/dt = (phi - rho) C_T + theta T C_M - alpha T C_T
    dC_M/dt = epsilon C_T - theta T C_M - mu C_M
    dT/dt   = r T (1 - b T) - gamma C_T T

Two fitted parameter sets from the authors' code (:data:`HDLM2`, a slowly growing
Hodgkin-lymphoma line treated with CAR-T123 cells; :data:`RAJI`, a fast-growing
Burkitt-lymphoma line treated with CAR-T19 cells). The tumour is injected on day 0, the CAR-T
cells on ``dose_day`` and, optionally, a second tumour injection ("rechallenge") on
``challenge_day``: the authors' dataset ``ex2`` (2e6 tumour cells, 2e6 CAR-T123 cells on day
42, 1e6 tumour cells again on day 250, 500 days) is the default.

The cells' kinetics in patients are :mod:`widgets.models.cart_kinetics`; the illustrative
link from expansion to cytokine release syndrome is :mod:`widgets.models.crs`; trial response
rates are :func:`widgets.evidence.response_table`.

This module imports no plotting code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import Param, ParamTable
from . import ode

__all__ = [
    "PARAMS",
    "HDLM2",
    "RAJI",
    "SCENARIOS",
    "EXTINCT",
    "T_MAX",
    "simulate",
    "summary",
    "outcome",
]

#: HDLM-2 (Hodgkin lymphoma) tumour with CAR-T123 cells: fitted values in the authors' code.
HDLM2 = {
    "r": 5.650026e-2,
    "gamma": 3.715843e-6,
    "b": 1.404029e-12,
    "phi": 0.265,
    "rho": 0.35,
    "alpha": 4.5e-8,
    "epsilon": 0.15,
    "mu": 5.0e-3,
    "theta": 6.0e-6,
}
#: RAJI (Burkitt lymphoma) tumour with CAR-T19 cells: fitted values in the authors' code
#: (datasets ex4 and ex8; RAJI grows without a carrying capacity, b = 0).
RAJI = {
    "r": 0.5071721,
    "gamma": 3.365388e-8,
    "b": 0.0,
    "phi": 0.83,
    "rho": 0.8300536,
    "alpha": 1.248506e-8,
    "epsilon": 1.59795,
    "mu": 6.89e-7,
    "theta": 2.3e-4,
}

#: A tumour this large (cells) ends the run: about ten kilograms of cells, far more than a mouse
#: or a person survives. Later rows of :func:`simulate` are NaN (a modelling choice, which also
#: keeps the solver away from astronomically large numbers when the tumour grows unchecked).
T_MAX = 1e13

#: A population that falls below one cell is set to zero (a modelling choice: a fraction of a
#: cell is meaningless; the authors' code uses the same device with 1e-6 cells). A tumour set
#: to zero stays eliminated; CAR-T cells can be regenerated (memory from effectors and back).
EXTINCT = 1.0

PARAMS = ParamTable(
    [
        Param(
            "dose",
            2.0e6,
            "cells",
            1e4,
            1e8,
            "CAR-T dose; CAR-T cells infused on the dose day (authors' dataset ex2: 2e6; "
            "range is our choice)",
            "barros2021",
            log=True,
            symbol="C_T(t_d)",
        ),
        Param(
            "dose_day",
            42.0,
            "days",
            0.0,
            100.0,
            "day of infusion; days after the tumour cells were injected (ex2: 42)",
            "barros2021",
            step=1.0,
            symbol="t_d",
        ),
        Param(
            "T0",
            2.0e6,
            "cells",
            1e5,
            1e8,
            "initial tumour; tumour cells injected on day 0 (ex2: 2e6)",
            "barros2021",
            log=True,
            symbol="T(0)",
        ),
        Param(
            "challenge_cells",
            1.0e6,
            "cells",
            0.0,
            1e7,
            "rechallenge; tumour cells injected again on the rechallenge day, 0 for none "
            "(ex2: 1e6)",
            "barros2021",
            step=1e5,
        ),
        Param(
            "challenge_day",
            250.0,
            "days",
            1.0,
            600.0,
            "rechallenge day; day of the second tumour injection (ex2: 250)",
            "barros2021",
            step=1.0,
        ),
        Param(
            "days",
            500.0,
            "days",
            10.0,
            600.0,
            "time horizon; days simulated (ex2: 500)",
            "barros2021",
            step=5.0,
        ),
        Param(
            "r",
            HDLM2["r"],
            "1/day",
            0.01,
            0.6,
            "tumour growth rate; per-cell growth rate of the tumour (HDLM-2 fit; RAJI "
            "0.507; range is our choice)",
            "barros2021",
            symbol="r",
        ),
        Param(
            "b",
            HDLM2["b"],
            "1/cell",
            0.0,
            1e-10,
            "tumour crowding; 1/b is the carrying capacity, 0 for none (HDLM-2 fit; RAJI 0)",
            "barros2021",
            step=1e-13,
            symbol="b",
        ),
        Param(
            "gamma",
            HDLM2["gamma"],
            "1/(cell·day)",
            1e-9,
            1e-5,
            "killing rate; tumour cells killed per effector CAR-T cell per tumour cell per "
            "day (HDLM-2 fit; RAJI 3.37e-8)",
            "barros2021",
            log=True,
            symbol="γ",
        ),
        Param(
            "phi",
            HDLM2["phi"],
            "1/day",
            0.0,
            1.0,
            "effector proliferation; growth rate of effector CAR-T cells (HDLM-2 fit; RAJI 0.83)",
            "barros2021",
            symbol="φ",
        ),
        Param(
            "rho",
            HDLM2["rho"],
            "1/day",
            0.1,
            1.0,
            "effector loss; death of effector cells plus their conversion to memory "
            "(HDLM-2 fit; RAJI 0.83)",
            "barros2021",
            symbol="ρ",
        ),
        Param(
            "alpha",
            HDLM2["alpha"],
            "1/(cell·day)",
            1e-10,
            1e-7,
            "effector inhibition; effector CAR-T cells switched off per tumour cell per day "
            "(HDLM-2 fit; RAJI 1.25e-8)",
            "barros2021",
            log=True,
            symbol="α",
        ),
        Param(
            "epsilon",
            HDLM2["epsilon"],
            "1/day",
            0.0,
            2.0,
            "memory formation; rate at which effector cells give rise to memory cells, "
            "0 removes memory (HDLM-2 fit; RAJI 1.6)",
            "barros2021",
            symbol="ε",
        ),
        Param(
            "mu",
            HDLM2["mu"],
            "1/day",
            1e-7,
            0.5,
            "memory death rate; loss rate of memory CAR-T cells (HDLM-2 fit; RAJI 6.9e-7)",
            "barros2021",
            log=True,
            symbol="μ",
        ),
        Param(
            "theta",
            HDLM2["theta"],
            "1/(cell·day)",
            1e-8,
            1e-3,
            "memory reactivation; memory cells turned back into effectors per tumour cell "
            "per day (HDLM-2 fit; RAJI 2.3e-4)",
            "barros2021",
            log=True,
            symbol="θ",
        ),
    ]
)

_RATES = ("phi", "rho", "theta", "alpha", "epsilon", "mu", "r", "b", "gamma")

#: Named scenarios for the chapter's explorer (parameter overrides of the defaults).
SCENARIOS = {
    "HDLM-2: cure, rechallenge rejected": {},
    "HDLM-2 without memory (ε = 0)": {"epsilon": 0.0},
    "HDLM-2, short-lived memory (μ = 0.05)": {"mu": 0.05},
    "HDLM-2, low dose: control": {"dose": 3e5, "challenge_cells": 0.0},
    "HDLM-2, lower dose: progression": {"dose": 2e5, "challenge_cells": 0.0},
    "RAJI with CAR-T19: progression": {
        **RAJI,
        "T0": 3e6,
        "dose": 1e7,
        "dose_day": 7.0,
        "challenge_cells": 0.0,
        "days": 15.0,
    },
}


def _rhs(t, y, phi, rho, theta, alpha, epsilon, mu, r, b, gamma):
    ct, cm, tu = y
    return [
        (phi - rho) * ct + theta * tu * cm - alpha * tu * ct,
        epsilon * ct - theta * tu * cm - mu * cm,
        r * tu * (1.0 - b * tu) - gamma * ct * tu,
    ]


def _jac(t, y, phi, rho, theta, alpha, epsilon, mu, r, b, gamma):
    ct, cm, tu = y
    return [
        [phi - rho - alpha * tu, theta * tu, theta * cm - alpha * ct],
        [epsilon, -theta * tu - mu, -theta * cm],
        [-gamma * tu, 0.0, r * (1.0 - 2.0 * b * tu) - gamma * ct],
    ]


def _below(i: int) -> ode.Event:
    return ode.Event(
        lambda t, y, *args: y[i] - EXTINCT,
        direction=-1,
        action="zero",
        index=i,
        name=("effector", "memory", "tumour")[i] + " gone",
    )


#: A population below one cell is gone; a tumour at :data:`T_MAX` ends the run.
_EVENTS = [
    _below(0),
    _below(1),
    _below(2),
    ode.Event(lambda t, y, *args: y[2] - T_MAX, direction=1, name="tumour at the ceiling"),
]
#: Solver tolerances: relative, and absolute in cells (far below the one-cell threshold).
_RTOL, _ATOL = 1e-6, 1e-3


def _resolve(params: dict) -> dict:
    """Validated parameters, plus the one rule that ties two of them together."""
    q = PARAMS.resolve(params)
    if q["phi"] > q["rho"]:
        raise ValueError(
            f"parameter 'phi' (effector proliferation, {q['phi']:g}/day) must not exceed "
            f"'rho' (effector loss, {q['rho']:g}/day): otherwise effector CAR-T cells multiply "
            "without limit even with no tumour, which the model cannot describe (in both "
            "fitted sets phi < rho)"
        )
    return q


def simulate(*, points: int = 501, **params) -> pd.DataFrame:
    """Effector and memory CAR-T cells and tumour cells over time.

    Returns columns ``t`` (days), ``effector``, ``memory``, ``tumour`` (cells) at ``points``
    evenly spaced times from 0 to ``days`` (NaN after the tumour reaches :data:`T_MAX`). The dose and the rechallenge are added to the
    state at their days (if within the horizon). Invalid values raise ``ValueError``.
    """
    q = _resolve(params)
    days = q["days"]
    grid = np.linspace(0.0, days, int(points))

    def add(index, amount):
        def jump(y):
            y[index] += amount
            return y

        return jump

    breaks = []
    if q["dose_day"] < days:
        breaks.append(ode.Break(q["dose_day"], jump=add(0, q["dose"])))
    if q["challenge_cells"] > 0 and q["challenge_day"] < days:
        breaks.append(ode.Break(q["challenge_day"], jump=add(2, q["challenge_cells"])))
    run = ode.solve(
        "CARTmath model",
        _rhs,
        [0.0, 0.0, q["T0"]],
        grid,
        args=tuple(float(q[k]) for k in _RATES),
        jac=_jac,
        events=_EVENTS,
        breaks=breaks,
        rtol=_RTOL,
        atol=_ATOL,
        nonnegative=True,
    )
    Y = np.full((3, grid.size), np.nan)  # NaN after the tumour reached T_MAX
    Y[:, : run.t.size] = np.clip(run.y, 0.0, None)
    df = pd.DataFrame({"t": grid, "effector": Y[0], "memory": Y[1], "tumour": Y[2]})
    df.loc[df["tumour"] < EXTINCT, "tumour"] = 0.0
    return df


def summary(df: pd.DataFrame | None = None, **params) -> dict:
    """Key numbers of one run: tumour at infusion, its smallest size after infusion, day it
    was eliminated (``nan`` if never), the tumour and CAR-T cells at the end, whether a
    rechallenge was rejected, and the :func:`outcome`."""
    q = _resolve(params)
    if df is None:
        df = simulate(**q)
    df = df[df["tumour"].notna()]  # rows after the tumour reached T_MAX are NaN
    t = df["t"].to_numpy()
    tu = df["tumour"].to_numpy()
    after = t >= q["dose_day"]
    if not after.any():
        after = np.ones_like(t, dtype=bool)
    i_dose = int(np.argmax(after))
    at_dose = float(tu[i_dose])
    gone = np.flatnonzero(after & (tu == 0.0))
    challenged = q["challenge_cells"] > 0 and q["challenge_day"] < q["days"]
    final = float(tu[-1])
    if final == 0.0:
        result = "cure"
    elif final < at_dose:
        result = "control"
    elif tu[after].min() < 0.01 * at_dose:
        result = "relapse"
    else:
        result = "progression"
    return {
        "tumour_at_dose": at_dose,
        "tumour_min_after_dose": float(tu[after].min()),
        "eliminated_day": float(t[gone[0]]) if gone.size else float("nan"),
        "tumour_end": final,
        "effector_end": float(df["effector"].iloc[-1]),
        "memory_end": float(df["memory"].iloc[-1]),
        "effector_peak": float(df["effector"].max()),
        "challenge_rejected": bool(challenged and final == 0.0),
        "outcome": result,
    }


def outcome(**params) -> str:
    """``"cure"`` (tumour eliminated and gone at the end, a rechallenge included),
    ``"control"`` (tumour persists below its size at infusion), ``"relapse"`` (it fell
    at least 100-fold, or was eliminated, then grew back past its size at infusion) or
    ``"progression"`` (it never fell 100-fold and ends larger)."""
    return summary(**params)["outcome"]
