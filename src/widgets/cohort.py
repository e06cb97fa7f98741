"""Virtual cohorts: run any per-patient model over many simulated patients, reproducibly.

A *virtual cohort* is a set of made-up patients whose parameters are drawn from stated
distributions, each run through the same model. The cohort turns a model of one tumour into
the read-outs of a trial: responders, a waterfall plot of the best change in tumour size, a
swimmer plot and Kaplan-Meier curves of progression-free survival. This module samples the
patients and runs them; the statistics of the results are :mod:`widgets.stats`
(:func:`~widgets.stats.response_rate`, :func:`~widgets.stats.kaplan_meier`,
:func:`~widgets.stats.hazard_ratio`), the RECIST read-out of one patient is
:func:`widgets.models.recist.summarise_trajectory`, and the figures are
:mod:`widgets.views.cohort`.

The API in three steps
----------------------

1. **Distributions** of the patient parameters, one per varied parameter::

       from widgets import cohort
       dists = {
           "infiltration": cohort.LogNormal(median=0.5, sigma=0.6, hi=3.0),
           "pdl1": cohort.Beta(a=2.0, b=2.0),
           "growth_rate": cohort.Uniform(0.006, 0.02),
           "anti_ctla4": cohort.Choice([False, True], p=[0.7, 0.3]),
           "diameter0": cohort.Fixed(40.0),
       }

   The continuous ones are frozen ``scipy.stats`` distributions (:meth:`Distribution.frozen`);
   optional ``lo``/``hi`` *truncate* them to a model's allowed range (the distribution
   conditioned on lying inside), so no probability piles up at a bound. Each has ``sample(rng, n)`` and ``describe()``; :func:`describe` tabulates a dict.

2. **Patients**: ``patients = cohort.sample_patients(dists, n=200, seed=1)`` returns a
   DataFrame with one row per patient (column ``patient``, 0..n-1, and one column per
   parameter). The draws use ``numpy.random.default_rng(seed)``, parameter by parameter in
   the order of ``dists``, so the same seed always gives the same patients.

3. **Run**: ``cohort.run(model, patients, fixed=..., label=...)`` calls the per-patient
   function ``model(params: dict) -> dict`` for every patient, or, given ``batch=``, a function
   of all the patients at once, ``batch(list of params dicts) -> list of summaries`` (a model
   that integrates every patient together as one vectorised system, many times faster than
   one solver call per patient; it must give what ``model`` gives, patient by patient). Every
   summary must have the keys of :data:`REQUIRED`:

   * ``best_change_pct`` (float, %): best (most negative) change of the tumour's size from
     baseline, as in a waterfall plot;
   * ``best_response`` (str): the best RECIST 1.1 category, one of
     :data:`widgets.models.recist.CATEGORIES`;
   * ``progression_time`` (float, days, finite and >= 0): time of progression, or of the end
     of follow-up when there was none;
   * ``progression_event`` (bool): True if progression was seen, False if censored.

   Optional keys are kept as extra columns (``response_time`` and ``followup`` feed swimmer
   plots). :func:`run` validates every summary (a wrong key or value raises ``ValueError``
   naming the patient and the key) and returns a DataFrame: the patients' parameters, the
   summary keys, ``responder`` (bool: CR or PR) and ``scenario`` (the ``label``).
   :func:`simulate_cohort` does steps 2 and 3 in one call.

Running several scenarios on the *same* patients (same ``seed``) compares them patient by
patient, as a crossover trial would, and removes the noise of drawing new patients.

A virtual cohort is an illustration: its patients are draws from distributions a modeller
chose, not people, and its numbers are model outputs.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

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
    "validate_summary",
    "run",
    "simulate_cohort",
]

#: The keys every per-patient summary must have.
REQUIRED = ("best_change_pct", "best_response", "progression_time", "progression_event")


# -- distributions --------------------------------------------------------------------------------
def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"distribution argument {name!r} must be a finite number; got {value!r}")
    return float(value)


def _bound(name: str, value: Any) -> float | None:
    return None if value is None else _number(name, value)


@dataclass(frozen=True)
class Distribution:
    """Base class: the distribution of one patient parameter.

    Continuous distributions are frozen ``scipy.stats`` distributions (:meth:`frozen`); with
    ``lo`` and/or ``hi`` they are *truncated* to [lo, hi]: every draw follows the distribution
    conditioned on lying inside the bounds, so a bound is never hit with a lump of probability
    (as clipping would do). A draw that falls outside is replaced by an inverse-transform draw
    from the truncated distribution.
    """

    def frozen(self):  # pragma: no cover - every continuous subclass defines it
        raise NotImplementedError

    def _bounds(self) -> tuple[float | None, float | None]:
        return getattr(self, "lo", None), getattr(self, "hi", None)

    def _check_bounds(self) -> None:
        lo, hi = self._bounds()
        _bound("lo", lo), _bound("hi", hi)
        if lo is not None and hi is not None and not lo < hi:
            raise ValueError(f"{type(self).__name__} needs lo < hi; got lo={lo}, hi={hi}")
        if lo is not None or hi is not None:
            d = self.frozen()
            a = 0.0 if lo is None else float(d.cdf(lo))
            b = 1.0 if hi is None else float(d.cdf(hi))
            if not b > a:
                raise ValueError(
                    f"{type(self).__name__}: no probability between lo={lo} and hi={hi}"
                )

    def _draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        d = self.frozen()
        x = np.asarray(d.rvs(size=n, random_state=rng), dtype=float)
        lo, hi = self._bounds()
        outside = np.zeros(n, dtype=bool)
        if lo is not None:
            outside |= x < lo
        if hi is not None:
            outside |= x > hi
        if outside.any():
            # Draws outside the bounds are replaced by draws from the truncated distribution
            # (inverse transform), taken from a child stream of rng: the main stream, and so
            # every later parameter's draws, is the same whether or not any draw fell outside.
            a = 0.0 if lo is None else float(d.cdf(lo))
            b = 1.0 if hi is None else float(d.cdf(hi))
            child = rng.spawn(1)[0]
            x[outside] = np.clip(
                d.ppf(child.uniform(a, b, int(outside.sum()))),
                -np.inf if lo is None else lo,
                np.inf if hi is None else hi,
            )
        return x

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws using ``rng`` (a ``numpy.random.Generator``)."""
        if not isinstance(rng, np.random.Generator):
            raise ValueError(
                "rng must be a numpy.random.Generator (numpy.random.default_rng(seed))"
            )
        return self._draw(rng, int(n))

    def _bounds_text(self) -> str:
        lo, hi = self._bounds()
        if lo is None and hi is None:
            return ""
        support_lo, support_hi = self.frozen().support()
        left = f"{support_lo:g}".replace("-inf", "-∞") if lo is None else f"{lo:g}"
        right = f"{support_hi:g}".replace("inf", "∞") if hi is None else f"{hi:g}"
        return f", truncated to [{left}, {right}]"


@dataclass(frozen=True)
class Fixed(Distribution):
    """The same value for every patient."""

    value: Any

    def _draw(self, rng, n):
        return np.full(
            n, self.value, dtype=object if isinstance(self.value, (bool, str)) else float
        )

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

    def frozen(self):
        return stats.uniform(loc=self.low, scale=self.high - self.low)

    def describe(self) -> str:
        return f"uniform on [{self.low:g}, {self.high:g}]"


@dataclass(frozen=True)
class Normal(Distribution):
    """Normal with ``mean`` and standard deviation ``sd`` (truncated to [lo, hi] if given)."""

    mean: float
    sd: float
    lo: float | None = None
    hi: float | None = None

    def __post_init__(self):
        _number("mean", self.mean)
        if not _number("sd", self.sd) > 0:
            raise ValueError("Normal needs sd > 0")
        self._check_bounds()

    def frozen(self):
        return stats.norm(loc=self.mean, scale=self.sd)

    def describe(self) -> str:
        return f"normal, mean {self.mean:g}, SD {self.sd:g}{self._bounds_text()}"


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Log-normal: ``log(x)`` is normal with mean ``log(median)`` and SD ``sigma`` (truncated
    to [lo, hi] if given)."""

    median: float
    sigma: float
    lo: float | None = None
    hi: float | None = None

    def __post_init__(self):
        if not _number("median", self.median) > 0 or not _number("sigma", self.sigma) > 0:
            raise ValueError("LogNormal needs median > 0 and sigma > 0")
        self._check_bounds()

    def frozen(self):
        return stats.lognorm(s=self.sigma, scale=self.median)

    def describe(self) -> str:
        return f"log-normal, median {self.median:g}, σ of log {self.sigma:g}{self._bounds_text()}"


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

    def frozen(self):
        return stats.beta(self.a, self.b, loc=self.low, scale=self.high - self.low)

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
                raise ValueError(
                    "Choice needs one non-negative probability per value, summing to 1"
                )

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
    if (
        isinstance(change, bool)
        or not isinstance(change, numbers.Real)
        or not math.isfinite(change)
        or change < -100.0
    ):
        raise ValueError(
            f"{where}: 'best_change_pct' must be a finite number >= -100; got {change!r}"
        )
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
    batch: Callable[[list], Sequence[Mapping]] | None = None,
) -> pd.DataFrame:
    """Run ``model`` once per patient (row of ``patients``); return one row per patient.

    ``model`` gets the patient's parameters (without ``patient``) updated with ``fixed``.
    With ``batch``, ``batch(list of those dicts)`` is called once instead and returns the
    summaries in the same order (the batch mode of a vectorised model).
    """
    if not callable(model):
        raise ValueError("model must be a function: patient parameters (dict) -> summary (dict)")
    if batch is not None and not callable(batch):
        raise ValueError(
            "batch must be a function: list of patient parameters -> list of summaries"
        )
    if "patient" not in patients.columns or len(patients) == 0:
        raise ValueError("patients must be a non-empty DataFrame from sample_patients()")
    fixed = dict(fixed or {})
    names = [c for c in patients.columns if c != "patient"]
    records = patients.to_dict("records")
    params_list = []
    for record in records:
        params = {k: _plain(record[k]) for k in names}
        params.update(fixed)
        params_list.append(params)
    if batch is None:
        summaries = [model(params) for params in params_list]
    else:
        summaries = list(batch(params_list))
        if len(summaries) != len(params_list):
            raise ValueError(
                f"batch returned {len(summaries)} summaries for {len(params_list)} patients"
            )
    rows = [
        validate_summary(s, where=f"patient {record['patient']}")
        for s, record in zip(summaries, records)
    ]
    out = pd.concat([patients.reset_index(drop=True), pd.DataFrame(rows)], axis=1)
    for k, v in fixed.items():
        if k not in out.columns:
            out[k] = [v] * len(out)
    out["responder"] = out["best_response"].isin(recist.RESPONSES)
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
    batch: Callable[[list], Sequence[Mapping]] | None = None,
) -> pd.DataFrame:
    """:func:`sample_patients` then :func:`run`, in one call."""
    return run(
        model, sample_patients(distributions, n, seed), fixed=fixed, label=label, batch=batch
    )
