"""The book's statistics, in one place.

Every rate, interval and survival estimate the book shows is computed here, by one
implementation each. Figures only draw what these functions return.

**Units.** Rates, shares and interval bounds are *proportions* in [0, 1] everywhere in the
package (``0.3``, not ``30``); interval widths are proportions too. Percentages appear only
where a number is printed or drawn.

* :func:`exact_ci`: the exact (Clopper & Pearson 1934) confidence interval of ``k`` responders
  out of ``n``, for numbers or arrays, in its beta-quantile form (equal to
  ``scipy.stats.binomtest(k, n).proportion_ci(method="exact")``, which the tests check).
* :func:`count_from_percent`: the one whole count ``k`` of ``n`` that a printed percentage
  can stand for, or a ``ValueError`` when the rounding allows several (or none).
* :class:`ResponseRate` and :func:`response_rate`: responders of a virtual cohort (or counts)
  with their exact interval.
* :func:`interval_width` and :func:`n_for_width`: how the interval narrows with trial size.
* :func:`chance_counts`: how many responders chance alone gives in a trial of ``n`` patients
  at a known true rate (the binomial distribution).
* :func:`km_inputs`, :func:`kaplan_meier`, :func:`median_survival`, :func:`hazard_ratio`:
  Kaplan-Meier curves and a Cox hazard ratio (``lifelines``) of virtual cohorts.
* :func:`km_curve`: the same Kaplan-Meier curve, band and median as
  :func:`kaplan_meier` in a few array operations, for figures redrawn on every slider move
  (the tests check that it equals ``lifelines``).
* :func:`hazard_ratio_p_value`: the two-sided p-value implied by a published hazard ratio
  and its confidence interval.

This module imports no plotting code.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .models.recist import RESPONSES

__all__ = [
    "exact_ci",
    "count_from_percent",
    "ResponseRate",
    "response_rate",
    "interval_width",
    "n_for_width",
    "chance_counts",
    "km_inputs",
    "kaplan_meier",
    "KMCurve",
    "km_curve",
    "median_survival",
    "hazard_ratio",
    "hazard_ratio_p_value",
]


# -- checks of arguments ----------------------------------------------------------------------
def _whole(name: str, value, lo: int = 0) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or not float(value).is_integer()
    ):
        raise ValueError(f"{name} must be a whole number; got {value!r}")
    value = int(value)
    if value < lo:
        raise ValueError(f"{name} must be at least {lo}; got {value}")
    return value


def _level(level) -> float:
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1; got {level!r}")
    return float(level)


# -- exact intervals --------------------------------------------------------------------------
def exact_ci(k, n, level: float = 0.95):
    """Exact (Clopper-Pearson) interval of ``k`` responders out of ``n``, as proportions.

    ``k`` and ``n`` are whole numbers (or arrays of them) with ``0 <= k <= n`` and ``n >= 1``.
    Returns ``(lo, hi)``: floats for numbers, arrays for arrays. The bounds are the beta
    quantiles ``Beta(alpha/2; k, n-k+1)`` and ``Beta(1-alpha/2; k+1, n-k)``, with 0 and 1 at
    the ends (``k = 0``, ``k = n``).
    """
    alpha = 1.0 - _level(level)
    scalar = np.ndim(k) == 0 and np.ndim(n) == 0
    if scalar:
        n = _whole("n", n, lo=1)
        k = _whole("k", k)
        if k > n:
            raise ValueError(f"k must not exceed n; got k={k}, n={n}")
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if not scalar and (
        not (np.all(np.isfinite(k_arr)) and np.all(np.isfinite(n_arr)))
        or np.any(k_arr != np.round(k_arr))
        or np.any(n_arr != np.round(n_arr))
        or np.any(n_arr < 1)
        or np.any(k_arr < 0)
        or np.any(k_arr > n_arr)
    ):
        raise ValueError("k and n must be whole numbers with 0 <= k <= n and n >= 1")
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(k_arr > 0, stats.beta.ppf(alpha / 2, k_arr, n_arr - k_arr + 1), 0.0)
        hi = np.where(k_arr < n_arr, stats.beta.ppf(1 - alpha / 2, k_arr + 1, n_arr - k_arr), 1.0)
    if scalar:
        return float(lo), float(hi)
    return lo, hi


# -- counts from printed percentages ----------------------------------------------------------
def _decimals(value: float) -> int:
    for d in range(4):
        if abs(round(value, d) - value) < 1e-9:
            return d
    return 4


def count_from_percent(percent, n) -> int:
    """The one whole number ``k`` of ``n`` whose percentage, rounded as printed, is ``percent``.

    ``percent`` is read at its own precision (52 -> whole percent, 44.8 -> one decimal): ``k``
    fits when ``100 k / n`` lies within half a unit of the last printed digit. Raises
    ``ValueError`` when no count or more than one count fits, so an ambiguous row is never
    turned into a number silently.
    """
    n = _whole("n", n, lo=1)
    if (
        isinstance(percent, bool)
        or not isinstance(percent, numbers.Real)
        or not math.isfinite(percent)
    ):
        raise ValueError(f"percent must be a finite number; got {percent!r}")
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must lie in [0, 100]; got {percent!r}")
    half = 0.5 * 10.0 ** (-_decimals(float(percent)))
    k = np.arange(n + 1)
    fits = k[np.abs(100.0 * k / n - percent) <= half + 1e-9]
    if len(fits) != 1:
        raise ValueError(
            f"{len(fits)} whole counts of {n} round to {percent}%: "
            + (", ".join(str(int(x)) for x in fits) if len(fits) else "none")
        )
    return int(fits[0])


# -- response rates ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ResponseRate:
    """Responders ``k`` of ``n``, the rate ``k/n`` and its exact interval (proportions)."""

    k: int
    n: int
    rate: float
    lo: float
    hi: float
    level: float = 0.95

    def __str__(self) -> str:
        return (
            f"{self.k}/{self.n} = {100 * self.rate:.1f}% "
            f"({100 * self.level:.0f}% CI {100 * self.lo:.1f}-{100 * self.hi:.1f}%)"
        )


def response_rate(
    results: pd.DataFrame | None = None,
    *,
    k: int | None = None,
    n: int | None = None,
    level: float = 0.95,
) -> ResponseRate:
    """Response rate with its exact interval, from a virtual cohort's results (its
    ``responder`` column, or else its ``best_response``) or from counts ``k`` of ``n``."""
    if results is not None:
        if "responder" in results.columns:
            flags = results["responder"].astype(bool)
        elif "best_response" in results.columns:
            flags = results["best_response"].isin(RESPONSES)
        else:
            raise ValueError("results need a 'responder' or 'best_response' column")
        k, n = int(flags.sum()), int(len(flags))
    n = _whole("n", n, lo=1)
    k = _whole("k", k)
    if k > n:
        raise ValueError(f"need 0 <= k <= n; got k={k}, n={n}")
    lo, hi = exact_ci(k, n, level)
    return ResponseRate(k, n, k / n, lo, hi, float(level))


# -- sample size ------------------------------------------------------------------------------
def interval_width(rate, n, level: float = 0.95) -> np.ndarray:
    """Width (a proportion) of the exact interval for ``round(rate * n)`` responders of ``n``.

    ``rate`` is a proportion in [0, 1]; ``n`` may be an array."""
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate <= 1:
        raise ValueError(f"rate must be a proportion in [0, 1]; got {rate!r}")
    n = np.asarray(n, dtype=float)
    k = np.round(rate * n)
    lo, hi = exact_ci(k, n, level) if n.ndim else exact_ci(float(k), float(n), level)
    return np.asarray(hi) - np.asarray(lo)


def n_for_width(rate, width, level: float = 0.95, n_max: int = 100_000) -> int:
    """Smallest ``n`` whose exact interval at ``rate`` is no wider than ``width`` (a
    proportion, so 0.2 is 20 percentage points)."""
    if isinstance(width, bool) or not isinstance(width, numbers.Real) or not 0 < width <= 1:
        raise ValueError(f"width must be a proportion in (0, 1]; got {width!r}")
    n = np.arange(1, n_max + 1)
    ok = np.nonzero(interval_width(rate, n, level) <= width + 1e-12)[0]
    if len(ok) == 0:
        raise ValueError(f"no n up to {n_max} gives an interval of width {width}")
    return int(n[ok[0]])


def chance_counts(rate, n, level: float = 0.95) -> dict:
    """What chance alone does to a trial: the number of responders ``K`` among ``n`` patients
    when each responds independently with probability ``rate``, ``K ~ Binomial(n, rate)``.

    Returns ``pmf`` (``P(K = k)`` for ``k = 0 .. n``, an array) and ``low`` and ``high``, the
    central range of counts that holds at least ``level`` of the trials (each tail at most
    ``(1 - level) / 2``; ``scipy.stats.binom.interval``)."""
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate <= 1:
        raise ValueError(f"rate must be a proportion in [0, 1]; got {rate!r}")
    n = _whole("n", n, lo=1)
    level = _level(level)
    dist = stats.binom(n, float(rate))
    low, high = dist.interval(level)
    return {"pmf": dist.pmf(np.arange(n + 1)), "low": int(low), "high": int(high)}


# -- survival of virtual cohorts --------------------------------------------------------------
def km_inputs(results: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Validated Kaplan-Meier inputs: durations (days, finite, >= 0) and events (bool)."""
    for col in ("progression_time", "progression_event"):
        if col not in results.columns:
            raise ValueError(f"results need a {col!r} column")
    durations = np.asarray(results["progression_time"], dtype=float)
    raw = results["progression_event"].to_numpy()
    if durations.size == 0:
        raise ValueError("no patients")
    if not np.all(np.isfinite(durations)) or np.any(durations < 0):
        raise ValueError("'progression_time' must be finite and non-negative for every patient")
    if not all(isinstance(e, (bool, np.bool_)) for e in raw):
        raise ValueError("'progression_event' must be True or False for every patient")
    return durations, raw.astype(bool)


def kaplan_meier(results: pd.DataFrame, label: str | None = None):
    """The Kaplan-Meier estimate (a fitted ``lifelines.KaplanMeierFitter``)."""
    from lifelines import KaplanMeierFitter

    durations, events = km_inputs(results)
    if label is None:
        label = str(results["scenario"].iloc[0]) if "scenario" in results.columns else "cohort"
    return KaplanMeierFitter().fit(durations, events, label=label or "cohort")


@dataclass(frozen=True)
class KMCurve:
    """A Kaplan-Meier estimate as arrays: at each ``time`` (0 and every distinct duration,
    days) the share still free of progression, ``survival``, and its 95% band ``lower`` to
    ``upper``; ``median`` is the median time (``inf`` if fewer than half progressed)."""

    time: np.ndarray
    survival: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    median: float

    def at(self, times) -> np.ndarray:
        """The estimate at ``times`` (days, >= 0): its value at the last step at or before."""
        return self.survival[np.searchsorted(self.time, np.asarray(times, float), "right") - 1]


def km_curve(results: pd.DataFrame) -> KMCurve:
    """The Kaplan-Meier estimate of :func:`kaplan_meier` (``lifelines``' defaults: product-
    limit estimate, 95% band by the exponential Greenwood formula) without building a fitter:
    the same operations on the same numbers, so the same values
    (``tests/test_stats.py`` compares them)."""
    durations, events = km_inputs(results)
    time, first, removed = np.unique(
        np.concatenate([[0.0], durations]), return_index=True, return_counts=True
    )
    removed[0] -= 1  # the 0 added above is the start of follow-up, not a patient
    observed = np.bincount(np.searchsorted(time, durations[events]), minlength=time.size).astype(
        np.int64
    )
    removed = removed.astype(np.int64)
    at_risk = durations.size - np.concatenate([[0], np.cumsum(removed)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.cumsum(np.log(at_risk - observed) - np.log(at_risk))
        var = observed / (
            at_risk.astype(np.uint64) * (at_risk.astype(np.uint64) - observed)
        ).astype(float)
        var = np.cumsum(np.where(np.isposinf(var), 0.0, var))
        survival = np.exp(log_s)
        v = np.log(survival)
        z = stats.norm.ppf(1 - 0.05 / 2)
        lower = np.exp(-np.exp(np.log(-v) - z * np.sqrt(var) / v))
        upper = np.exp(-np.exp(np.log(-v) + z * np.sqrt(var) / v))
    lower[np.isnan(lower)] = 1.0
    upper[np.isnan(upper)] = 1.0
    below = np.flatnonzero(survival <= 0.5)
    median = float(time[below[0]]) if below.size else math.inf
    return KMCurve(time, survival, lower, upper, median)


def median_survival(results: pd.DataFrame) -> float:
    """Median progression-free time (days); ``inf`` if fewer than half progressed."""
    return float(kaplan_meier(results).median_survival_time_)


def hazard_ratio(reference: pd.DataFrame, other: pd.DataFrame) -> dict:
    """Hazard ratio of progression, ``other`` vs ``reference``, from a Cox model.

    Returns ``{"hr", "lo", "hi"}`` (95% interval). With every patient in both groups the
    same (a crossover of one cohort) the ratio still compares the two curves; the interval
    then treats the groups as independent, which overstates the uncertainty.
    """
    from lifelines import CoxPHFitter

    d0, e0 = km_inputs(reference)
    d1, e1 = km_inputs(other)
    if e0.sum() + e1.sum() == 0:
        raise ValueError("no progression in either group: the hazard ratio is undefined")
    frame = pd.DataFrame(
        {
            "duration": np.concatenate([d0, d1]),
            "event": np.concatenate([e0, e1]).astype(int),
            "group": np.concatenate([np.zeros(d0.size), np.ones(d1.size)]),
        }
    )
    cph = CoxPHFitter().fit(frame, duration_col="duration", event_col="event")
    s = cph.summary.loc["group"]
    return {
        "hr": float(s["exp(coef)"]),
        "lo": float(s["exp(coef) lower 95%"]),
        "hi": float(s["exp(coef) upper 95%"]),
    }


def hazard_ratio_p_value(hr: float, lower: float, upper: float, level: float = 0.95) -> dict:
    """Two-sided p-value implied by a hazard ratio and its confidence interval.

    Assumes, as Cox-model intervals usually do, that ``log(HR)`` is normally distributed:
    ``se = (log(upper) - log(lower)) / (2 z)``, ``z = Phi^-1(1 - (1 - level)/2)``, and
    ``p = 2 Phi(-|log(HR)| / se)``. An interval that contains 1 gives ``p > 1 - level``.
    Reconstructed values are approximate: the trial's own p-value (from its stated test)
    takes precedence.
    """
    for name, x in (("hr", hr), ("lower", lower), ("upper", upper)):
        if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x) or x <= 0:
            raise ValueError(f"{name} must be a positive finite number; got {x!r}")
    if not lower < hr < upper:
        raise ValueError(f"need lower < hr < upper; got {lower}, {hr}, {upper}")
    if not 0.5 < level < 1.0:
        raise ValueError(f"level must lie in (0.5, 1); got {level!r}")
    zc = stats.norm.ppf(1.0 - (1.0 - level) / 2.0)
    se = (math.log(upper) - math.log(lower)) / (2.0 * zc)
    z = math.log(hr) / se
    return {
        "se_log_hr": float(se),
        "z": float(z),
        "p_two_sided": float(2.0 * stats.norm.sf(abs(z))),
        "interval_contains_1": bool(lower <= 1.0 <= upper),
    }
