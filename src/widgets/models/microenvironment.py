"""The tumour microenvironment: a suppression compartment added to the de Pillis et al. model.

The published model (:mod:`widgets.models.depillis`: tumour ``T``, NK cells ``N``, CD8+ T
cells ``L``, mouse parameters of de Pillis, Radunskaya & Wiseman 2005) is extended by two
features of the tumour's surroundings and by three treatments. **Everything added here is
illustrative**: a modelling choice made to show how suppression and exclusion change the
effect of checkpoint blockade, not a fit to data.

1. **Suppression** ``S`` (dimensionless, in units of its half-effect level): regulatory T
   cells, myeloid-derived suppressor cells and suppressive signals such as TGF-β or adenosine,
   lumped into one level. The tumour sustains it, it decays, and a suppression-lowering
   therapy removes it faster::

       dS/dt = delta_S * (S_max * T/(T + T_S) - S) - u * S

   ``S_max`` is the level a large tumour sustains (the tumour's *suppressive strength*).
   Suppression divides CD8+ killing, CD8+ recruitment and CD8+ activation by ``1 + S``.
2. **Exclusion**: only a share ``epsilon`` (T-cell *access*) of the tumour's CD8+ T cells
   reach tumour cells; the rest are held in the surrounding stroma. Killing depends on the
   ratio ``epsilon L / T``. A stroma-opening therapy raises the access to ``epsilon_open``.
3. **Checkpoint blockade** reuses the brake of chapter 3 (:mod:`widgets.models.checkpoint`):
   the PD-1/PD-L1 brake switches off a share ``B = L_pd * (1 - RO)`` of T-cell killing, with
   PD-L1 level ``L_pd`` and PD-1 occupancy ``RO`` (0 untreated). The published mouse killing
   efficacy ``d`` is read as the *braked* value of an untreated tumour, so blockade multiplies
   it by ``G = (1 - L_pd (1 - RO)) / (1 - L_pd)``.

With these, the CD8+ killing rate and the T-cell equation become::

    D = d * G / (1 + S) * F(epsilon L / T) * T,   F(x) = x^lam / (s + x^lam)
    dL/dt = -m L + j/(1 + S) * D^2/(k + D^2) * L - q L T + r/(1 + S) * N T

and the tumour and NK equations are those of the published model. With ``S_max = 0``,
``epsilon = 1`` and no treatment the model *is* the published one (tested).

Treatments act for the whole simulated time (from day 0). The numerics follow
:mod:`widgets.models.depillis` (``ln T``, LSODA with an analytic Jacobian, a tumour below one
cell counted as eliminated). This module imports no plotting code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..params import Param, ParamTable
from . import depillis
from . import ode
from .depillis import L_FLOOR, EXTINCT, ESCAPE_FRACTION, RATES, _frac, extinction_time

__all__ = [
    "PARAMS",
    "TUMOURS",
    "TREATMENTS",
    "SCENARIOS",
    "simulate",
    "outcome",
    "summary",
    "blockade_gain",
    "effective",
]

_ILL = "illustrative"

PARAMS = ParamTable(
    list(depillis.PARAMS)
    + [
        # -- the microenvironment (illustrative) -------------------------------------------
        Param("suppression", 0.1, "1", 0.0, 20.0,
              "suppressive strength; suppression level S a large tumour sustains "
              "(regulatory T cells, MDSCs, TGF-β, adenosine; 1 halves CD8+ killing)",
              _ILL, step=0.1, symbol="S_max"),
        Param("suppression_decay", 0.1, "1/day", 0.01, 1.0,
              "suppression turnover; rate at which suppression decays without the tumour",
              _ILL, step=0.01, symbol="δ_S"),
        Param("suppression_half", 1e6, "cells", 1e3, 1e9,
              "suppression half-size; tumour size sustaining half the maximal suppression",
              _ILL, log=True, symbol="T_S"),
        Param("access", 1.0, "0-1", 0.01, 1.0,
              "T-cell access; share of CD8+ T cells that reach tumour cells "
              "(1 inflamed, low excluded by stroma)", _ILL, step=0.01, symbol="ε"),
        Param("pdl1", 0.7, "0-1", 0.0, 0.9,
              "PD-L1 brake; share of T-cell killing the PD-1/PD-L1 brake switches off",
              _ILL, step=0.05, symbol="L_pd"),
        # -- treatments ------------------------------------------------------------------
        Param("blockade", False, "", kind="bool",
              description="checkpoint blockade; anti-PD-1 occupies PD-1 and releases the "
                          "brake", source=_ILL, symbol="β"),
        Param("occupancy", 0.95, "0-1", 0.0, 1.0,
              "PD-1 occupancy under blockade; share of PD-1 bound by the drug "
              "(chapter 3's model keeps it above 0.9 during treatment)", _ILL, step=0.01,
              symbol="RO"),
        Param("deplete", False, "", kind="bool",
              description="suppression-lowering therapy; removes suppressive cells and "
                          "signals faster", source=_ILL, symbol="δ"),
        Param("depletion_rate", 1.0, "1/day", 0.0, 5.0,
              "depletion rate; extra removal rate of suppression under therapy", _ILL,
              step=0.05, symbol="u"),
        Param("open_stroma", False, "", kind="bool",
              description="stroma-opening therapy; lets excluded T cells reach the tumour "
                          "(e.g. TGF-β blockade)", source=_ILL, symbol="ω"),
        Param("access_open", 0.8, "0-1", 0.01, 1.0,
              "access under stroma therapy; T-cell access while the therapy acts", _ILL,
              step=0.01, symbol="ε_open"),
    ]
)

#: Three tumour types (illustrative settings of suppression and access).
TUMOURS: dict[str, dict] = {
    "hot (inflamed)": {"suppression": 0.1, "access": 1.0},
    "excluded": {"suppression": 0.1, "access": 0.05},
    "cold (suppressed)": {"suppression": 10.0, "access": 1.0},
}

#: Four treatment arms.
TREATMENTS: dict[str, dict] = {
    "untreated": {},
    "anti-PD-1": {"blockade": True},
    "microenvironment therapy": {"deplete": True, "open_stroma": True},
    "anti-PD-1 + microenvironment therapy": {"blockade": True, "deplete": True,
                                             "open_stroma": True},
}

#: Every tumour type under every arm ("hot (inflamed), anti-PD-1", ...).
SCENARIOS: dict[str, dict] = {
    f"{tumour}, {arm}": {**tv, **av}
    for tumour, tv in TUMOURS.items()
    for arm, av in TREATMENTS.items()
}


def blockade_gain(pdl1: float, occupancy: float) -> float:
    """Factor by which blockade raises CD8+ killing: ``(1 - L(1 - RO)) / (1 - L)``."""
    return (1.0 - pdl1 * (1.0 - occupancy)) / (1.0 - pdl1)


def effective(**params) -> dict:
    """The treatment-dependent constants: killing gain ``G``, access ``epsilon`` and the
    extra removal rate ``u`` of suppression."""
    q = PARAMS.resolve(params)
    return _effective(q)


def _effective(q: dict) -> dict:
    gain = blockade_gain(q["pdl1"], q["occupancy"]) if q["blockade"] else 1.0
    access = max(q["access"], q["access_open"]) if q["open_stroma"] else q["access"]
    u = q["depletion_rate"] if q["deplete"] else 0.0
    return {"gain": gain, "access": access, "u": u}


def _rhs(t, y, a, b, c, d, lam, s, sigma, f, g, h, p, m, j, k, q, r,
         Smax, dS, TS, eps, u):
    lT, N, L, S = y
    T = math.exp(min(lT, 700.0))
    L = max(L, 0.0)
    N = max(N, 0.0)
    phi = 1.0 / (1.0 + max(S, 0.0))
    kill = d * phi * _frac(eps * L, lT, lam, s)
    D = kill * T
    TT = T * T
    return [
        a * (1.0 - b * T) - c * N - kill,
        sigma - f * N + g * TT / (h + TT) * N - p * N * T,
        -m * L + j * phi * D * D / (k + D * D) * L - q * L * T + r * phi * N * T,
        dS * (Smax * T / (T + TS) - S) - u * S,
    ]


def _jac(t, y, a, b, c, d, lam, s, sigma, f, g, h, p, m, j, k, q, r,
         Smax, dS, TS, eps, u):
    lT, N, L, S = y
    T = math.exp(min(lT, 700.0))
    Lp = max(L, L_FLOOR)
    phi = 1.0 / (1.0 + max(S, 0.0))
    F = _frac(eps * Lp, lT, lam, s)
    Fp = F * (1.0 - F)
    kill = d * phi * F
    D = kill * T
    TT = T * T
    R = D * D / (k + D * D)
    Rp = 2.0 * D * k / (k + D * D) ** 2
    dD_lT = D - lam * T * d * phi * Fp
    dD_L = T * d * phi * Fp * lam / Lp
    dD_S = -phi * D
    return [
        [-a * b * T + d * phi * lam * Fp, -c, -d * phi * Fp * lam / Lp, d * F * phi * phi],
        [g * N * 2.0 * h * TT / (h + TT) ** 2 - p * N * T,
         -f + g * TT / (h + TT) - p * T, 0.0, 0.0],
        [j * phi * Lp * Rp * dD_lT - q * L * T + r * phi * N * T, r * phi * T,
         -m + j * phi * R + j * phi * Lp * Rp * dD_L - q * T,
         -phi * phi * j * R * L + j * phi * L * Rp * dD_S - phi * phi * r * N * T],
        [dS * Smax * T * TS / (T + TS) ** 2, 0.0, 0.0, -dS - u],
    ]


def _integrate(q: dict, t: np.ndarray) -> np.ndarray:
    e = _effective(q)
    # the published d is the braked killing of an untreated tumour; blockade multiplies it
    rates = {**{n: float(q[n]) for n in RATES}, "d": q["d"] * e["gain"]}
    args = tuple(rates[n] for n in RATES) + (
        q["suppression"], q["suppression_decay"], q["suppression_half"], e["access"], e["u"])
    S0 = q["suppression"] * q["T0"] / (q["T0"] + q["suppression_half"])
    y0 = [math.log(q["T0"]), q["N0"], q["L0"], S0]
    return ode.solve("microenvironment model", _rhs, y0, t, args=args, jac=_jac, rtol=1e-6,
                     atol=[1e-8, 1e-2, 1e-2, 1e-8]).y.T


def simulate(*, points: int = 241, **params) -> pd.DataFrame:
    """Tumour, NK and CD8+ T cells and suppression over time.

    Columns: ``t`` (days), ``T``, ``N``, ``L`` (cells), ``L_contact`` (CD8+ T cells that
    reach tumour cells, ``access * L``), ``S`` (suppression level), ``D`` (tumour cells
    killed by CD8+ T cells per day). Once the tumour falls below one cell it is eliminated:
    ``T = D = 0`` afterwards and ``N``, ``L``, ``S`` relax in closed form.
    """
    q = PARAMS.resolve(params)
    e = _effective(q)
    t = np.linspace(0.0, q["days"], int(points))
    y = _integrate(q, t)
    T, N, L, S = (np.exp(y[:, 0]), np.maximum(y[:, 1], 0.0), np.maximum(y[:, 2], 0.0),
                  np.maximum(y[:, 3], 0.0))
    te = extinction_time(t, y[:, 0])
    if te is not None:
        after = t >= te
        i = int(np.argmax(after))
        i0 = max(i - 1, 0)
        dt = t[after] - t[i0]
        eq = q["sigma"] / q["f"]
        N[after] = eq + (N[i0] - eq) * np.exp(-q["f"] * dt)
        L[after] = L[i0] * np.exp(-q["m"] * dt)
        S[after] = S[i0] * np.exp(-(q["suppression_decay"] + e["u"]) * dt)
        T[after] = 0.0
    safe_T = np.where(T > 0, T, 1.0)
    kill = (q["d"] * e["gain"] / (1.0 + S)
            * depillis.killing_fraction(e["access"] * L, safe_T, q["lam"], q["s"]))
    D = np.where(T > 0, kill * T, 0.0)
    return pd.DataFrame({"t": t, "T": T, "N": N, "L": L, "L_contact": e["access"] * L,
                         "S": S, "D": D})


def outcome(**params) -> str:
    """Fate over :data:`widgets.models.depillis.LONG_RUN` days: ``"elimination"``,
    ``"escape"`` (at least half the carrying capacity) or ``"persistence"``."""
    q = PARAMS.resolve(params)
    t = np.linspace(0.0, depillis.LONG_RUN, 366)
    y = _integrate(q, t)
    if extinction_time(t, y[:, 0]) is not None:
        return "elimination"
    return "escape" if q["b"] * math.exp(y[-1, 0]) >= ESCAPE_FRACTION else "persistence"


def summary(**params) -> dict:
    """Key numbers of one run: ``outcome`` (long run), tumour cells at the end of ``days``
    (``T_end``), day of elimination (``day_eliminated``, NaN if none), the largest number of
    CD8+ T cells in contact with tumour cells (``peak_contact``) and the suppression level
    at day 0 and at the end (``S_start``, ``S_end``)."""
    q = PARAMS.resolve(params)
    df = simulate(**q)
    gone = df.index[df["T"] == 0]
    return {
        "outcome": outcome(**q),
        "T_end": float(df["T"].iloc[-1]),
        "day_eliminated": float(df["t"].iloc[gone[0]]) if len(gone) else float("nan"),
        "peak_contact": float(df["L_contact"].max()),
        "S_start": float(df["S"].iloc[0]),
        "S_end": float(df["S"].iloc[-1]),
    }
