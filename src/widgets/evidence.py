"""Published results as the book reads them: the curated data files, with counts and intervals.

The numbers themselves live in ``data/*.csv`` and are read (and validated) by the one loader,
:func:`widgets.data.load`. This module turns rows into the read-outs the chapters and figures
use, computing every statistic with :mod:`widgets.stats` (rates and interval bounds are
proportions in [0, 1]):

* :func:`response_table`: every responder-count row of ``trials.csv`` (objective and complete
  responses, remissions, durable responses), with the count (given, or recovered from a printed
  percentage by :func:`widgets.stats.count_from_percent`) and its exact interval;
* :func:`hazard_ratios`: the hazard-ratio rows of ``trials.csv`` with their published
  intervals;
* :func:`adverse_events`: ``adverse_events.csv`` with the share of patients and, where the
  source gives counts, its exact interval;
* :func:`cancer_group` and :data:`CLASSES`: how the figures group cancers and therapy classes.

This module imports no plotting code.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from . import stats
from .data import load

__all__ = [
    "RESPONSE_ENDPOINTS",
    "CLASSES",
    "CANCER_GROUPS",
    "cancer_group",
    "response_table",
    "hazard_ratios",
    "adverse_events",
    "tmb_threshold",
]

#: Endpoints that are a count of responders.
RESPONSE_ENDPOINTS = ("objective response", "complete response", "remission", "durable response")

#: Therapy classes in the order the figures use, with short names for filter parameters.
CLASSES = {
    "checkpoint inhibitor": "checkpoint",
    "CAR-T / cell therapy": "cart",
    "cytokine": "cytokine",
    "vaccine": "vaccine",
    "oncolytic virus": "oncolytic",
    "other": "other",
}

#: Cancer groups for the figures' filters: group -> words that put a cancer in it.
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


def response_table(
    frame: pd.DataFrame | None = None,
    *,
    trials=None,
    endpoints=RESPONSE_ENDPOINTS,
    level: float = 0.95,
) -> pd.DataFrame:
    """Every responder-count row of the trials data, with its count and exact interval.

    ``frame`` defaults to ``load("trials")``; ``trials`` (names) keeps only those trials.
    Complete responses reported inside an objective-response row become rows of their own.
    Columns: the file's columns, ``k``, ``n``, ``rate``, ``ci_low``, ``ci_high`` (proportions),
    ``reconstructed`` (True when ``k`` came from a printed percentage), ``group`` (cancer
    group), ``subgroup`` (True for a biomarker subgroup, such as PD-L1-positive tumours,
    whose patients also appear in other rows) and ``label``.
    """
    df = load("trials") if frame is None else frame
    if trials is not None:
        df = df[df["trial"].isin(list(trials))]
    cr = df[(df["endpoint"] == "objective response") & df["complete_responses"].notna()].copy()
    cr["endpoint"] = "complete response"
    cr["responders"] = cr["complete_responses"]
    df = pd.concat([df, cr], ignore_index=True)
    df = df[df["endpoint"].isin(endpoints)].copy()
    if df.empty:
        raise ValueError("no responder-count rows match" + (f" trials {trials}" if trials else ""))
    ks, rec = [], []
    for _, r in df.iterrows():
        if pd.notna(r["responders"]):
            ks.append(int(r["responders"]))
            rec.append(False)
        elif r["value_unit"] == "%" and pd.notna(r["value"]):
            ks.append(stats.count_from_percent(float(r["value"]), int(r["patients"])))
            rec.append(True)
        else:
            raise ValueError(f"{r['trial']} / {r['arm']}: no count and no percentage")
    df["k"] = ks
    df["n"] = df["patients"].astype(int)
    df["reconstructed"] = rec
    lo, hi = stats.exact_ci(df["k"].to_numpy(), df["n"].to_numpy(), level)
    df["rate"] = df["k"] / df["n"]
    df["ci_low"] = lo
    df["ci_high"] = hi
    df["group"] = [cancer_group(c) for c in df["cancer"]]
    df["subgroup"] = df["arm"].str.contains(r"PD-L1|TMB", regex=True)
    df["label"] = [f"{r.trial}: {r.arm}, {r.cancer} ({r.endpoint})" for r in df.itertuples()]
    return df.reset_index(drop=True)


def hazard_ratios(
    frame: pd.DataFrame | None = None, therapy_class: str | None = None
) -> pd.DataFrame:
    """The hazard-ratio rows of the trials data (``therapy_class`` keeps one class), with
    their published confidence intervals: columns ``trial``, ``therapy``, ``endpoint``,
    ``label``, ``patients``, ``hr``, ``lower``, ``upper``, ``level`` and ``source``."""
    df = load("trials") if frame is None else frame
    hr = df[df["value_unit"] == "hazard ratio"]
    if therapy_class is not None:
        hr = hr[hr["class"] == therapy_class]
    out = pd.DataFrame(
        {
            "trial": hr["trial"],
            "therapy": hr["therapy"],
            "endpoint": hr["endpoint"],
            "label": [f"{r.trial}: {r.therapy}, {r.endpoint}" for r in hr.itertuples()],
            "patients": hr["patients"],
            "hr": hr["value"].astype(float),
            "lower": hr["ci_low"].astype(float),
            "upper": hr["ci_high"].astype(float),
            "level": hr["ci_level"].astype(float),
            "source": hr["source"],
        }
    )
    return out.reset_index(drop=True)


@lru_cache(maxsize=1)
def _adverse_events() -> pd.DataFrame:
    df = load("adverse_events").copy()
    counted = (df["events"].notna() & df["patients"].notna()).to_numpy()
    rate = df["percent"].astype(float).to_numpy() / 100.0
    lo = np.full(len(df), np.nan)
    hi = np.full(len(df), np.nan)
    if counted.any():
        k = df.loc[counted, "events"].astype(float).to_numpy()
        n = df.loc[counted, "patients"].astype(float).to_numpy()
        rate[counted] = k / n
        lo[counted], hi[counted] = stats.exact_ci(k, n)
    df["rate"], df["ci_low"], df["ci_high"] = rate, lo, hi
    return df


def adverse_events() -> pd.DataFrame:
    """``adverse_events.csv`` with ``rate`` (share of patients, from the counts where given,
    else the printed percentage) and its exact 95% interval ``ci_low``/``ci_high`` (NaN
    without counts); all proportions."""
    return _adverse_events().copy()


def tmb_threshold(frame: pd.DataFrame | None = None) -> float:
    """The high-burden threshold (mutations/Mb) of the TMB rows, read from their arm names."""
    df = load("trials") if frame is None else frame
    for arm in df["arm"]:
        m = re.search(r"at least (\d+(?:\.\d+)?) mutations/Mb", str(arm))
        if m:
            return float(m.group(1))
    raise ValueError("no arm names a mutational-burden threshold")
