"""Kuznetsov, Makalkin, Taylor & Perelson (1994): effector cells against an immunogenic tumour.

Two populations, counted in cells, time in days:

* ``E``: cytotoxic effector cells (for example cytotoxic T lymphocytes) in the tumour region;
* ``T``: tumour cells.

.. math::

    \\frac{dE}{dt} = s + \\frac{p\\,E\\,T}{g + T} - m\\,E\\,T - d\\,E, \\qquad
    \\frac{dT}{dt} = a\\,T\\,(1 - b\\,T) - n\\,E\\,T.

``s`` is a constant supply of effector cells, ``p E T/(g+T)`` the extra recruitment that
the tumour stimulates, ``m E T`` the effector cells inactivated in encounters with tumour
cells, ``d E`` their death; the tumour grows logistically (rate ``a``, carrying capacity
``1/b``) and is killed in encounters with effector cells (``n E T``).

Source: V. A. Kuznetsov, I. A. Makalkin, M. A. Taylor, A. S. Perelson, "Nonlinear dynamics
of immunogenic tumors: parameter estimation and global bifurcation analysis", *Bull. Math.
Biol.* 56 (1994) 295-321, doi:10.1007/BF02460644. The default rates are the paper's
estimates for the BCL1 B-cell lymphoma in chimeric mice as curated in BioModels
BIOMD0000000762 (which also gives the initial state ``E0 = 3.2e5``, ``T0 = 5e6``). The paper
analyses the non-dimensional form ``x = E/1e6``, ``y = T/1e6``, ``tau = n * 1e6 * t`` with
``sigma = 0.1181, rho = 1.131, eta = 20.19, mu = 0.00311, delta = 0.3743, alpha = 1.636,
beta = 0.002`` (:data:`NONDIMENSIONAL`); :func:`to_nondimensional` maps the dimensional
rates onto them.

Published behaviour reproduced (and tested in ``tests/test_kuznetsov.py``): at the
estimated parameters the phase portrait (the paper's Figure 3, steady states A-D) has an
unstable tumour-free state, a stable *dormant* state with a small tumour reached through
damped oscillations, a saddle, and a stable *escape* state with a large tumour near the
carrying capacity: the system is bistable and the saddle's stable manifold (the separatrix)
divides the initial conditions that end dormant from those that escape.

Numerics: the state is integrated in logarithms (``ln E``, ``ln T``) with SciPy's LSODA
(which switches to an implicit BDF method when the problem is stiff) and an analytic
Jacobian. Working in logarithms keeps both populations positive and resolves 10^1 to 10^9
cells with the same relative accuracy. Equilibria come from the roots of a cubic (see
:func:`equilibrium_polynomial`).

This module imports no plotting code.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from ..params import Param, ParamTable
from . import ode

__all__ = [
    "PARAMS",
    "NONDIMENSIONAL",
    "SCALE",
    "EXTINCT",
    "ESCAPE_FRACTION",
    "simulate",
    "equilibria",
    "equilibrium_polynomial",
    "nullclines",
    "separatrix",
    "outcome",
    "outcomes",
    "stable_states",
    "threshold_T0",
    "transition",
    "to_nondimensional",
]

#: Cell scale of the paper's non-dimensional form: x = E/SCALE, y = T/SCALE, tau = n*SCALE*t.
SCALE = 1e6

#: The paper's non-dimensional parameter estimates (Kuznetsov et al. 1994, section 3).
NONDIMENSIONAL = {
    "sigma": 0.1181,
    "rho": 1.131,
    "eta": 20.19,
    "mu": 0.00311,
    "delta": 0.3743,
    "alpha": 1.636,
    "beta": 0.002,
}

#: Below one tumour cell the (continuous) model's tumour is counted as eliminated.
EXTINCT = 1.0

#: A stable tumour state with at least this fraction of the carrying capacity 1/b counts as
#: "escape": there the immune cells remove less than half of the tumour's intrinsic growth
#: (at equilibrium n*E = a*(1 - b*T), so b*T >= 1/2 means n*E <= a/2) and the tumour is held
#: back mainly by its own crowding. Smaller stable tumours count as "dormancy".
ESCAPE_FRACTION = 0.5

PARAMS = ParamTable(
    [
        Param(
            "s",
            1.3e4,
            "cells/day",
            0.0,
            1.0e5,
            "effector-cell supply; constant inflow of effector (immune) cells into the "
            "tumour region, independent of the tumour. Range (from none to above the "
            "value that makes the tumour-free state stable) is our choice",
            "kuznetsov1994",
            symbol="s",
        ),
        Param(
            "T0",
            5e6,
            "cells",
            1.0,
            1e9,
            "initial tumour size; tumour cells at day 0 (BioModels initial state 5e6; "
            "range is our choice)",
            "kuznetsov1994",
            log=True,
            symbol="T(0)",
        ),
        Param(
            "E0",
            3.2e5,
            "cells",
            1e3,
            1e8,
            "initial effector cells; effector cells at day 0 (BioModels initial state "
            "3.2e5; range is our choice)",
            "kuznetsov1994",
            log=True,
            symbol="E(0)",
        ),
        Param(
            "days",
            600.0,
            "days",
            10.0,
            2000.0,
            "time horizon; length of the simulated time course (our choice)",
            "illustrative",
            symbol="",
        ),
        Param(
            "a",
            0.18,
            "1/day",
            0.05,
            0.5,
            "tumour growth rate; maximal per-cell growth rate of the tumour (range is our choice)",
            "kuznetsov1994",
            symbol="a",
        ),
        Param(
            "b",
            2.0e-9,
            "1/cell",
            5e-10,
            1e-8,
            "tumour crowding; 1/b is the tumour's carrying capacity "
            "(range, capacities 1e8 to 2e9 cells, is our choice)",
            "kuznetsov1994",
            log=True,
            symbol="b",
        ),
        Param(
            "n",
            1.101e-7,
            "1/(cell·day)",
            2e-8,
            5e-7,
            "killing rate; tumour cells killed per effector cell per tumour cell per day "
            "(range is our choice)",
            "kuznetsov1994",
            log=True,
            symbol="n",
        ),
        Param(
            "p",
            0.1245,
            "1/day",
            0.02,
            0.5,
            "stimulated recruitment; maximal rate at which the tumour's presence recruits "
            "more effector cells (range is our choice)",
            "kuznetsov1994",
            symbol="p",
        ),
        Param(
            "g",
            2.019e7,
            "cells",
            2e6,
            2e8,
            "recruitment half-saturation; tumour size giving half the maximal "
            "recruitment (range is our choice)",
            "kuznetsov1994",
            log=True,
            symbol="g",
        ),
        Param(
            "m",
            3.422e-10,
            "1/(cell·day)",
            1e-11,
            5e-9,
            "effector inactivation; effector cells switched off per tumour cell per day "
            "in encounters with tumour cells (range is our choice)",
            "kuznetsov1994",
            log=True,
            symbol="m",
        ),
        Param(
            "d",
            0.0412,
            "1/day",
            0.005,
            0.2,
            "effector death rate; per-cell death (or loss) rate of effector cells "
            "(range is our choice)",
            "kuznetsov1994",
            symbol="d",
        ),
    ]
)

_RATES = ("s", "p", "g", "m", "d", "a", "b", "n")

#: The tumour falling below one cell (:data:`EXTINCT`) ends a run: elimination.
_EXTINCTION = ode.Event(
    lambda t, u, *args: u[1] - math.log(EXTINCT), direction=-1, name="elimination"
)
_LONG_RUN = 20000.0  # days integrated by outcome(): long enough for the slow spiral to settle


# ---------------------------------------------------------------------------------------
# right-hand side, in logarithms
# ---------------------------------------------------------------------------------------
def _rates(q: dict) -> tuple:
    return tuple(float(q[k]) for k in _RATES)


def _exp(x: float) -> float:
    return math.exp(min(max(x, -700.0), 700.0))


def _rhs(t, u, s, p, g, m, d, a, b, n):
    # the clamped exponential inlined (the solver calls this thousands of times per run)
    x, y = u.tolist()
    E = math.exp(x) if -700.0 < x < 700.0 else _exp(x)
    T = math.exp(y) if -700.0 < y < 700.0 else _exp(y)
    return [s / E + p * T / (g + T) - m * T - d, a * (1.0 - b * T) - n * E]


def _jac(t, u, s, p, g, m, d, a, b, n):
    x, y = u.tolist()
    E = math.exp(x) if -700.0 < x < 700.0 else _exp(x)
    T = math.exp(y) if -700.0 < y < 700.0 else _exp(y)
    return [[-s / E, T * (p * g / (g + T) ** 2 - m)], [-n * E, -a * b * T]]


def _neg_rhs(t, u, *args):
    return [-v for v in _rhs(t, u, *args)]


def _neg_jac(t, u, *args):
    return [[-v for v in row] for row in _jac(t, u, *args)]


def _integrate(
    q: dict,
    E0: float,
    T0: float,
    t_end: float,
    *,
    t_eval=None,
    events=(),
    direction: float = 1.0,
    rtol: float = 1e-7,
) -> ode.Solution:
    """``ln E``, ``ln T`` from ``(E0, T0)`` (backwards in time if ``direction`` < 0)."""
    forward = direction > 0
    return ode.solve(
        "Kuznetsov model",
        _rhs if forward else _neg_rhs,
        [math.log(E0), math.log(T0)],
        t_eval,
        t_end=t_end,
        args=_rates(q),
        jac=_jac if forward else _neg_jac,
        events=events,
        rtol=rtol,
        atol=rtol * 1e-2,
    )


# ---------------------------------------------------------------------------------------
# time course
# ---------------------------------------------------------------------------------------
def simulate(*, points: int = 301, **params) -> pd.DataFrame:
    """Effector and tumour cells over time.

    Returns a wide DataFrame with columns ``t`` (days), ``E`` and ``T`` (cells), at
    ``points`` evenly spaced times from 0 to ``days``. Parameters not given take their
    defaults from :data:`PARAMS`; invalid values raise ``ValueError``.
    """
    q = PARAMS.resolve(params)
    t = np.linspace(0.0, q["days"], int(points))
    run = _integrate(q, q["E0"], q["T0"], q["days"], t_eval=t, rtol=1e-6)
    y = np.exp(run.y)
    return pd.DataFrame({"t": run.t, "E": y[0], "T": y[1]})


# ---------------------------------------------------------------------------------------
# equilibria
# ---------------------------------------------------------------------------------------
def equilibrium_polynomial(**params) -> np.ndarray:
    """Coefficients (highest power first) of the cubic whose roots are the tumour sizes of
    the equilibria with a tumour.

    With ``T > 0``, ``dT/dt = 0`` gives ``E = a(1 - bT)/n``. Putting that into ``dE/dt = 0``
    and multiplying by ``n (g + T)``::

        n s (g + T) + a (1 - bT) [p T - (m T + d)(g + T)] = 0

    which expands to ``c3 T^3 + c2 T^2 + c1 T + c0 = 0`` with ``c3 = a b m``,
    ``c2 = -a (m + b (p - m g - d))``, ``c1 = a (p - m g - d + b d g) + n s``,
    ``c0 = g (n s - a d)``.
    """
    q = PARAMS.resolve(params)
    return _cubic(*_rates(q))


def _cubic(s, p, g, m, d, a, b, n) -> np.ndarray:
    k = p - m * g - d
    return np.array([a * b * m, -a * (m + b * k), a * (k + b * d * g) + n * s, g * (n * s - a * d)])


def _jacobian(E, T, s, p, g, m, d, a, b, n) -> np.ndarray:
    return np.array(
        [
            [p * T / (g + T) - m * T - d, p * E * g / (g + T) ** 2 - m * E],
            [-n * T, a * (1.0 - 2.0 * b * T) - n * E],
        ]
    )


def _residual(E, T, s, p, g, m, d, a, b, n) -> tuple[float, float]:
    return (s + p * E * T / (g + T) - m * E * T - d * E, a * T * (1.0 - b * T) - n * E * T)


def _classify(eig: np.ndarray) -> str:
    re, im = eig.real, eig.imag
    scale = max(float(np.max(np.abs(eig))), 1e-300)
    complex_pair = abs(im[0]) > 1e-9 * scale
    if np.all(re < 0):
        return "stable focus" if complex_pair else "stable node"
    if not complex_pair and re.min() < 0 < re.max():
        return "saddle"
    return "unstable focus" if complex_pair else "unstable node"


def _equilibria_raw(s, p, g, m, d, a, b, n) -> pd.DataFrame:
    """All non-negative equilibria for arbitrary positive rates (no range checks), so the
    same code also serves the paper's non-dimensional parameters (units 1e6 cells, n = 1).
    Cached on the rates (a figure asks for them several times); each call gets a copy."""
    return _equilibria_cached(s, p, g, m, d, a, b, n).copy()


@lru_cache(maxsize=256)
def _equilibria_cached(s, p, g, m, d, a, b, n) -> pd.DataFrame:
    rows = []
    candidates = [(s / d, 0.0, "tumour-free")] if d > 0 else []
    roots = np.roots(_cubic(s, p, g, m, d, a, b, n))
    for r in roots:
        if abs(r.imag) > 1e-7 * max(abs(r), 1.0):
            continue
        T = float(r.real)
        if not 0.0 < T <= (1.0 + 1e-9) / b:
            continue
        T = min(T, 1.0 / b)  # T = 1/b (with E = 0) is an equilibrium only when s = 0
        candidates.append((max(a * (1.0 - b * T) / n, 0.0), T, "tumour"))
    for E, T, _kind in candidates:
        clamped = False
        # polish the root with Newton steps on the full system (a few suffice; roots of an
        # ill-conditioned cubic near a corner of the ranges may need more), then check
        for _ in range(50):
            if T == 0.0 or E == 0.0:
                break
            rE, rT = _residual(E, T, s, p, g, m, d, a, b, n)
            if abs(rE) <= 1e-10 * (s + p * E + m * E * T + d * E + 1.0) and abs(rT) <= 1e-10 * (
                a * T + a * b * T * T + n * E * T + 1.0
            ):
                break
            J = _jacobian(E, T, s, p, g, m, d, a, b, n)
            F = np.array(_residual(E, T, s, p, g, m, d, a, b, n))
            try:
                step = np.linalg.solve(J, F)
            except np.linalg.LinAlgError:
                break
            clamped = E - step[0] < 0.0 or T - step[1] < 0.0
            E, T = max(E - step[0], 0.0), max(T - step[1], 0.0)
        rE, rT = _residual(E, T, s, p, g, m, d, a, b, n)
        # residuals (cells/day) relative to the size of the terms that cancel
        scaleE = s + p * E + m * E * T + d * E + 1.0
        scaleT = a * T + a * b * T * T + n * E * T + 1.0
        if abs(rE) > 1e-6 * scaleE or abs(rT) > 1e-6 * scaleT:
            if clamped or (E == 0.0 and s > 0.0):
                # the root lies at negative cell numbers (e.g. T = 1/b with s > 0, where the
                # balancing E would be negative): not a biological equilibrium
                continue
            raise RuntimeError("Kuznetsov model: an equilibrium failed its residual check")
        eig = np.linalg.eigvals(_jacobian(E, T, s, p, g, m, d, a, b, n))
        eig = eig[np.argsort(eig.real)]
        rows.append(
            {
                "E": E,
                "T": T,
                "eig1": eig[0],
                "eig2": eig[1],
                "type": _classify(eig),
                "residual_E": rE,
                "residual_T": rT,
            }
        )
    df = pd.DataFrame(rows).sort_values("T", ignore_index=True)
    df = df.drop_duplicates(subset=["T"], ignore_index=True)
    df["stable"] = df["type"].str.startswith("stable")
    df["state"] = [_state_name(T, st, b) for T, st in zip(df["T"], df["type"])]
    return df


def _state_name(T: float, kind: str, b: float) -> str:
    if T == 0.0:
        return "tumour-free"
    if kind == "saddle":
        return "threshold (saddle)"
    if not kind.startswith("stable"):
        return "unstable"
    return "escape" if b * T >= ESCAPE_FRACTION else "dormancy"


def equilibria(**params) -> pd.DataFrame:
    """Every non-negative equilibrium, with eigenvalues and a classification.

    Columns: ``E``, ``T`` (cells), ``eig1``, ``eig2`` (eigenvalues of the Jacobian, 1/day,
    complex), ``type`` ("stable node", "stable focus", "saddle", "unstable node",
    "unstable focus"), ``residual_E``, ``residual_T`` (cells/day, checked to be tiny),
    ``stable`` (bool) and ``state`` ("tumour-free", "dormancy", "escape",
    "threshold (saddle)" or "unstable"). Rows are sorted by tumour size. The tumour-free
    state ``(s/d, 0)`` is always present; the others are the roots of
    :func:`equilibrium_polynomial` with ``0 < T <= 1/b`` (``T = 1/b``, with no effector
    cells, only when ``s = 0``). Each is checked by its residuals ``dE/dt``, ``dT/dt``.
    """
    q = PARAMS.resolve(params)
    return _equilibria_raw(*_rates(q))


def stable_states(**params) -> list[str]:
    """The long-run fates available at these parameters: a subset of
    ``["elimination", "dormancy", "escape"]`` (elimination when the tumour-free state is
    stable)."""
    eq = equilibria(**params)
    names = []
    for _, row in eq[eq["stable"]].iterrows():
        names.append("elimination" if row["T"] == 0.0 else row["state"])
    order = ["elimination", "dormancy", "escape"]
    return [k for k in order if k in names]


def to_nondimensional(**params) -> dict:
    """The paper's seven non-dimensional parameters computed from the dimensional rates:
    ``sigma = s/(n S^2)``, ``rho = p/(n S)``, ``eta = g/S``, ``mu = m/n``,
    ``delta = d/(n S)``, ``alpha = a/(n S)``, ``beta = b S`` with ``S = 1e6`` cells."""
    q = PARAMS.resolve(params)
    s, p, g, m, d, a, b, n = _rates(q)
    S = SCALE
    return {
        "sigma": s / (n * S * S),
        "rho": p / (n * S),
        "eta": g / S,
        "mu": m / n,
        "delta": d / (n * S),
        "alpha": a / (n * S),
        "beta": b * S,
    }


# ---------------------------------------------------------------------------------------
# phase plane
# ---------------------------------------------------------------------------------------
def nullclines(
    *, points: int = 300, T_min: float = 1.0, T_max: float | None = None, **params
) -> pd.DataFrame:
    """The nullclines as functions of tumour size, for a phase plane with T on the x axis.

    Columns: ``T`` (cells, log-spaced), ``E_dE0`` (the effector nullcline, where dE/dt = 0:
    ``E = s / (d + m T - p T/(g + T))``, NaN where that denominator is not positive, i.e.
    where effector cells grow without bound for fixed T) and ``E_dT0`` (the tumour
    nullcline other than the axis T = 0: ``E = a (1 - b T)/n``, NaN for ``T >= 1/b``).
    """
    q = PARAMS.resolve(params)
    s, p, g, m, d, a, b, n = _rates(q)
    T_max = T_max or 1.0 / b
    T = np.geomspace(T_min, T_max, int(points))
    den = d + m * T - p * T / (g + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        e1 = np.where(den > 0, s / den, np.nan)
    e2 = a * (1.0 - b * T) / n
    e2 = np.where(e2 > 0, e2, np.nan)
    return pd.DataFrame({"T": T, "E_dE0": e1, "E_dT0": e2})


def separatrix(*, days: float = 3000.0, **params) -> pd.DataFrame:
    """The threshold curve: the stable manifold of each saddle with a tumour.

    Traced by integrating backwards in time from just beside the saddle along its stable
    eigenvector, both ways, until a branch leaves the region 1 <= T <= 2/b,
    1 <= E <= 1e10 cells (or ``days`` of backward time pass). Returns columns ``branch``
    (0 or 1 per side; 2, 3 for a second saddle), ``E`` and ``T``, ordered along each branch
    away from the saddle. Empty when there is no saddle. Initial states on one side end
    dormant (or eliminated), on the other side they escape.

    It depends only on the rates (not on the initial state): cached on them, so moving the
    initial state in an explorer does not trace it again; each call gets a copy.
    """
    q = PARAMS.resolve(params)
    return _separatrix(float(days), *_rates(q)).copy()


@lru_cache(maxsize=64)
def _separatrix(days: float, *rates) -> pd.DataFrame:
    q = dict(zip(_RATES, rates))
    s, p, g, m, d, a, b, n = rates
    eq = _equilibria_raw(s, p, g, m, d, a, b, n)
    # a saddle on the axis E = 0 (possible only when s = 0) has that axis as its stable
    # manifold, which a log-scale phase plane cannot show
    saddles = eq[(eq["type"] == "saddle") & (eq["T"] > 0) & (eq["E"] > 1e-6)]
    frames = []

    def region(t, u, *args):
        log_E, log_T = u  # the region 1 <= T <= 2/b, 1 <= E <= 1e10 in logarithms
        return min(log_T, math.log(2.0 / b) - log_T, log_E, math.log(1e10) - log_E)

    leave = ode.Event(region, name="leaves the phase plane")
    for k, (_, row) in enumerate(saddles.iterrows()):
        E, T = row["E"], row["T"]
        # Jacobian in logarithmic coordinates: J_log = D^-1 J D with D = diag(E, T)
        J = _jacobian(E, T, s, p, g, m, d, a, b, n)
        Jl = np.array([[J[0, 0], J[0, 1] * T / E], [J[1, 0] * E / T, J[1, 1]]])
        w, v = np.linalg.eig(Jl)
        vec = np.real(v[:, int(np.argmin(w.real))])
        vec = vec / np.linalg.norm(vec)
        for side in (1, -1):
            u0 = np.array([math.log(E), math.log(T)]) + side * 1e-4 * vec
            run = _integrate(
                q, math.exp(u0[0]), math.exp(u0[1]), days, events=[leave], direction=-1.0
            )
            y = np.exp(run.y)
            frames.append(
                pd.DataFrame(
                    {
                        "branch": 2 * k + (0 if side > 0 else 1),
                        "E": np.r_[E, y[0]],
                        "T": np.r_[T, y[1]],
                    }
                )
            )
    if not frames:
        return pd.DataFrame(
            {
                "branch": pd.Series(dtype=int),
                "E": pd.Series(dtype=float),
                "T": pd.Series(dtype=float),
            }
        )
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------
# fates
# ---------------------------------------------------------------------------------------
def outcome(**params) -> str:
    """The long-run fate of the tumour from the initial state ``(E0, T0)``.

    * ``"elimination"``: the tumour falls below one cell (:data:`EXTINCT`) at some time. The
      model treats cells as a continuous quantity and would let a fraction of a cell grow
      back; a real tumour with less than one cell left is gone, so we count it as eliminated.
      (This also covers convergence to a stable tumour-free state.)
    * ``"escape"``: over the last fifth of a 20,000-day run the tumour reaches at least
      half of its carrying capacity ``1/b`` (:data:`ESCAPE_FRACTION`): the large stable
      state, held back by crowding rather than by the immune cells.
    * ``"dormancy"``: otherwise: the tumour persists at the small stable state (or, for
      parameters where that state is unstable, keeps oscillating well below half its
      carrying capacity).

    The classification looks at the long run, independent of ``days``.
    """
    q = PARAMS.resolve(params)
    b = q["b"]

    if q["T0"] < EXTINCT:
        return "elimination"
    run = _integrate(q, q["E0"], q["T0"], _LONG_RUN, events=[_EXTINCTION])
    if run.stopped:
        return "elimination"
    late = run.t >= 0.8 * _LONG_RUN
    T_late = np.exp(run.y[1][late]) if late.any() else np.exp(run.y[1][-1:])
    return "escape" if b * T_late.max() >= ESCAPE_FRACTION else "dormancy"


#: Output grid of :func:`outcomes` (days between points): short enough that a tumour at or above
#: :data:`_FAST_MARGIN` cells at two neighbouring points cannot have fallen below one cell in
#: between (its log grows at most at rate ``a`` <= 0.5/day, so climbing back from below one
#: cell to 100 cells takes more than 9 days).
_FAST_GRID = 5.0
_FAST_MARGIN = 100.0


def outcomes(T0s, **params) -> list[str]:
    """:func:`outcome` for several initial tumour sizes ``T0s`` (same ``E0`` and rates), faster.

    Each start is integrated through LSODA's compiled loop (:func:`widgets.models.ode.solve`
    with output every :data:`_FAST_GRID` days and no events) instead of stepping with an
    elimination event. That gives :func:`outcome`'s answer whenever the run is clear-cut: the
    tumour stays above :data:`_FAST_MARGIN` cells at every output point (so it never fell
    below one cell in between), and over the last fifth of the run its largest size is far
    from the escape line (below 30% or above 70% of the carrying capacity, the line being
    50%), or it has settled at an equilibrium more than 1% of the capacity away from the
    line. Any other start (or one whose fast run fails) is judged by :func:`outcome`
    itself, so the answers are always :func:`outcome`'s (``tests/test_fast_paths.py``).
    """
    q = PARAMS.resolve(params)
    b = q["b"]
    t = np.linspace(0.0, _LONG_RUN, int(round(_LONG_RUN / _FAST_GRID)) + 1)
    late = t >= 0.8 * _LONG_RUN
    out = []
    for T0 in T0s:
        T0 = PARAMS["T0"].validate(T0)
        if T0 < _FAST_MARGIN:
            out.append(outcome(**{**q, "T0": T0}))
            continue
        try:
            run = _integrate(q, q["E0"], T0, _LONG_RUN, t_eval=t)
        except (ArithmeticError, RuntimeError):  # the reference path says what happens
            out.append(outcome(**{**q, "T0": T0}))
            continue
        log_T = run.y[1]
        top = b * math.exp(float(log_T[late].max()))
        settled = float(np.ptp(log_T[late])) < 1e-3
        if float(log_T.min()) >= math.log(_FAST_MARGIN) and (
            not 0.3 <= top <= 0.7 or (settled and abs(top - ESCAPE_FRACTION) > 0.01)
        ):
            out.append("escape" if top >= ESCAPE_FRACTION else "dormancy")
        else:
            out.append(outcome(**{**q, "T0": T0}))
    return out


def threshold_T0(*, lo: float = 1.0, hi: float = 1e9, rtol: float = 1e-4, **params) -> float:
    """The escape threshold in initial tumour size (cells), for the given ``E0`` and rates.

    The smallest ``T0`` above which every initial tumour up to ``hi`` escapes. Scans ``T0``
    on a logarithmic grid from ``lo`` to ``hi``, then bisects (in log T0) between the largest
    start that does not escape and the next grid point. Returns NaN if the largest start
    does not escape or if every start escapes. (With a weak effector supply, small tumours
    can escape too while middle-sized ones are held dormant, "sneaking through"; this
    function reports the upper threshold.)
    """
    grid = np.geomspace(lo, hi, 28)
    fates = [outcome(**{**params, "T0": float(t)}) for t in grid]
    keep = [i for i, f in enumerate(fates) if f != "escape"]
    if not keep or keep[-1] == len(grid) - 1:
        return float("nan")
    i = keep[-1]
    a, b_ = math.log(grid[i]), math.log(grid[i + 1])
    while b_ - a > rtol:
        mid = 0.5 * (a + b_)
        if outcome(**{**params, "T0": math.exp(mid)}) == "escape":
            b_ = mid
        else:
            a = mid
    return math.exp(0.5 * (a + b_))


def transition(
    vary: str, state: str, lo: float, hi: float, *, rtol: float = 1e-6, **params
) -> float:
    """The value of parameter ``vary`` between ``lo`` and ``hi`` at which the stable
    ``state`` ("elimination", "dormancy" or "escape") appears or disappears.

    ``state`` must be available at exactly one end of the interval; bisection (in log
    space when both ends are positive) narrows the switch to relative width ``rtol``.
    Raises ``ValueError`` if the state is present at both ends or at neither.
    """
    PARAMS[vary]  # unknown names raise ValueError

    def has(v):
        return state in stable_states(**{**params, vary: v})

    h_lo, h_hi = has(lo), has(hi)
    if h_lo == h_hi:
        raise ValueError(
            f"the {state} state is {'present' if h_lo else 'absent'} at both {vary}={lo:g} "
            f"and {vary}={hi:g}; choose an interval where it appears or disappears"
        )
    use_log = lo > 0 and hi > 0
    x, y = (math.log(lo), math.log(hi)) if use_log else (lo, hi)
    while abs(y - x) > rtol * (1.0 if use_log else max(abs(x), abs(y))):
        mid = 0.5 * (x + y)
        if has(math.exp(mid) if use_log else mid) == h_lo:
            x = mid
        else:
            y = mid
    mid = 0.5 * (x + y)
    return math.exp(mid) if use_log else mid
