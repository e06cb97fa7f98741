"""CAR-T cellular kinetics: how the infused cells expand, contract and persist in the blood.

The empirical model of tisagenlecleucel's cellular kinetics (Stein et al. 2019, *CPT
Pharmacometrics Syst. Pharmacol.* 8:285-295, doi:10.1002/psp4.12388, Figure 2 and Table 1, as
curated in nlmixr2lib's ``Stein_2019_Tisagenlecleucel`` model file). Transgene level ``C``
(copies per microgram of genomic DNA) grows exponentially to its peak, then falls in two
phases::

    C(t) = (Cmax / foldx) * exp(rho * t),                     t < Tmax,  rho = ln(foldx)/Tmax
    C(t) = (1 - FB) Cmax exp(-alpha (t - Tmax)) + FB Cmax exp(-beta (t - Tmax)),   t >= Tmax

Typical values (Table 1): foldx 3900, Tmax 9.3 days, Cmax 24,000 copies/ug, alpha 0.16/day,
FB 0.0079, beta 0.0032/day. :func:`peak_range` spreads the peak over patients with the
between-patient variance of log Cmax (:data:`CMAX_OMEGA2`).

This module imports no plotting code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..params import Param, ParamTable

__all__ = ["PARAMS", "CMAX_OMEGA2", "kinetics", "simulate", "summary", "peak_range"]

PARAMS = ParamTable(
    [
        Param(
            "foldx",
            3900.0,
            "1",
            10.0,
            1e5,
            "fold expansion; ratio of the peak level to the level at infusion "
            "(Stein 2019 Table 1: 3900; range is our choice)",
            "stein2019",
            log=True,
            symbol="foldx",
        ),
        Param(
            "tmax",
            9.3,
            "days",
            3.0,
            30.0,
            "time to peak; days from infusion to the peak (Table 1: 9.3; range is our choice)",
            "stein2019",
            symbol="T_max",
        ),
        Param(
            "cmax",
            24000.0,
            "copies/µg",
            100.0,
            1e6,
            "peak level; transgene copies per microgram of genomic DNA at the peak "
            "(Table 1: 24,000; range is our choice)",
            "stein2019",
            log=True,
            symbol="C_max",
        ),
        Param(
            "alpha",
            0.16,
            "1/day",
            0.02,
            1.0,
            "fast decline rate; rate of the contraction after the peak "
            "(Table 1: 0.16; range is our choice)",
            "stein2019",
            symbol="α",
        ),
        Param(
            "fb",
            0.0079,
            "1",
            0.0,
            0.1,
            "persisting fraction; share of the peak that declines slowly, the "
            "memory-like cells (Table 1: 0.0079; 0 removes them; range is our choice)",
            "stein2019",
            step=0.0005,
            symbol="F_B",
        ),
        Param(
            "beta",
            0.0032,
            "1/day",
            0.0005,
            0.05,
            "slow decline rate; rate of the slow, long-lasting phase "
            "(Table 1: 0.0032; range is our choice)",
            "stein2019",
            log=True,
            symbol="β",
        ),
        Param(
            "days",
            365.0,
            "days",
            30.0,
            1000.0,
            "time horizon; days after infusion shown (our choice)",
            "illustrative",
        ),
    ]
)

#: Variance of the random effect on log Cmax in Stein et al. 2019, Table 1 (as curated in
#: nlmixr2lib): patients' peaks scatter log-normally around the typical value.
CMAX_OMEGA2 = 0.65


def kinetics(t, **params) -> dict:
    """Transgene level at times ``t`` (days after infusion): ``{"total", "fast", "slow"}``.

    ``fast`` and ``slow`` are the two decline components after the peak (zero before it,
    where the whole level is expanding effector cells, counted in ``total``).
    """
    q = PARAMS.resolve(params)
    t = np.asarray(t, dtype=float)
    rho = math.log(q["foldx"]) / q["tmax"]
    c0 = q["cmax"] / q["foldx"]
    after = t >= q["tmax"]
    dt = np.where(after, t - q["tmax"], 0.0)
    fast = np.where(after, (1.0 - q["fb"]) * q["cmax"] * np.exp(-q["alpha"] * dt), 0.0)
    slow = np.where(after, q["fb"] * q["cmax"] * np.exp(-q["beta"] * dt), 0.0)
    rising = c0 * np.exp(rho * np.minimum(t, q["tmax"]))
    total = np.where(after, fast + slow, rising)
    return {"total": total, "fast": fast, "slow": slow}


def simulate(*, points: int = 400, **params) -> pd.DataFrame:
    """Columns ``t`` (days), ``total``, ``fast``, ``slow`` (copies/µg) from 0 to ``days``;
    the peak time ``tmax`` is always one of the rows."""
    q = PARAMS.resolve(params)
    t = np.union1d(np.linspace(0.0, q["days"], int(points)), [min(q["tmax"], q["days"])])
    k = kinetics(t, **q)
    return pd.DataFrame({"t": t, **k})


def summary(**params) -> dict:
    """Doubling time during expansion and the half-lives of the two decline phases (days),
    the level at infusion, and the share of the peak still present after one year."""
    q = PARAMS.resolve(params)
    rho = math.log(q["foldx"]) / q["tmax"]
    at_year = float(kinetics([q["tmax"] + 365.0], **q)["total"][0])
    return {
        "expansion_rate": rho,
        "doubling_time": math.log(2) / rho,
        "fast_half_life": math.log(2) / q["alpha"],
        "slow_half_life": math.log(2) / q["beta"],
        "level_at_infusion": q["cmax"] / q["foldx"],
        "peak_time": q["tmax"],
        "peak": q["cmax"],
        "fraction_one_year_after_peak": at_year / q["cmax"],
    }


def peak_range(coverage: float = 0.90, cmax: float = 24000.0) -> tuple[float, float]:
    """The central ``coverage`` range of patients' peaks if log Cmax varies with the variance
    :data:`CMAX_OMEGA2` (Stein et al. 2019, Table 1) around ``cmax``."""
    from scipy.stats import norm

    if not 0 < coverage < 1:
        raise ValueError("parameter 'coverage' must be in (0, 1)")
    z = norm.ppf(0.5 + coverage / 2.0)
    sd = math.sqrt(CMAX_OMEGA2)
    return cmax * math.exp(-z * sd), cmax * math.exp(z * sd)
