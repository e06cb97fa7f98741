"""RECIST 1.1 response categories from a tumour's size over time.

RECIST 1.1 (Eisenhauer et al. 2009, *Eur J Cancer* 45:228-247, doi:10.1016/j.ejca.2008.10.026)
judges response from the **sum of the longest diameters** of up to five target lesions:

* **complete response (CR)**: disappearance of all target lesions;
* **partial response (PR)**: at least a 30% decrease of the sum, taking the baseline sum as
  reference;
* **progressive disease (PD)**: at least a 20% increase of the sum, taking the *smallest* sum
  on study (the nadir, which may be the baseline) as reference, and an absolute increase of at
  least 5 mm (or the appearance of new lesions);
* **stable disease (SD)**: neither PR nor PD.

A model tracks a volume, not a diameter. For a lesion that keeps its shape, diameter scales
with the cube root of volume, ``d/d0 = (V/V0)**(1/3)``, so halving the volume shrinks the
diameter by only about 21%.

Simplifications, stated where the book uses them: one target lesion (or several that change
alike); no new lesions and no non-target lesions; no confirmation scan; and "disappearance" is
modelled as the lesion shrinking below :data:`CR_DIAMETER_MM` (an illustrative detection limit,
a modelling choice, not part of RECIST).

:func:`summarise_trajectory` reads one patient's series as a trial would (scans at fixed
intervals, progression, best response), for the virtual cohorts of :mod:`widgets.cohort`.

This module is pure NumPy: no plotting.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "PR_CHANGE",
    "PD_CHANGE",
    "PD_ABSOLUTE_MM",
    "CR_DIAMETER_MM",
    "CATEGORIES",
    "SHORT",
    "diameter_ratio",
    "categorise",
    "categories_over_time",
    "best_response",
    "RESPONSES",
    "summarise_trajectory",
    "category_codes",
    "summarise_many",
]

#: Partial response: change of the diameter sum from baseline at or below -30%.
PR_CHANGE = -0.30
#: Progressive disease: change from the nadir at or above +20% ...
PD_CHANGE = 0.20
#: ... and an absolute increase of at least 5 mm.
PD_ABSOLUTE_MM = 5.0
#: Illustrative detection limit: a lesion smaller than this counts as disappeared (modelling
#: choice, not part of RECIST 1.1).
CR_DIAMETER_MM = 2.0

#: The four categories, best first.
CATEGORIES = (
    "complete response",
    "partial response",
    "stable disease",
    "progressive disease",
)

#: The categories counted as an (objective) response.
RESPONSES = ("complete response", "partial response")

#: Short labels of the categories, as trial reports and figures write them.
SHORT = {
    "complete response": "CR",
    "partial response": "PR",
    "stable disease": "SD",
    "progressive disease": "PD",
}


def diameter_ratio(volume, baseline_volume) -> np.ndarray:
    """``d/d0 = (V/V0)**(1/3)`` for a lesion that keeps its shape."""
    volume = np.asarray(volume, dtype=float)
    if baseline_volume <= 0 or not np.isfinite(baseline_volume):
        raise ValueError("baseline_volume must be a positive number")
    if np.any(volume < 0) or not np.all(np.isfinite(volume)):
        raise ValueError("volumes must be finite and non-negative")
    return np.cbrt(volume / baseline_volume)


def categorise(
    diameter_mm: float,
    baseline_mm: float,
    nadir_mm: float | None = None,
    *,
    cr_diameter_mm: float = CR_DIAMETER_MM,
) -> str:
    """RECIST 1.1 category of one assessment.

    ``diameter_mm`` is the current sum of diameters, ``baseline_mm`` the sum before treatment
    and ``nadir_mm`` the smallest sum recorded so far, baseline included (defaults to the
    baseline).
    """
    if not baseline_mm > 0:
        raise ValueError("baseline_mm must be positive")
    if diameter_mm < 0:
        raise ValueError("diameter_mm must be non-negative")
    nadir = baseline_mm if nadir_mm is None else min(nadir_mm, baseline_mm)
    if diameter_mm < cr_diameter_mm:
        return "complete response"
    grew = diameter_mm - nadir
    if nadir > 0 and grew / nadir >= PD_CHANGE and grew >= PD_ABSOLUTE_MM:
        return "progressive disease"
    if (diameter_mm - baseline_mm) / baseline_mm <= PR_CHANGE:
        return "partial response"
    return "stable disease"


def categories_over_time(
    diameter_mm, baseline_mm: float, *, cr_diameter_mm: float = CR_DIAMETER_MM
) -> list[str]:
    """The category at every time point of a diameter series (nadir tracked as it goes)."""
    d = np.asarray(diameter_mm, dtype=float)
    nadir = np.minimum.accumulate(np.minimum(d, baseline_mm))
    return [
        categorise(float(x), baseline_mm, float(n), cr_diameter_mm=cr_diameter_mm)
        for x, n in zip(d, nadir)
    ]


def best_response(categories) -> str:
    """The best category in a sequence (CR > PR > SD > PD), without confirmation rules."""
    cats = list(categories)
    if not cats:
        raise ValueError("no categories given")
    for name in CATEGORIES:
        if name in cats:
            return name
    raise ValueError(f"unknown categories: {sorted(set(cats))}")


def summarise_trajectory(
    t,
    diameter_mm,
    baseline_mm: float,
    *,
    scan_every: float | None = None,
    horizon: float | None = None,
    cr_diameter_mm: float = CR_DIAMETER_MM,
) -> dict:
    """A trial's read-out of one patient from a tumour-size time series: the summary
    :func:`widgets.cohort.run` expects of each virtual patient.

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
    cats = categories_over_time(d_at, baseline_mm, cr_diameter_mm=cr_diameter_mm)
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
        "best_response": best_response(list(cats[upto])),
        "progression_time": prog_time,
        "progression_event": event,
        "response_time": float(times[resp_idx[0]]) if resp_idx.size else float("nan"),
        "followup": prog_time,
    }


def category_codes(
    diameter_mm, baseline_mm, nadir_mm, *, cr_diameter_mm: float = CR_DIAMETER_MM
) -> np.ndarray:
    """:func:`categorise` for arrays (broadcast together), as indices into
    :data:`CATEGORIES` (0 complete response ... 3 progressive disease). The same comparisons
    in the same order, so the same category as :func:`categorise` at every element."""
    d = np.asarray(diameter_mm, dtype=float)
    base = np.asarray(baseline_mm, dtype=float)
    nadir = np.minimum(np.asarray(nadir_mm, dtype=float), base)
    grew = d - nadir
    with np.errstate(divide="ignore", invalid="ignore"):
        progressed = (nadir > 0) & (grew / nadir >= PD_CHANGE) & (grew >= PD_ABSOLUTE_MM)
        responded = (d - base) / base <= PR_CHANGE
    return np.where(d < cr_diameter_mm, 0, np.where(progressed, 3, np.where(responded, 1, 2)))


def summarise_many(
    t, diameters_mm, baselines_mm, *, scan_every: float, cr_diameter_mm: float = CR_DIAMETER_MM
) -> list[dict]:
    """:func:`summarise_trajectory` with scans every ``scan_every`` days for many patients
    at once: ``diameters_mm`` has one row per patient at the shared times ``t``, and
    ``baselines_mm`` one baseline per patient. Returns one summary per patient, equal to
    what :func:`summarise_trajectory` returns for that row."""
    t = np.asarray(t, dtype=float)
    d = np.atleast_2d(np.asarray(diameters_mm, dtype=float))
    base = np.asarray(baselines_mm, dtype=float).reshape(-1)
    if t.ndim != 1 or d.shape[1:] != t.shape or t.size < 2 or base.shape != d.shape[:1]:
        raise ValueError("diameters_mm must have one row per baseline and one column per time")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(d))) or np.any(d < 0):
        raise ValueError("t and diameter_mm must be finite, and diameters non-negative")
    if np.any(np.diff(t) <= 0) or t[0] < 0:
        raise ValueError("t must increase from a non-negative start")
    if not scan_every > 0:
        raise ValueError("scan_every must be a positive number of days")
    times = np.arange(scan_every, float(t[-1]) + 1e-9, scan_every)
    if times.size == 0:
        raise ValueError("no scan falls inside the simulated time")
    d_at = np.array([np.interp(times, t, row) for row in d])
    nadir = np.minimum.accumulate(np.minimum(d_at, base[:, None]), axis=1)
    codes = category_codes(d_at, base[:, None], nadir, cr_diameter_mm=cr_diameter_mm)
    change = 100.0 * (d_at / base[:, None] - 1.0)
    out = []
    for i in range(d.shape[0]):
        pd_idx = np.flatnonzero(codes[i] == 3)
        if pd_idx.size:
            k = int(pd_idx[0])
            prog_time, event = float(times[k]), True
        else:
            k = times.size - 1
            prog_time, event = float(times[-1]), False
        upto = codes[i, : k + 1]
        resp = np.flatnonzero(upto <= 1)
        out.append(
            {
                "best_change_pct": float(max(change[i, : k + 1].min(), -100.0)),
                "best_response": CATEGORIES[int(upto.min())],
                "progression_time": prog_time,
                "progression_event": event,
                "response_time": float(times[resp[0]]) if resp.size else float("nan"),
                "followup": prog_time,
            }
        )
    return out
