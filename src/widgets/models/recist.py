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

#: Short labels of the categories, as trial reports and figures write them.
SHORT = {"complete response": "CR", "partial response": "PR", "stable disease": "SD",
         "progressive disease": "PD"}


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
