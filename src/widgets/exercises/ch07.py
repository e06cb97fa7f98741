"""Exercises of chapter 7, "The tumour microenvironment" (answers computed from the model)."""

from __future__ import annotations

import numpy as np

from ..checks import Exercise, register
from ..models import microenvironment as tme

#: T-cell access values tried in exercise 7.2.
ACCESS_GRID = np.round(np.arange(0.05, 1.0001, 0.05), 2)
#: Depletion rates tried in exercise 7.3.
DEPLETION_GRID = np.round(np.arange(0.0, 2.0001, 0.1), 1)


def _ex71() -> dict:
    hot = tme.TUMOURS["hot (inflamed)"]
    untreated = tme.summary(**hot)
    treated = tme.summary(**hot, blockade=True)
    return {"untreated, day 60": round(untreated["T_end"] / 1e6),
            "day eliminated": treated["day_eliminated"]}


def smallest_access_for_elimination(**fixed) -> float:
    """Smallest access on :data:`ACCESS_GRID` at which anti-PD-1 alone eliminates the tumour."""
    for eps in ACCESS_GRID:
        if tme.outcome(**{**fixed, "access": float(eps), "blockade": True}) == "elimination":
            return float(eps)
    return float("nan")


def smallest_depletion_for_elimination(**fixed) -> float:
    """Smallest depletion rate on :data:`DEPLETION_GRID` at which anti-PD-1 plus
    suppression-lowering therapy (stroma not opened) eliminates the cold tumour."""
    cold = tme.TUMOURS["cold (suppressed)"]
    for u in DEPLETION_GRID:
        q = {**cold, **fixed, "blockade": True, "deplete": True, "depletion_rate": float(u)}
        if tme.outcome(**q) == "elimination":
            return float(u)
    return float("nan")


register(
    Exercise(
        id="7.1",
        quantity={"untreated, day 60": "the untreated hot tumour on day 60, in millions of "
                                       "cells",
                  "day eliminated": "the day anti-PD-1 eliminates the hot tumour"},
        unit={"untreated, day 60": "million cells", "day eliminated": "days"},
        solution=_ex71,
        hint="Use tme.summary(**tme.TUMOURS['hot (inflamed)']) and the same with "
             "blockade=True; read 'T_end' (divide by 1e6 and round) and 'day_eliminated'.",
        rtol=0.0,
        atol=0.6,
    )
)

register(
    Exercise(
        id="7.2",
        quantity="the smallest T-cell access at which anti-PD-1 alone eliminates the tumour",
        unit="",
        solution=smallest_access_for_elimination,
        hint="Loop over access = 0.05, 0.10, ..., 1.00 and stop at the first value for which "
             "tme.outcome(access=..., blockade=True) is 'elimination'.",
        rtol=0.0,
        atol=0.001,
    )
)

register(
    Exercise(
        id="7.3",
        quantity={"without depletion": "the outcome of anti-PD-1 alone in the cold tumour",
                  "smallest depletion rate": "the smallest depletion rate that, with "
                                             "anti-PD-1, eliminates the cold tumour"},
        unit={"without depletion": "", "smallest depletion rate": "1/day"},
        solution=lambda: {
            "without depletion": tme.outcome(**tme.TUMOURS["cold (suppressed)"],
                                             blockade=True),
            "smallest depletion rate": smallest_depletion_for_elimination(),
        },
        hint="Take tme.TUMOURS['cold (suppressed)'], set blockade=True and deplete=True, and "
             "loop over depletion_rate = 0, 0.1, ..., 2 until tme.outcome(...) is "
             "'elimination'.",
        rtol=0.0,
        atol=0.001,
    )
)
