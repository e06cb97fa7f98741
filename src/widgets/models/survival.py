"""Survival curves with a tail: the cure-fraction (mixture) model of chapter 10.

An exponential survival curve ``S(t) = exp(-lambda t)`` has no plateau. A *cure-fraction*
(mixture) model ``S(t) = pi + (1 - pi) exp(-lambda t)`` has one: a share ``pi`` of patients
never has the event. :func:`fit_cure` finds the ``pi`` and ``lambda`` that pass through a
reported median and a reported landmark survival (for example 5-year overall survival), and
:func:`tail_table` does this for every trial arm in ``data/trials.csv`` that reports both,
beside the exponential with the same median. Times are in months; survival is a proportion.

This module imports no plotting code.
"""

from __future__ import annotations

import math
import numbers
import re

import numpy as np
import pandas as pd
from scipy import optimize

from ..data import load
from ..params import Param, ParamTable

__all__ = [
    "PARAMS",
    "landmark_months",
    "s_exponential",
    "s_cure",
    "cure_median",
    "fit_cure",
    "tail_table",
]

#: The cure-fraction explorer's parameters (the reader's choices).
PARAMS = ParamTable(
    [
        Param(
            "cure_fraction",
            0.2,
            "0-1",
            0.0,
            0.45,
            "cure fraction; share of patients on the long-term plateau",
            "illustrative",
            step=0.01,
            symbol=r"\pi",
        ),
        Param(
            "median_uncured",
            12.0,
            "months",
            2.0,
            48.0,
            "median survival of the others; of those not on the plateau",
            "illustrative",
            step=0.5,
            symbol=r"\ln 2/\lambda",
        ),
    ]
)


_LANDMARK = re.compile(r"(\d+(?:\.\d+)?)-(year|month)", re.IGNORECASE)


def landmark_months(detail: str) -> float:
    """The landmark of a survival percentage, read from its ``source_detail`` ("5-year OS",
    "36-month survival"). Raises ``ValueError`` if the text names none."""
    m = _LANDMARK.search(str(detail))
    if not m:
        raise ValueError(f"no 'N-year' or 'N-month' landmark in {detail!r}")
    value = float(m.group(1))
    return value * 12.0 if m.group(2).lower() == "year" else value


def _rate(lam, name="lam"):
    if (
        isinstance(lam, bool)
        or not isinstance(lam, numbers.Real)
        or not math.isfinite(lam)
        or lam <= 0
    ):
        raise ValueError(f"{name} must be a positive number; got {lam!r}")
    return float(lam)


def _fraction(pi):
    if isinstance(pi, bool) or not isinstance(pi, numbers.Real) or not 0 <= pi < 1:
        raise ValueError(f"pi (cure fraction) must be in [0, 1); got {pi!r}")
    return float(pi)


def s_exponential(t, median: float) -> np.ndarray:
    """``S(t) = 2^(-t / median)``: exponential survival with the given median (months)."""
    median = _rate(median, "median")
    return np.exp2(-np.asarray(t, dtype=float) / median)


def s_cure(t, pi: float, lam: float) -> np.ndarray:
    """``S(t) = pi + (1 - pi) exp(-lam t)``: a cure fraction ``pi`` plus exponential deaths."""
    pi, lam = _fraction(pi), _rate(lam)
    return pi + (1.0 - pi) * np.exp(-lam * np.asarray(t, dtype=float))


def cure_median(pi: float, lam: float) -> float:
    """Median of the cure-fraction curve (``inf`` when ``pi >= 0.5``: never reached)."""
    pi, lam = _fraction(pi), _rate(lam)
    if pi >= 0.5:
        return math.inf
    return math.log((1.0 - pi) / (0.5 - pi)) / lam


def fit_cure(median: float, t_land: float, s_land: float) -> tuple[float, float]:
    """``(pi, lam)`` of the cure-fraction curve through ``S(median) = 0.5`` and
    ``S(t_land) = s_land`` (``s_land`` a proportion, times in months).

    Needs ``t_land > median`` and ``s_land`` at least the exponential's ``2^(-t_land/median)``:
    a curve that falls *faster* than an exponential has no plateau to fit, and the function
    raises ``ValueError`` saying so.
    """
    median, t_land = _rate(median, "median"), _rate(t_land, "t_land")
    if isinstance(s_land, bool) or not isinstance(s_land, numbers.Real) or not 0 < s_land < 0.5:
        raise ValueError(f"s_land must be a proportion in (0, 0.5); got {s_land!r}")
    if t_land <= median:
        raise ValueError(f"the landmark ({t_land} months) must come after the median ({median})")
    s_exp = 2.0 ** (-t_land / median)
    if s_land <= s_exp + 1e-12:
        raise ValueError(
            f"survival of {s_land:.3f} at {t_land:g} months is not above the exponential's "
            f"{s_exp:.3f}: no plateau to fit"
        )

    def lam_of(pi):
        return math.log((1.0 - pi) / (0.5 - pi)) / median

    def gap(pi):
        return pi + (1.0 - pi) * math.exp(-lam_of(pi) * t_land) - s_land

    pi = optimize.brentq(gap, 0.0, s_land - 1e-12, xtol=1e-12)
    return float(pi), float(lam_of(pi))


def tail_table(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every arm that reports both a median overall survival and a landmark survival.

    Columns: ``trial``, ``arm``, ``cancer``, ``median`` (months), ``landmark`` (months),
    ``observed`` (survival at the landmark, a proportion), ``exponential`` (the survival the
    exponential with the same median predicts there), ``pi`` (cure fraction, a proportion, NaN
    when no plateau fits), ``lam`` (per month), ``sources``.
    """
    df = load("trials") if frame is None else frame
    os_ = df[df["endpoint"] == "overall survival"]
    rows = []
    for (trial, arm), g in os_.groupby(["trial", "arm"], sort=False):
        med = g[g["value_unit"] == "months"]
        pct = g[g["value_unit"] == "%"]
        if med.empty or pct.empty:
            continue
        m = float(med["value"].iloc[0])
        for _, r in pct.iterrows():
            t = landmark_months(r["source_detail"])
            s = float(r["value"]) / 100.0
            try:
                pi, lam = fit_cure(m, t, s)
            except ValueError:
                pi, lam = math.nan, math.nan
            rows.append(
                {
                    "trial": trial,
                    "arm": arm,
                    "cancer": g["cancer"].iloc[0],
                    "median": m,
                    "landmark": t,
                    "observed": s,
                    "exponential": float(s_exponential(t, m)),
                    "pi": pi,
                    "lam": lam,
                    "sources": ", ".join(sorted(set(g["source"]))),
                }
            )
    return pd.DataFrame(rows)
