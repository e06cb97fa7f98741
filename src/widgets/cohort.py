"""Virtual cohorts: run any per-patient model over many simulated patients, reproducibly.

A *virtual cohort* is a set of made-up patients whose parameters are drawn from stated
distributions, each run through the same model. The cohort turns a model of one tumour into
the read-outs of a trial: a response rate with its exact confidence interval, a waterfall plot
of the best change in tumour size, a swimmer plot and Kaplan–Meier curves of progression-free
survival. Everything here is numerics (NumPy, pandas, SciPy, lifelines); the figures live in
:mod:`widgets.views.cohort`.

The API in four steps
---------------------

1. **Distributions** of the patient parameters, one per varied parameter::

       from widgets import cohort
       dists = {
           "infiltration": cohort.LogNormal(median=0.5, sigma=0.6, lo=0.0, hi=3.0),
           "pdl1": cohort.Beta(a=2.0, b=2.0),
           "growth_rate": cohort.Uniform(0.006, 0.02),
           "anti_ctla4": cohort.Choice([False, True], p=[0.7, 0.3]),
           "diameter0": cohort.Fixed(40.0),
       }

   Each distribution has ``sample(rng, n) -> numpy array`` and ``describe() -> str`` (for
   the chapter's table). Optional ``lo``/``hi`` clip a draw into a model's allowed range.
   :func:`describe` tabulates a dict of distributions.

2. **Patients**: ``patients = cohort.sample_patients(dists, n=200, seed=1)`` returns a
   DataFrame with one row per patient (column ``patient``, 0..n-1, and one column per
   parameter). The draws use ``numpy.random.default_rng(seed)``, parameter by parameter in
   the order of ``dists``, so the same seed always gives the same patients.

3. **A per-patient function** ``model(params: dict) -> dict``. It receives one patient's
   parameters (plus any ``fixed`` values given to :func:`run`) and returns a summary dict with
   at least these keys (see :data:`REQUIRED`):

   * ``best_change_pct`` (float, %): best (most negative) change of the tumour's size from
     baseline, as in a waterfall plot;
   * ``best_response`` (str): the best RECIST 1.1 category, one of
     :data:`widgets.models.recist.CATEGORIES`;
   * ``progression_time`` (float, days, finite and >= 0): time of progression, or of the end
     of follow-up when there was none;
   * ``progression_event`` (bool): True if progression was seen, False if censored.

   Optional keys are kept as extra columns; :mod:`widgets.views.cohort` uses
   ``response_time`` (days to the first partial or complete response, NaN if none) and
   ``followup`` (days observed) for swimmer plots. :func:`summarise_trajectory` turns a
   tumour-size time series into exactly this dict, so a model with a ``simulate()`` that
   returns times and diameters needs only a few lines of adapter.

4. **Run and read out**::

       results = cohort.run(model, patients, fixed={"n_doses": 8}, label="anti-PD-1")
       rate = cohort.response_rate(results)      # ResponseRate(k, n, rate, lo, hi)
       durations, events = cohort.km_inputs(results)
       km = cohort.kaplan_meier(results)          # lifelines KaplanMeierFitter
       hr = cohort.hazard_ratio(reference, other)  # Cox model, other vs reference

   :func:`run` validates every summary (a wrong key or value raises ``ValueError`` naming the
   patient and the key) and returns a DataFrame: the patients' parameters, the summary keys,
   ``responder`` (bool: CR or PR) and ``scenario`` (the ``label``).
   :func:`simulate_cohort` does steps 2 and 4 in one call.

Running several scenarios on the *same* patients (same ``seed``) compares them patient by
patient, as a crossover trial would, and removes the noise of drawing new patients.

Statistics
----------
* :func:`response_rate`: the share of responders with its exact (Clopper–Pearson) interval,
  from ``scipy.stats.binomtest(k, n).proportion_ci(method="exact")``.
* :func:`km_inputs` / :func:`kaplan_meier`: validated (durations, events) and the
  Kaplan–Meier estimate from ``lifelines``; :func:`median_survival` reads its median.
* :func:`hazard_ratio`: a Cox proportional-hazards fit (``lifelines.CoxPHFitter``) of one
  scenario against another, with its 95% interval.

A virtual cohort is an illustration: its patients are draws from distributions a modeller
chose, not people, and its numbers are model outputs.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from .models import recist

__all__ = [
    "Distribution",
    "Fixed",
    "Uniform",
    "Normal",
    "LogNormal",
    "Beta",
    "Choice",
    "describe",
    "sample_patients",
    "REQUIRED",
    "RESPONSES",
    "validate_summary",
    "run",
    "simulate_cohort",
    "summarise_trajectory",
    "ResponseRate",
    "response_rate",
    "km_inputs",
    "kaplan_meier",
    "median_survival",
    "hazard_ratio",
]

#: The keys every per-patient summary must have.
REQUIRED = ("best_change_pct", "best_response", "progression_time", "progression_event")
#: RECIST categories counted as an (objective) response.
RESPONSES = ("complete response", "partial response")


# -- distributions --------------------------------------------------------------------------------
def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"distribution argument {name!r} must be a finite number; got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Distribution:
    """Base class: a distribution of one patient parameter, optionally clipped to [lo, hi]."""

    def _draw(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws using ``rng`` (a ``numpy.random.Generator``)."""
        if not isinstance(rng, np.random.Generator):
            raise ValueError("rng must be a numpy.random.Generator (numpy.random.default_rng(seed))")
        x = self._draw(rng, int(n))
        lo, hi = getattr(self, "lo", None), getattr(self, "hi", None)
        if lo is not None or hi is not None:
            x = np.clip(x, -np.inf if lo is None else lo, np.inf if hi is None else hi)
        return x

    def _clip_text(self) -> str:
        lo, hi = getattr(self, "lo", None), getattr(self, "hi", None)
        if lo is None and hi is None:
            return ""
        return f", clipped to [{'-∞' if lo is None else f'{lo:g}'}, {'∞' if hi is None else f'{hi:g}'}]"


@dataclass(frozen=True)
class Fixed(Distribution):
    """The same value for every patient."""

    value: Any

    def _draw(self, rng, n):
        return np.full(n, self.value, dtype=object if isinstance(self.value, (bool, str)) else float)

    def describe(self) -> str:
        return f"fixed at {self.value}"


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on [low, high]."""

    low: float
    high: float

    def __post_init__(self):
        if not _number("low", self.low) < _number("high", self.high):
            raise ValueError("Uniform needs low < high")

    def _draw(self, rng, n):
        return rng.uniform(self.low, self.high, n)

    def describe(self) -> str:
        return f"uniform on [{self.low:g}, {self.high:g}]"


@dataclass(frozen=True)
class Normal(Distribution):
    """Normal with ``mean`` and standard deviation ``sd`` (clipped to [lo, hi] if given)."""

    mean: float
    sd: float
    lo: float | None = None
    hi: float | None = None

    def __post_init__(self):
        _number("mean", self.mean)
        if not _number("sd", self.sd) > 0:
            raise ValueError("Normal needs sd > 0")

    def _draw(self, rng, n):
        return rng.normal(self.mean, self.sd, n)

    def describe(self) -> str:
        return f"normal, mean {self.mean:g}, SD {self.sd:g}{self._clip_text()}"


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Log-normal: ``log(x)`` is normal with mean ``log(median)`` and SD ``sigma``."""

    median: float
    sigma: float
    lo: float | None = None
    hi: float | None = None

    def __post_init__(self):
        if not _number("median", self.median) > 0 or not _number("sigma", self.sigma) > 0:
            raise ValueError("LogNormal needs median > 0 and sigma > 0")

    def _draw(self, rng, n):
        return rng.lognormal(math.log(self.median), self.sigma, n)

    def describe(self) -> str:
        return f"log-normal, median {self.median:g}, σ of log {self.sigma:g}{self._clip_text()}"


@dataclass(frozen=True)
class Beta(Distribution):
    """Beta(a, b) on [0, 1], scaled to [low, high] (default [0, 1]); mean ``a/(a+b)``."""

    a: float
    b: float
    low: float = 0.0
    high: float = 1.0

    def __post_init__(self):
        if not (_number("a", self.a) > 0 and _number("b", self.b) > 0):
            raise ValueError("Beta needs a > 0 and b > 0")
        if not _number("low", self.low) < _number("high", self.high):
            raise ValueError("Beta needs low < high")

    def _draw(self, rng, n):
        return self.low + (self.high - self.low) * rng.beta(self.a, self.b, n)

    def describe(self) -> str:
        span = "" if (self.low, self.high) == (0.0, 1.0) else f" on [{self.low:g}, {self.high:g}]"
        mean = self.low + (self.high - self.low) * self.a / (self.a + self.b)
        return f"beta({self.a:g}, {self.b:g}){span}, mean {mean:.2g}"


@dataclass(frozen=True)
class Choice(Distribution):
    """One of ``values`` with probabilities ``p`` (equal if not given)."""

    values: Sequence[Any]
    p: Sequence[float] | None = None

    def __post_init__(self):
        if len(self.values) == 0:
            raise ValueError("Choice needs at least one value")
        if self.p is not None:
            p = np.asarray(self.p, dtype=float)
            if p.shape != (len(self.values),) or np.any(p < 0) or not math.isclose(p.sum(), 1.0):
                raise ValueError("Choice needs one non-negative probability per value, summing to 1")

    def _draw(self, rng, n):
        idx = rng.choice(len(self.values), size=n, p=self.p)
        return np.array([self.values[i] for i in idx], dtype=object)

    def describe(self) -> str:
        p = self.p or [1.0 / len(self.values)] * len(self.values)
        return "one of " + ", ".join(f"{v} ({q:.0%})" for v, q in zip(self.values, p))


def describe(distributions: Mapping[str, Distribution]) -> pd.DataFrame:
    """A table of the distributions, for a chapter."""
    return pd.DataFrame(
        [{"parameter": k, "distribution": d.describe()} for k, d in distributions.items()]
    ).set_index("parameter")


# -- patients -------------------------------------------------------------------------------------
def _check_n_seed(n: Any, seed: Any) -> tuple[int, int]:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n (the number of patients) must be a whole number >= 1; got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0; got {seed!r}")
    return int(n), int(seed)


def sample_patients(distributions: Mapping[str, Distribution], n: int, seed: int) -> pd.DataFrame:
    """``n`` virtual patients drawn with ``numpy.random.default_rng(seed)``.

    Parameters are drawn in the order of ``distributions``, each as one block of ``n``
    draws, so adding a parameter at the end leaves the earlier ones unchanged.
    """
    n, seed = _check_n_seed(n, seed)
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {"patient": np.arange(n)}
    for name, dist in distributions.items():
        if not isinstance(dist, Distribution):
            raise ValueError(f"the distribution of {name!r} must be a widgets.cohort distribution")
        columns[name] = dist.sample(rng, n)
    return pd.DataFrame(columns)


# -- running a model ------------------------------------------------------------------------------
def validate_summary(summary: Any, where: str = "summary") -> dict:
    """Check one per-patient summary (see :data:`REQUIRED`); return it as a plain dict."""
    if not isinstance(summary, Mapping):
        raise ValueError(f"{where}: the model must return a dict; got {type(summary).__name__}")
    missing = [k for k in REQUIRED if k not in summary]
    if missing:
        raise ValueError(f"{where}: missing key(s) {', '.join(missing)}")
    out = dict(summary)
    change = out["best_change_pct"]
    if isinstance(change, bool) or not isinstance(change, numbers.Real) or not math.isfinite(change) \
            or change < -100.0:
        raise ValueError(f"{where}: 'best_change_pct' must be a finite number >= -100; got {change!r}")
    if out["best_response"] not in recist.CATEGORIES:
        raise ValueError(
            f"{where}: 'best_response' must be one of {', '.join(recist.CATEGORIES)}; "
            f"got {out['best_response']!r}"
        )
    t = out["progression_time"]
    if isinstance(t, bool) or not isinstance(t, numbers.Real) or not math.isfinite(t) or t < 0:
        raise ValueError(
            f"{where}: 'progression_time' must be a finite number of days >= 0; got {t!r}"
        )
    event = out["progression_event"]
    if not isinstance(event, (bool, np.bool_)):
        raise ValueError(f"{where}: 'progression_event' must be True or False; got {event!r}")
    out["best_change_pct"] = float(change)
    out["progression_time"] = float(t)
    out["progression_event"] = bool(event)
    return out


def _plain(value: Any) -> Any:
    """NumPy scalars to Python ones, so models' validators accept them."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def run(
    model: Callable[[dict], Mapping],
    patients: pd.DataFrame,
    *,
    fixed: Mapping[str, Any] | None = None,
    label: str = "",
) -> pd.DataFrame:
    """Run ``model`` once per patient (row of ``patients``); return one row per patient.

    ``model`` gets the patient's parameters (without ``patient``) updated with ``fixed``.
    """
    if not callable(model):
        raise ValueError("model must be a function: patient parameters (dict) -> summary (dict)")
    if "patient" not in patients.columns or len(patients) == 0:
        raise ValueError("patients must be a non-empty DataFrame from sample_patients()")
    fixed = dict(fixed or {})
    names = [c for c in patients.columns if c != "patient"]
    rows = []
    for record in patients.to_dict("records"):
        params = {k: _plain(record[k]) for k in names}
        params.update(fixed)
        summary = validate_summary(model(params), where=f"patient {record['patient']}")
        rows.append(summary)
    out = pd.concat([patients.reset_index(drop=True), pd.DataFrame(rows)], axis=1)
    for k, v in fixed.items():
        if k not in out.columns:
            out[k] = [v] * len(out)
    out["responder"] = out["best_response"].isin(RESPONSES)
    out["scenario"] = label
    return out


def simulate_cohort(
    model: Callable[[dict], Mapping],
    distributions: Mapping[str, Distribution],
    n: int,
    seed: int,
    *,
    fixed: Mapping[str, Any] | None = None,
    label: str = "",
) -> pd.DataFrame:
    """:func:`sample_patients` then :func:`run`, in one call."""
    return run(model, sample_patients(distributions, n, seed), fixed=fixed, label=label)


def summarise_trajectory(
    t,
    diameter_mm,
    baseline_mm: float,
    *,
    scan_every: float | None = None,
    horizon: float | None = None,
    cr_diameter_mm: float = recist.CR_DIAMETER_MM,
) -> dict:
    """The cohort summary of one patient from a tumour-size time series.

    ``t`` (days, increasing, from 0) and ``diameter_mm`` (sum of diameters) at each time.
    With ``scan_every`` (days) the tumour is judged only at scans, every ``scan_every`` days
    from the first scan (as in a trial); otherwise at every time point. Progression is the
    first assessment with RECIST progressive disease; without it the patient is censored at
    the last assessment. Returns the keys of :data:`REQUIRED` plus ``response_time`` (first
    assessment with PR or CR, NaN if none) and ``followup`` (days observed).
    """
    t = np.asarray(t, dtype=float)
    d = np.asarray(diameter_mm, dtype=float)
    if t.ndim != 1 or t.shape != d.shape or t.size < 2:
        raise ValueError("t and diameter_mm must be 1-D arrays of the same length (>= 2)")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(d))) or np.any(d < 0):
        raise ValueError("t and diameter_mm must be finite, and diameters non-negative")
    if np.any(np.diff(t) <= 0) or t[0] < 0:
        raise ValueError("t must increase from a non-negative start")
    end = float(t[-1] if horizon is None else min(horizon, t[-1]))
    if scan_every is not None:
        if not scan_every > 0:
            raise ValueError("scan_every must be a positive number of days")
        times = np.arange(scan_every, end + 1e-9, scan_every)
        if times.size == 0:
            raise ValueError("no scan falls inside the simulated time")
        d_at = np.interp(times, t, d)
    else:
        keep = t <= end + 1e-9
        times, d_at = t[keep][1:], d[keep][1:]
    cats = recist.categories_over_time(d_at, baseline_mm, cr_diameter_mm=cr_diameter_mm)
    cats = np.asarray(cats)
    change = 100.0 * (d_at / baseline_mm - 1.0)
    pd_idx = np.flatnonzero(cats == "progressive disease")
    if pd_idx.size:
        i = int(pd_idx[0])
        prog_time, event = float(times[i]), True
        upto = slice(0, i + 1)
    else:
        prog_time, event = float(times[-1]), False
        upto = slice(0, len(times))
    resp_idx = np.flatnonzero(np.isin(cats[upto], RESPONSES))
    return {
        "best_change_pct": float(max(change[upto].min(), -100.0)),
        "best_response": recist.best_response(list(cats[upto])),
        "progression_time": prog_time,
        "progression_event": event,
        "response_time": float(times[resp_idx[0]]) if resp_idx.size else float("nan"),
        "followup": prog_time,
    }


# -- statistics -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResponseRate:
    """Responders ``k`` of ``n``, the rate ``k/n`` and its exact confidence interval."""

    k: int
    n: int
    rate: float
    lo: float
    hi: float
    confidence: float = 0.95

    def __str__(self) -> str:
        return (f"{self.k}/{self.n} = {100 * self.rate:.1f}% "
                f"({100 * self.confidence:.0f}% CI {100 * self.lo:.1f}-{100 * self.hi:.1f}%)")


def response_rate(
    results: pd.DataFrame | None = None,
    *,
    k: int | None = None,
    n: int | None = None,
    confidence: float = 0.95,
) -> ResponseRate:
    """Response rate with its exact (Clopper–Pearson) interval.

    Give a results DataFrame from :func:`run` (its ``responder`` column, or else its
    ``best_response``), or counts ``k`` of ``n``.
    """
    from scipy.stats import binomtest

    if results is not None:
        if "responder" in results.columns:
            flags = results["responder"].astype(bool)
        elif "best_response" in results.columns:
            flags = results["best_response"].isin(RESPONSES)
        else:
            raise ValueError("results need a 'responder' or 'best_response' column")
        k, n = int(flags.sum()), int(len(flags))
    for name, value in (("k", k), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ValueError(f"{name} must be a whole number; got {value!r}")
    if not 0 <= k <= n or n < 1:
        raise ValueError(f"need 0 <= k <= n and n >= 1; got k={k}, n={n}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1); got {confidence!r}")
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="exact")
    return ResponseRate(int(k), int(n), k / n, float(ci.low), float(ci.high), confidence)


def km_inputs(results: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Validated Kaplan–Meier inputs: durations (days, finite, >= 0) and events (bool)."""
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
    """The Kaplan–Meier estimate (a fitted ``lifelines.KaplanMeierFitter``)."""
    from lifelines import KaplanMeierFitter

    durations, events = km_inputs(results)
    if label is None:
        label = str(results["scenario"].iloc[0]) if "scenario" in results.columns else "cohort"
    return KaplanMeierFitter().fit(durations, events, label=label or "cohort")


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
