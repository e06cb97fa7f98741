"""de Pillis, Radunskaya & Wiseman (2005): NK cells and CD8+ T cells against a tumour.

Three populations, counted in cells, time in days:

* ``T``: tumour cells;
* ``N``: natural killer (NK) cells, the innate first responders;
* ``L``: tumour-specific CD8+ T cells (cytotoxic T lymphocytes).

.. math::

    \\frac{dT}{dt} = aT(1 - bT) - cNT - D, \\qquad
    \\frac{dN}{dt} = \\sigma - fN + \\frac{gT^2}{h + T^2}N - pNT,

    \\frac{dL}{dt} = -mL + \\frac{jD^2}{k + D^2}L - qLT + rNT, \\qquad
    D = d\\,\\frac{(L/T)^{\\lambda}}{s + (L/T)^{\\lambda}}\\,T .

The tumour grows logistically and is killed by NK cells (mass action, ``cNT``) and by CD8+
T cells at the rate ``D``, which depends on the *ratio* of T cells to tumour cells and
saturates at ``d`` per day (the form the paper fitted to chromium-release killing assays).
NK cells arrive at a constant rate ``sigma``, die at ``f``, are recruited by the tumour
(``gT^2/(h+T^2)``) and inactivated by it (``pNT``). CD8+ T cells die at ``m``, are recruited
in proportion to the killing they do (``jD^2/(k+D^2)``), are inactivated by tumour cells
(``qLT``) and are activated by NK–tumour encounters (``rNT``).

Source: L. G. de Pillis, A. E. Radunskaya, C. L. Wiseman, "A validated mathematical model of
cell-mediated immune response to tumor growth", *Cancer Research* 65 (2005) 7950-7958,
doi:10.1158/0008-5472.CAN-05-0564, PMID 16140967. The defaults are the paper's mouse
parameters as encoded in BioModels MODEL1907260001, a non-curated entry (values recorded in
the project's fact base; the same values, rescaled to units of 1e5 cells, appear in the
independent MeFAST implementation, an-do/MeFAST ``Cancermodel/MeFAST/Parameter_settings.m``).

Published behaviour reproduced (tests/test_depillis.py): the paper's abstract reports that
simulations "using different levels of immune stimulating ligands, effector cells, and tumor
challenge" reproduce the mouse experiments, and that the model is most sensitive to the
patient-specific CD8+ killing parameters measured by chromium-release assay. With the mouse
parameters the outcome depends on exactly these: a small tumour challenge is rejected when
enough CD8+ T cells are present and escapes when they are few, a larger challenge escapes,
and raising the CD8+ killing parameter ``d`` converts escape into rejection. (We could not
read the paper's figures, so the tests name the abstract, not a figure.)

Numerics: ``ln T`` (so the tumour stays positive however small it gets), ``N`` and ``L`` are
integrated with LSODA (the book's one driver, :func:`widgets.models.ode.solve`) and an
analytic Jacobian; LSODA switches to a stiff method when, in a large
tumour, NK inactivation ``pT`` makes the system stiff. The CD8+ killing fraction is computed
as a logistic function of ``lambda*(ln L - ln T)``, which stays finite for any ratio. When the
tumour falls below one cell (:data:`EXTINCT`) it is counted as eliminated: from then on
``T = 0`` and ``N`` and ``L`` relax in closed form (``N -> sigma/f``, ``L`` decays at ``m``).

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
    "RATES",
    "EXTINCT",
    "ESCAPE_FRACTION",
    "LONG_RUN",
    "simulate",
    "outcome",
    "killing_fraction",
    "extinction_time",
]

#: Below one tumour cell the (continuous) model's tumour is counted as eliminated.
EXTINCT = 1.0

#: A tumour at or above this fraction of its carrying capacity 1/b counts as "escape".
ESCAPE_FRACTION = 0.5

#: Days integrated by :func:`outcome`.
LONG_RUN = 365.0

_SRC = "depillis2005"

PARAMS = ParamTable(
    [
        # -- initial state and horizon ----------------------------------------------------
        Param("T0", 1e5, "cells", 1.0, 1e9,
              "initial tumour size; tumour cells at day 0, the 'tumour challenge' "
              "(value and range our choice)", "illustrative", log=True, symbol="T(0)"),
        Param("N0", 3.2e5, "cells", 1e3, 1e7,
              "initial NK cells; NK cells at day 0 (default: about the tumour-free "
              "balance sigma/f = 3.16e5; range our choice)", "illustrative", log=True,
              symbol="N(0)"),
        Param("L0", 1e4, "cells", 1.0, 1e7,
              "initial CD8+ T cells; tumour-specific CD8+ T cells at day 0 "
              "(value and range our choice)", "illustrative", log=True, symbol="L(0)"),
        Param("days", 60.0, "days", 5.0, 400.0,
              "time horizon; length of the simulated time course (our choice)",
              "illustrative"),
        # -- tumour ------------------------------------------------------------------------
        Param("a", 0.514, "1/day", 0.1, 1.0,
              "tumour growth rate; maximal per-cell growth rate (range our choice)", _SRC,
              symbol="a"),
        Param("b", 1.02e-9, "1/cell", 1e-10, 1e-8,
              "tumour crowding; 1/b is the carrying capacity (range our choice)", _SRC,
              log=True, symbol="b"),
        Param("c", 3.23e-7, "1/(cell·day)", 1e-8, 1e-5,
              "NK killing rate; tumour cells killed per NK cell per tumour cell per day "
              "(range our choice)", _SRC, log=True, symbol="c"),
        # -- CD8+ killing (fitted to chromium-release assays) ---------------------------------
        Param("d", 1.43, "1/day", 0.1, 10.0,
              "CD8+ killing efficacy; saturation level of killing by CD8+ T cells "
              "(range our choice)", _SRC, step=0.05, symbol="d"),
        Param("lam", 0.58, "1", 0.1, 2.0,
              "killing exponent; steepness of killing in the T-cell:tumour ratio "
              "(range our choice)", _SRC, step=0.01, symbol="λ"),
        Param("s", 2.73, "1", 0.1, 10.0,
              "killing half-saturation; value of (L/T)^λ giving half-maximal killing "
              "(range our choice)", _SRC, step=0.01, symbol="s"),
        # -- NK cells ------------------------------------------------------------------------
        Param("sigma", 1.3e4, "cells/day", 0.0, 1e5,
              "NK supply; constant inflow of NK cells (range our choice)", _SRC,
              symbol="σ"),
        Param("f", 0.0412, "1/day", 0.005, 0.2,
              "NK death rate; per-cell death rate of NK cells (range our choice)", _SRC,
              symbol="f"),
        Param("g", 0.025, "1/day", 0.0, 0.2,
              "NK recruitment; maximal tumour-driven NK recruitment rate (range our choice)",
              _SRC, symbol="g"),
        Param("h", 2.02e7, "cells²", 1e5, 1e10,
              "NK recruitment constant; value of T² giving half-maximal NK recruitment "
              "(range our choice)", _SRC, log=True, symbol="h"),
        Param("p", 1e-7, "1/(cell·day)", 1e-9, 1e-5,
              "NK inactivation; NK cells inactivated per tumour cell per day "
              "(range our choice)", _SRC, log=True, symbol="p"),
        # -- CD8+ T cells ---------------------------------------------------------------------
        Param("m", 0.02, "1/day", 0.002, 0.2,
              "CD8+ death rate; per-cell death rate of CD8+ T cells (range our choice)", _SRC,
              symbol="m"),
        Param("j", 0.0375, "1/day", 0.0, 0.5,
              "CD8+ recruitment; maximal recruitment rate driven by killing "
              "(range our choice)", _SRC, step=0.0025, symbol="j"),
        Param("k", 2.02e7, "cells²/day²", 1e5, 1e10,
              "CD8+ recruitment constant; value of D² giving half-maximal recruitment "
              "(range our choice)", _SRC, log=True, symbol="k"),
        Param("q", 3.42e-10, "1/(cell·day)", 1e-12, 1e-8,
              "CD8+ inactivation; CD8+ T cells inactivated per tumour cell per day "
              "(range our choice)", _SRC, log=True, symbol="q"),
        Param("r", 1.1e-7, "1/(cell·day)", 1e-9, 1e-5,
              "CD8+ activation by NK cells; CD8+ T cells activated per NK-tumour encounter "
              "(range our choice)", _SRC, log=True, symbol="r"),
    ]
)

#: Names of the model's rates, in the order the right-hand side takes them.
RATES = ("a", "b", "c", "d", "lam", "s", "sigma", "f", "g", "h", "p", "m", "j", "k", "q", "r")


def killing_fraction(L, T, lam: float, s: float):
    """``(L/T)^λ / (s + (L/T)^λ)``: the share of the maximal CD8+ killing rate reached.

    Computed as a logistic function of ``λ (ln L - ln T)``, finite for any ``L >= 0``,
    ``T > 0`` (0 when ``L = 0``)."""
    L = np.asarray(L, dtype=float)
    T = np.asarray(T, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):
        z = lam * (np.log(np.maximum(L, 0.0)) - np.log(T))
        return 1.0 / (1.0 + s * np.exp(-z))


def _frac(x: float, lT: float, lam: float, s: float) -> float:
    if x <= 0.0:
        return 0.0
    z = lam * (math.log(x) - lT)
    return 1.0 / (1.0 + s * math.exp(-z)) if z > -700.0 else 0.0


#: Smallest T-cell number used in the Jacobian's derivative with respect to L. The killing
#: term grows like L^lambda near L = 0 (infinitely steep for lambda < 1); capping the
#: slope there only affects the solver's Newton iterations, not the equations.
L_FLOOR = 1e-3


def _rhs(t, y, a, b, c, d, lam, s, sigma, f, g, h, p, m, j, k, q, r):
    lT, N, L = y
    T = math.exp(min(lT, 700.0))
    L = max(L, 0.0)
    N = max(N, 0.0)
    kill = d * _frac(L, lT, lam, s)  # per tumour cell per day
    D = kill * T
    TT = T * T
    return [
        a * (1.0 - b * T) - c * N - kill,
        sigma - f * N + g * TT / (h + TT) * N - p * N * T,
        -m * L + j * D * D / (k + D * D) * L - q * L * T + r * N * T,
    ]


def _jac(t, y, a, b, c, d, lam, s, sigma, f, g, h, p, m, j, k, q, r):
    lT, N, L = y
    T = math.exp(min(lT, 700.0))
    Lp = max(L, L_FLOOR)
    F = _frac(Lp, lT, lam, s)
    Fp = F * (1.0 - F)  # dF/dz, z = lam (ln L - ln T)
    kill = d * F
    D = kill * T
    TT = T * T
    R = D * D / (k + D * D)
    Rp = 2.0 * D * k / (k + D * D) ** 2
    dD_lT = D - lam * T * d * Fp
    dD_L = T * d * Fp * lam / Lp
    return [
        [-a * b * T + d * lam * Fp, -c, -d * Fp * lam / Lp],
        [g * N * 2.0 * h * TT / (h + TT) ** 2 - p * N * T,
         -f + g * TT / (h + TT) - p * T, 0.0],
        [j * Lp * Rp * dD_lT - q * L * T + r * N * T, r * T,
         -m + j * R + j * Lp * Rp * dD_L - q * T],
    ]


def _integrate(q: dict, t: np.ndarray) -> np.ndarray:
    """Columns ln T, N, L at the times ``t`` (:func:`ode.solve`, analytic Jacobian)."""
    args = tuple(float(q[n]) for n in RATES)
    y0 = [math.log(q["T0"]), q["N0"], q["L0"]]
    return ode.solve("de Pillis model", _rhs, y0, t, args=args, jac=_jac, rtol=1e-6,
                     atol=[1e-8, 1e-2, 1e-2]).y.T


def extinction_time(t: np.ndarray, log_T: np.ndarray) -> float | None:
    """First time the tumour crosses one cell (linear in ln T between samples), or None."""
    below = np.nonzero(log_T < math.log(EXTINCT))[0]
    if below.size == 0:
        return None
    i = int(below[0])
    if i == 0:
        return float(t[0])
    x0, x1 = log_T[i - 1], log_T[i]
    return float(t[i - 1] + (t[i] - t[i - 1]) * (x0 - math.log(EXTINCT)) / (x0 - x1))


def simulate(*, points: int = 241, **params) -> pd.DataFrame:
    """Tumour, NK and CD8+ T cells over time.

    Returns a DataFrame with columns ``t`` (days), ``T``, ``N``, ``L`` (cells) and ``D``
    (tumour cells killed by CD8+ T cells per day), at ``points`` evenly spaced times from 0
    to ``days``. Once the tumour falls below one cell it is eliminated: from then on ``T``
    and ``D`` are 0 and the immune cells relax in closed form (``N`` towards sigma/f, ``L``
    decaying at rate m). Invalid values raise ``ValueError``.
    """
    q = PARAMS.resolve(params)
    t = np.linspace(0.0, q["days"], int(points))
    y = _integrate(q, t)
    T, N, L = np.exp(y[:, 0]), np.maximum(y[:, 1], 0.0), np.maximum(y[:, 2], 0.0)
    te = extinction_time(t, y[:, 0])
    if te is not None:
        after = t >= te
        i = int(np.argmax(after))
        Ne, Le = (N[i - 1], L[i - 1]) if i > 0 else (q["N0"], q["L0"])
        te0 = t[i - 1] if i > 0 else 0.0
        eq = q["sigma"] / q["f"]
        dt = t[after] - te0
        N[after] = eq + (Ne - eq) * np.exp(-q["f"] * dt)
        L[after] = Le * np.exp(-q["m"] * dt)
        T[after] = 0.0
    safe_T = np.where(T > 0, T, 1.0)
    D = np.where(T > 0, q["d"] * killing_fraction(L, safe_T, q["lam"], q["s"]) * T, 0.0)
    return pd.DataFrame({"t": t, "T": T, "N": N, "L": L, "D": D})


def outcome(**params) -> str:
    """The fate of the tumour over :data:`LONG_RUN` days (independent of ``days``).

    ``"elimination"`` if it falls below one cell, ``"escape"`` if it ends at or above half
    its carrying capacity (:data:`ESCAPE_FRACTION` of 1/b), otherwise ``"persistence"``.
    """
    q = PARAMS.resolve(params)
    t = np.linspace(0.0, LONG_RUN, 366)
    y = _integrate(q, t)
    if extinction_time(t, y[:, 0]) is not None:
        return "elimination"
    return "escape" if q["b"] * math.exp(y[-1, 0]) >= ESCAPE_FRACTION else "persistence"
