"""The tumour microenvironment: three immune phenotypes in chapter 3's checkpoint model.

Tumours are commonly sorted by where their T cells are: *inflamed* (T cells inside the tumour,
held back there), *immune-excluded* (T cells stopped at the edge, in the surrounding stroma)
and *immune desert* (few T cells anywhere). This module makes those three into three
different failures of one model, the checkpoint-blockade model of chapter 3
(:mod:`widgets.models.checkpoint`), by giving the tumour an edge:

1. **Priming (supply).** Primed T cells arrive at the tumour's edge at the rate
   ``s * priming * (1 + b * boost(t))``: chapter 3's T-cell inflow, with ``priming`` the
   lymph-node priming that a vaccine or anti-CTLA-4 raises (``boost(t)`` is 1 while such a
   *priming boost* lasts, else 0). An immune desert has low priming.
2. **Access (entry).** T cells at the edge ``M`` enter the tumour at rate ``a`` per day (the
   *access*) or die there at rate ``delta``; a share ``a / (a + delta)`` of arrivals gets in.
   An immune-excluded tumour has low access (stroma, TGF-β signalling, abnormal vessels). An
   *access restoration* (TGF-β blockade, anti-VEGF) raises ``a`` to ``access_open`` while it
   lasts.
3. **Local suppression.** Inside the tumour the T cells ``E`` expand, kill and die exactly as
   in chapter 3, held back by the PD-1/PD-L1 brake ``B = pdl1 * (1 - RO)``; anti-PD-1
   (*checkpoint blockade*) raises the occupancy ``RO`` with chapter 3's dosing,
   pharmacokinetics and occupancy (:func:`widgets.models.checkpoint.concentration`,
   :func:`~widgets.models.checkpoint.occupancy`).

The equations (V tumour volume in cm³; M, E T cells in relative units)::

    dM/dt = s * priming * (1 + b * boost(t)) - a(t) * M - delta * M
    dE/dt = a(t) * M + chi * delta * (1 - B(t)) * E * V/(g + V) - delta * E
    dV/dt = r * V * (1 - V/K) - k * (1 - B(t)) * E * V/(h + V)

The last two lines are chapter 3's equations with the inflow ``s * priming`` replaced by the
entry ``a * M``; when the access is very fast, ``M`` passes everything on at once and the
model *is* chapter 3's (tested). Lesion diameter, its change and the RECIST 1.1 category come
from :mod:`widgets.models.recist`, as in chapter 3.

Every parameter is **illustrative**: the added edge compartment, the three phenotype settings
(:data:`TUMOURS`) and the treatments (:data:`TREATMENTS`) were chosen to show how the three
failures differ, not fitted to patients. The numerics import no plotting code.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from ..params import Param, ParamTable
from . import checkpoint, ode, recist

__all__ = [
    "PARAMS",
    "TUMOURS",
    "TREATMENTS",
    "SCENARIOS",
    "simulate",
    "summary",
    "outcome_table",
    "entry_share",
    "doubling_time",
]

_ILL = "illustrative"

#: Parameters of chapter 3's model used unchanged (same names, values, ranges and sources).
_REUSED = (
    "dose",
    "interval",
    "n_doses",
    "body_weight",
    "half_life",
    "volume",
    "ec50",
    "pdl1",
    "priming",
    "tcell_death",
    "expansion",
    "stim_half",
    "growth_rate",
    "capacity",
    "kill_rate",
    "kill_half",
    "diameter0",
    "assess_day",
    "horizon",
)

_CP = checkpoint.PARAMS

PARAMS = ParamTable(
    [
        *(_CP[name] for name in _REUSED[:7]),
        # -- treatments ------------------------------------------------------------------
        Param(
            "blockade",
            False,
            "",
            kind="bool",
            description="checkpoint blockade; anti-PD-1 given as the dosing parameters say",
            source=_ILL,
            symbol="β",
        ),
        Param(
            "prime",
            False,
            "",
            kind="bool",
            description="priming boost; a vaccine or anti-CTLA-4 raises priming while "
            "treatment lasts",
            source=_ILL,
            symbol="v",
        ),
        Param(
            "prime_boost",
            3.0,
            "×",
            0.0,
            10.0,
            "priming boost strength; extra priming while the boost acts (3 = four times "
            "the supply)",
            _ILL,
            step=0.5,
            symbol="b",
        ),
        Param(
            "open_access",
            False,
            "",
            kind="bool",
            description="access restoration; TGF-β blockade or anti-VEGF lets T cells "
            "through the tumour's edge while treatment lasts",
            source=_ILL,
            symbol="ω",
        ),
        Param(
            "access_open",
            1.0,
            "1/day",
            0.001,
            100.0,
            "access under restoration; entry rate while the access restoration acts",
            _ILL,
            log=True,
            symbol="a_open",
        ),
        # -- the three mechanisms ----------------------------------------------------------
        dataclasses.replace(
            _CP["infiltration"],
            description="T-cell traffic; primed T cells arriving at the tumour's edge per "
            "day at priming 1 (chapter 3's infiltration)",
        ),
        _CP["priming"],
        Param(
            "access",
            1.0,
            "1/day",
            0.001,
            100.0,
            "T-cell access; rate at which T cells at the edge enter the tumour "
            "(low: immune-excluded)",
            _ILL,
            log=True,
            symbol="a",
        ),
        *(_CP[name] for name in _REUSED[7:8] + _REUSED[9:]),
    ]
)

#: The same tumour in three immune phenotypes (illustrative settings): each differs from the
#: inflamed tumour in one mechanism only.
TUMOURS: dict[str, dict] = {
    "inflamed": {"priming": 1.0, "access": 1.0},
    "immune-excluded": {"priming": 1.0, "access": 0.005},
    "immune desert": {"priming": 0.2, "access": 1.0},
}

#: Four treatment arms: none, checkpoint blockade alone, and blockade with each of the
#: other two fixes.
TREATMENTS: dict[str, dict] = {
    "untreated": {},
    "anti-PD-1": {"blockade": True},
    "anti-PD-1 + priming boost": {"blockade": True, "prime": True},
    "anti-PD-1 + access restoration": {"blockade": True, "open_access": True},
}

#: Every phenotype under every arm ("inflamed, anti-PD-1", ...).
SCENARIOS: dict[str, dict] = {
    f"{tumour}, {arm}": {**tv, **av}
    for tumour, tv in TUMOURS.items()
    for arm, av in TREATMENTS.items()
}

_TREATMENT_SWITCHES = {"blockade": False, "prime": False, "open_access": False}


def entry_share(access: float, tcell_death: float = _CP["tcell_death"].default) -> float:
    """Share of the T cells arriving at the edge that enter the tumour: ``a / (a + delta)``."""
    return access / (access + tcell_death)


def doubling_time(growth_rate: float = _CP["growth_rate"].default) -> float:
    """Doubling time (days) of a small, untreated tumour: ``ln 2 / r``."""
    return math.log(2.0) / growth_rate


def _treatment_end(q: dict) -> float:
    """The day treatment ends: the interval after the last of ``n_doses`` doses."""
    return float(q["n_doses"] * q["interval"])


def _balance(q: dict, v0: float) -> tuple[float, float]:
    """T cells at the edge and inside at day 0, in balance with the untreated tumour."""
    supply = q["infiltration"] * q["priming"]
    m0 = supply / (q["access"] + q["tcell_death"])
    stim = q["expansion"] * (1.0 - q["pdl1"]) * v0 / (q["stim_half"] + v0)
    e0 = q["access"] * m0 / (q["tcell_death"] * (1.0 - stim))
    return m0, e0


def simulate(**params) -> pd.DataFrame:
    """Run the model; every argument is a parameter of :data:`PARAMS` (defaults otherwise).

    Returns one row per time point (:data:`widgets.models.checkpoint.N_POINTS` from day 0 to
    ``horizon``) with ``t`` (days), ``occupancy`` (PD-1 occupancy, 0-1), ``brake`` (0-1),
    ``edge`` and ``inside`` (T cells at the tumour's edge and inside it, relative units),
    ``tumour_volume`` (cm³), ``diameter`` (mm), ``diameter_change`` (%) and ``recist``.
    """
    q = PARAMS.resolve(params)
    if q["assess_day"] > q["horizon"]:
        raise ValueError(
            f"parameter 'assess_day' ({q['assess_day']}) must not exceed parameter "
            f"'horizon' ({q['horizon']} days)"
        )
    v0 = math.pi / 6.0 * (q["diameter0"] / 10.0) ** 3  # sphere of diameter d0, in cm³
    dosing = {k: q[k] for k in ("dose", "interval", "body_weight", "half_life", "volume")}
    n_doses = q["n_doses"] if q["blockade"] else 0
    k_el = math.log(2.0) / q["half_life"]
    c_dose = q["dose"] * q["body_weight"] / q["volume"]
    tau = float(q["interval"])
    decay = math.exp(-k_el * tau)
    ec50, pdl1 = q["ec50"], q["pdl1"]

    def brake_at(t: float) -> float:
        # chapter 3's closed form: m doses given so far, the last at (m - 1) tau
        if n_doses == 0 or c_dose == 0.0:
            return pdl1
        m = min(n_doses, int(t // tau) + 1)
        c = c_dose * math.exp(-k_el * (t - (m - 1) * tau)) * (1.0 - decay**m) / (1.0 - decay)
        return pdl1 * ec50 / (c + ec50)

    delta, chi, g = q["tcell_death"], q["expansion"], q["stim_half"]
    r, cap, kill, h = q["growth_rate"], q["capacity"], q["kill_rate"], q["kill_half"]
    supply = q["infiltration"] * q["priming"]

    def rhs(t, y, inflow, access):
        m, e, u = y  # u = ln V keeps the volume positive however small it gets
        v = math.exp(u)
        free = 1.0 - brake_at(t)
        dm = inflow - access * m - delta * m
        de = access * m + chi * delta * free * e * v / (g + v) - delta * e
        du = r * (1.0 - v / cap) - kill * free * e / (h + v)
        return [dm, de, du]

    end = _treatment_end(q)
    on = (
        supply * (1.0 + q["prime_boost"]) if q["prime"] else supply,
        max(q["access"], q["access_open"]) if q["open_access"] else q["access"],
    )
    off = (supply, q["access"])
    t_out = np.linspace(0.0, float(q["horizon"]), checkpoint.N_POINTS)
    treated = (q["prime"] or q["open_access"]) and end > 0.0
    breaks = [ode.Break(end, args=off)] if treated and end < q["horizon"] else []
    m0, e0 = _balance(q, v0)
    run = ode.solve(
        "microenvironment model",
        rhs,
        [m0, e0, math.log(v0)],
        t_out,
        args=on if treated else off,
        breaks=breaks,
        rtol=1e-6,
        atol=[1e-9, 1e-9, 1e-8],
        max_step=tau / 2.0 if (n_doses or treated) else math.inf,
    )
    t = run.t
    vol = np.exp(run.y[2])
    if n_doses:
        conc = checkpoint.concentration(t, n_doses=n_doses, **dosing)
        ro = checkpoint.occupancy(conc, ec50)
    else:
        ro = np.zeros_like(t)
    diameter = q["diameter0"] * recist.diameter_ratio(vol, v0)
    return pd.DataFrame(
        {
            "t": t,
            "occupancy": ro,
            "brake": pdl1 * (1.0 - ro),
            "edge": np.maximum(run.y[0], 0.0),
            "inside": np.maximum(run.y[1], 0.0),
            "tumour_volume": vol,
            "diameter": diameter,
            "diameter_change": 100.0 * (diameter / q["diameter0"] - 1.0),
            "recist": recist.categories_over_time(diameter, q["diameter0"]),
        }
    )


def summary(df: pd.DataFrame | None = None, **params) -> dict:
    """The outcomes the chapter compares, for one run.

    ``change_at_assessment_pct`` and ``recist_at_assessment`` (at ``assess_day``),
    ``response`` (complete or partial response at that day), ``escape_day`` (the first day
    the tumour meets RECIST progression, +20% from its smallest size and at least 5 mm; NaN
    if it never does within ``horizon``), ``inside_start`` and ``edge_start`` (T cells inside
    the tumour and at its edge before treatment) and ``inside_peak``.
    """
    q = PARAMS.resolve(params)
    if df is None:
        df = simulate(**q)
    t = df["t"].to_numpy()
    i = int(np.argmin(np.abs(t - q["assess_day"])))
    cat = str(df["recist"].iloc[i])
    progressed = np.flatnonzero(df["recist"].to_numpy() == "progressive disease")
    return {
        "change_at_assessment_pct": float(df["diameter_change"].iloc[i]),
        "recist_at_assessment": cat,
        "response": cat in recist.RESPONSES,
        "escape_day": float(t[progressed[0]]) if progressed.size else float("nan"),
        "inside_start": float(df["inside"].iloc[0]),
        "edge_start": float(df["edge"].iloc[0]),
        "inside_peak": float(df["inside"].max()),
    }


def outcome_table(
    tumours: dict | None = None, treatments: dict | None = None, **fixed
) -> pd.DataFrame:
    """:func:`summary` for every phenotype (rows) under every treatment arm, as a tidy
    DataFrame with columns ``phenotype``, ``treatment`` and the summary's keys."""
    tumours = TUMOURS if tumours is None else tumours
    treatments = TREATMENTS if treatments is None else treatments
    rows = []
    for name, tv in tumours.items():
        for arm, av in treatments.items():
            q = {**fixed, **tv, **_TREATMENT_SWITCHES, **av}
            rows.append({"phenotype": name, "treatment": arm, **summary(**q)})
    return pd.DataFrame(rows)
