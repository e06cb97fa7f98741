"""Response rates and their uncertainty, the neoantigen odds behind a biomarker, and the tail
of a survival curve: the numerics of chapter 10.

Four pieces, each small and each checked against the data file ``data/trials.csv`` (loaded
through :func:`widgets.data.load`, never retyped):

1. **Exact confidence intervals.** A response rate is ``k`` responders out of ``n`` patients.
   Its exact (Clopper & Pearson 1934) 95% interval is the set of true rates that would not make
   ``k`` surprising; :func:`exact_ci` computes it with
   ``scipy.stats.binomtest(k, n).proportion_ci(method="exact")`` and :func:`exact_ci_many` with
   the equivalent beta quantiles, vectorised.
2. **Counts from percentages.** Some papers give only "52% of 93 patients". When exactly one
   whole number ``k`` reproduces the printed percentage at its printed precision,
   :func:`reconstruct_count` returns it (and the book says the count was reconstructed);
   otherwise it refuses.
3. **Sample size.** :func:`interval_width` gives the width of the exact interval at a given
   rate for any ``n``; :func:`n_for_width` the smallest ``n`` that reaches a target width.
4. **Survival tails.** An exponential curve ``S(t) = exp(-lambda t)`` has no plateau. A
   *cure-fraction* (mixture) model ``S(t) = pi + (1 - pi) exp(-lambda t)`` has one: a share
   ``pi`` of patients never has the event. :func:`fit_cure` finds the ``pi`` and ``lambda``
   that pass through a reported median and a reported landmark survival (for example 5-year
   overall survival); :func:`tail_table` does this for every trial arm in the data file that
   reports both, beside the exponential with the same median.

The biomarker model (why more mutations give more chances of a recognisable neoantigen) is
:mod:`widgets.models.neoantigen`; :func:`p_neoantigen_by_tmb` only converts a tumour
mutational burden in mutations per megabase into a mutation count, with an illustrative
number of megabases.

No plotting code is imported here.
"""

from __future__ import annotations

import math
import numbers
import re

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..data import load
from ..params import Param, ParamTable
from . import neoantigen

__all__ = [
    "RESPONSE_ENDPOINTS",
    "CLASSES",
    "CANCER_GROUPS",
    "cancer_group",
    "trials",
    "exact_ci",
    "exact_ci_many",
    "reconstruct_count",
    "response_table",
    "interval_width",
    "n_for_width",
    "N_GRID",
    "landmark_months",
    "s_exponential",
    "s_cure",
    "cure_median",
    "fit_cure",
    "tail_table",
    "TMB_PARAMS",
    "p_neoantigen_by_tmb",
    "tmb_threshold",
    "SAMPLE_PARAMS",
    "CURE_PARAMS",
    "FILTER_PARAMS",
    "filter_responses",
    "SCAN_EVERY",
    "cohort_distributions",
    "checkpoint_patient",
    "virtual_cohort",
]

#: Endpoints that are a count of responders (the forest plot shows these).
RESPONSE_ENDPOINTS = ("objective response", "complete response", "remission", "durable response")

#: Therapy classes in the order the figures use, with short names for the filter parameters.
CLASSES = {
    "checkpoint inhibitor": "checkpoint",
    "CAR-T / cell therapy": "cart",
    "cytokine": "cytokine",
    "vaccine": "vaccine",
    "oncolytic virus": "oncolytic",
    "other": "other",
}

#: Cancer groups for the forest-plot filter: group -> words that put a cancer in it.
CANCER_GROUPS = {
    "melanoma": ("melanoma",),
    "lung": ("lung",),
    "kidney": ("renal",),
    "blood": ("lymphoma", "leukaemia", "leukemia", "myeloma"),
    "other": (),
}


def cancer_group(cancer: str) -> str:
    """The group of :data:`CANCER_GROUPS` a cancer name belongs to (``"other"`` if none)."""
    text = str(cancer).lower()
    for group, words in CANCER_GROUPS.items():
        if any(w in text for w in words):
            return group
    return "other"


def trials() -> pd.DataFrame:
    """The curated trial results (``data/trials.csv``), validated by the one loader."""
    return load("trials")


# -- exact intervals --------------------------------------------------------------------------

def _whole(name: str, value, lo: int = 0) -> int:
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not math.isfinite(value) or not float(value).is_integer()):
        raise ValueError(f"{name} must be a whole number; got {value!r}")
    value = int(value)
    if value < lo:
        raise ValueError(f"{name} must be at least {lo}; got {value}")
    return value


def _level(level) -> float:
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < float(level) < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1; got {level!r}")
    return float(level)


def exact_ci(k, n, level: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson interval for ``k`` responders of ``n``, as proportions in [0, 1]."""
    n = _whole("n", n, lo=1)
    k = _whole("k", k)
    if k > n:
        raise ValueError(f"k must not exceed n; got k={k}, n={n}")
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=_level(level), method="exact")
    return float(ci.low), float(ci.high)


def exact_ci_many(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Clopper-Pearson bounds (the beta-quantile form of :func:`exact_ci`)."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any(~np.isfinite(k)) or np.any(~np.isfinite(n)) or np.any(n < 1) or np.any(k < 0) or np.any(k > n):
        raise ValueError("k and n must be finite with 0 <= k <= n and n >= 1")
    alpha = 1.0 - _level(level)
    with np.errstate(invalid="ignore"):
        lo = np.where(k > 0, stats.beta.ppf(alpha / 2, k, n - k + 1), 0.0)
        hi = np.where(k < n, stats.beta.ppf(1 - alpha / 2, k + 1, n - k), 1.0)
    return lo, hi


# -- counts from printed percentages ----------------------------------------------------------

def _decimals(value: float) -> int:
    for d in range(4):
        if abs(round(value, d) - value) < 1e-9:
            return d
    return 4


def reconstruct_count(percent, n) -> int:
    """The one whole number ``k`` of ``n`` whose percentage, rounded as printed, is ``percent``.

    ``percent`` is read at its own precision (52 -> whole percent, 44.8 -> one decimal). Raises
    ``ValueError`` when no count or more than one count fits, so an ambiguous row is never
    turned into a number silently.
    """
    n = _whole("n", n, lo=1)
    if isinstance(percent, bool) or not isinstance(percent, numbers.Real) or not math.isfinite(percent):
        raise ValueError(f"percent must be a finite number; got {percent!r}")
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must lie in [0, 100]; got {percent!r}")
    d = _decimals(float(percent))
    half = 0.5 * 10.0 ** (-d)
    k = np.arange(n + 1)
    pct = 100.0 * k / n
    fits = k[np.abs(pct - percent) <= half + 1e-9]
    if len(fits) != 1:
        raise ValueError(
            f"{len(fits)} whole counts of {n} round to {percent}%: "
            + (", ".join(str(int(x)) for x in fits) if len(fits) else "none")
        )
    return int(fits[0])


def response_table(frame: pd.DataFrame | None = None, endpoints=RESPONSE_ENDPOINTS,
                   level: float = 0.95) -> pd.DataFrame:
    """Every responder-count row of the trials file, with its exact interval.

    Columns: the file's descriptive columns, ``k``, ``n``, ``rate`` (%), ``ci_low`` and
    ``ci_high`` (%), ``reconstructed`` (True when ``k`` came from a printed percentage by
    :func:`reconstruct_count`), ``group`` (cancer group), ``subgroup`` (True for a biomarker
    subgroup, such as PD-L1-positive tumours, whose patients also appear in other rows) and
    ``label``.
    """
    df = trials() if frame is None else frame
    # complete responses reported inside an objective-response row become rows of their own
    cr = df[(df["endpoint"] == "objective response") & df["complete_responses"].notna()].copy()
    cr["endpoint"] = "complete response"
    cr["responders"] = cr["complete_responses"]
    df = pd.concat([df, cr], ignore_index=True)
    df = df[df["endpoint"].isin(endpoints)].copy()
    ks, rec = [], []
    for _, r in df.iterrows():
        if pd.notna(r["responders"]):
            ks.append(int(r["responders"]))
            rec.append(False)
        elif r["value_unit"] == "%" and pd.notna(r["value"]):
            ks.append(reconstruct_count(float(r["value"]), int(r["patients"])))
            rec.append(True)
        else:
            raise ValueError(f"{r['trial']} / {r['arm']}: no count and no percentage")
    df["k"] = ks
    df["n"] = df["patients"].astype(int)
    df["reconstructed"] = rec
    lo, hi = exact_ci_many(df["k"].to_numpy(), df["n"].to_numpy(), level)
    df["rate"] = 100.0 * df["k"] / df["n"]
    df["ci_low"] = 100.0 * lo
    df["ci_high"] = 100.0 * hi
    df["group"] = [cancer_group(c) for c in df["cancer"]]
    df["subgroup"] = df["arm"].str.contains(r"PD-L1|TMB", regex=True)
    df["label"] = [
        f"{r.trial}: {r.arm}, {r.cancer} ({r.endpoint})" for r in df.itertuples()
    ]
    return df.reset_index(drop=True)


# -- sample size ------------------------------------------------------------------------------

#: Trial sizes at which the sample-size figure evaluates interval widths.
N_GRID = np.unique(np.round(np.geomspace(5, 1000, 120)).astype(int))


def interval_width(rate, n, level: float = 0.95) -> np.ndarray:
    """Width (percentage points) of the exact interval for ``round(rate * n)`` responders of ``n``.

    ``rate`` is a proportion in [0, 1]; ``n`` may be an array.
    """
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate <= 1:
        raise ValueError(f"rate must be a proportion in [0, 1]; got {rate!r}")
    n = np.asarray(n, dtype=float)
    k = np.round(rate * n)
    lo, hi = exact_ci_many(k, n, level)
    return 100.0 * (hi - lo)


def n_for_width(rate, width, level: float = 0.95, n_max: int = 100_000) -> int:
    """Smallest ``n`` whose exact interval at ``rate`` is no wider than ``width`` points."""
    if isinstance(width, bool) or not isinstance(width, numbers.Real) or not 0 < width <= 100:
        raise ValueError(f"width must be in (0, 100] percentage points; got {width!r}")
    n = np.arange(1, n_max + 1)
    w = interval_width(rate, n, level)
    ok = np.nonzero(w <= width)[0]
    if len(ok) == 0:
        raise ValueError(f"no n up to {n_max} gives an interval of {width} points")
    return int(n[ok[0]])


# -- survival tails ---------------------------------------------------------------------------

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
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not math.isfinite(lam) or lam <= 0:
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
    ``observed`` (%), ``exponential`` (% predicted at the landmark by the exponential with the
    same median), ``pi`` (cure fraction, %, NaN when no plateau fits), ``lam`` (per month),
    ``sources``.
    """
    df = trials() if frame is None else frame
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
            rows.append({
                "trial": trial, "arm": arm, "cancer": g["cancer"].iloc[0], "median": m,
                "landmark": t, "observed": float(r["value"]),
                "exponential": 100.0 * float(s_exponential(t, m)),
                "pi": 100.0 * pi, "lam": lam,
                "sources": ", ".join(sorted(set(g["source"]))),
            })
    return pd.DataFrame(rows)


# -- biomarkers -------------------------------------------------------------------------------

def tmb_threshold(frame: pd.DataFrame | None = None) -> float:
    """The high-burden threshold (mutations/Mb) of the TMB rows, read from their arm names."""
    df = trials() if frame is None else frame
    for arm in df["arm"]:
        m = re.search(r"at least (\d+(?:\.\d+)?) mutations/Mb", str(arm))
        if m:
            return float(m.group(1))
    raise ValueError("no arm names a mutational-burden threshold")


def p_neoantigen_by_tmb(tmb, megabases: float, f: float, q: float) -> np.ndarray:
    """Chance of at least one recognisable neoantigen for a burden of ``tmb`` mutations per
    megabase over ``megabases`` megabases: ``m = tmb * megabases`` mutations, then
    :func:`widgets.models.neoantigen.probability_at_least_one`."""
    m = np.asarray(tmb, dtype=float) * float(megabases)
    return neoantigen.probability_at_least_one(m, f, q)


# -- parameter tables of the explorers --------------------------------------------------------

#: Sample size and uncertainty (all choices of the reader; no source needed beyond the method).
SAMPLE_PARAMS = ParamTable(
    [
        Param("rate", 0.3, "0-1", 0.05, 0.95,
              "true response rate; the share of patients who respond, as a proportion",
              "illustrative", step=0.05, symbol="p"),
        Param("n", 40, "patients", 5, 1000,
              "patients in the trial; the number whose responses are counted",
              "illustrative", kind="int", log=True, symbol="n"),
        Param("level", 0.95, "0-1", 0.8, 0.99,
              "confidence level; 0.95 for a 95% interval", "illustrative", step=0.01),
    ]
)

#: Cure-fraction explorer.
CURE_PARAMS = ParamTable(
    [
        Param("cure_fraction", 0.2, "0-1", 0.0, 0.45,
              "cure fraction; share of patients on the long-term plateau",
              "illustrative", step=0.01, symbol=r"\pi"),
        Param("median_uncured", 12.0, "months", 2.0, 48.0,
              "median survival of the others; of those not on the plateau",
              "illustrative", step=0.5, symbol=r"\ln 2/\lambda"),
    ]
)

#: The biomarker explorer: megabases (illustrative) plus the neoantigen model's own parameters.
TMB_PARAMS = ParamTable(
    [
        Param("megabases", 30.0, "Mb", 1.0, 60.0,
              "megabases counted; sequence over which the mutational burden is measured "
              "(illustrative)", "illustrative", step=1.0, symbol="L"),
        neoantigen.PARAMS["per_allele"],
        neoantigen.PARAMS["hla_alleles"],
        neoantigen.PARAMS["immunogenic"],
    ]
)

#: Forest-plot filters: one switch per therapy class and per cancer group.
FILTER_PARAMS = ParamTable(
    [Param(f"show_{short}", True, "", description=f"show {cls}; include this therapy class",
           source="illustrative", kind="bool") for cls, short in CLASSES.items()]
    + [Param(f"cancer_{g}", True, "", description=f"{g} cancers; include this cancer group",
             source="illustrative", kind="bool") for g in CANCER_GROUPS]
    + [Param("complete", False, "", description="complete responses only; instead of all "
             "objective responses", source="illustrative", kind="bool")]
)


def filter_responses(table: pd.DataFrame, values: dict) -> pd.DataFrame:
    """Rows of :func:`response_table` that pass the switches in ``values`` (see
    :data:`FILTER_PARAMS`)."""
    p = FILTER_PARAMS.resolve(values)
    keep_class = {cls for cls, short in CLASSES.items() if p[f"show_{short}"]}
    keep_group = {g for g in CANCER_GROUPS if p[f"cancer_{g}"]}
    endpoints = ("complete response",) if p["complete"] else (
        "objective response", "remission", "durable response")
    mask = (table["class"].isin(keep_class) & table["group"].isin(keep_group)
            & table["endpoint"].isin(endpoints) & ~table["subgroup"])
    return table[mask]


# -- RECIST read-outs of a virtual cohort (the engine is widgets.cohort) ----------------------

#: Scan interval of the virtual trial (days): an illustrative choice (every 8 weeks).
SCAN_EVERY = 56

#: How the virtual patients differ (illustrative distributions, not measured ones).
def cohort_distributions() -> dict:
    from .. import cohort

    return {
        "infiltration": cohort.LogNormal(median=0.5, sigma=0.8, lo=0.0, hi=3.0),
        "pdl1": cohort.Beta(a=2.0, b=2.0),
        "growth_rate": cohort.Uniform(0.005, 0.02),
    }


def checkpoint_patient(params: dict) -> dict:
    """One virtual patient: the checkpoint model (:mod:`widgets.models.checkpoint`) judged by
    RECIST 1.1 at scans every :data:`SCAN_EVERY` days, as the cohort engine expects."""
    from .. import cohort
    from . import checkpoint

    p = checkpoint.PARAMS.resolve(params)
    df = checkpoint.simulate(**p)
    return cohort.summarise_trajectory(df["t"].to_numpy(), df["diameter"].to_numpy(),
                                       p["diameter0"], scan_every=SCAN_EVERY)


def virtual_cohort(n: int = 60, seed: int = 10, **fixed) -> pd.DataFrame:
    """``n`` virtual patients (seeded) run through :func:`checkpoint_patient` by
    :func:`widgets.cohort.simulate_cohort`; ``fixed`` sets checkpoint parameters for all
    (for example ``n_doses=0`` for the same patients untreated)."""
    from .. import cohort

    label = "untreated" if fixed.get("n_doses") == 0 else "anti-PD-1"
    return cohort.simulate_cohort(checkpoint_patient, cohort_distributions(), n=n, seed=seed,
                                  fixed=fixed, label=label)
