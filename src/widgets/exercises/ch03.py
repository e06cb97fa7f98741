"""Exercises of chapter 3, "Checkpoint inhibitors" (answers computed from the model)."""

from __future__ import annotations

import numpy as np

from ..checks import Exercise, register
from ..models import checkpoint as cp

#: Infiltration values tried in exercise 3.2.
INFILTRATION_GRID = np.round(np.arange(0.0, 1.0001, 0.05), 2)
RESPONSE = ("partial response", "complete response")


def _ex31() -> dict:
    p = cp.SCENARIOS["partial response"]
    s = cp.summary(**p)
    df = cp.simulate(**p)
    day = cp.PARAMS["assess_day"].default
    i = int(np.argmin(np.abs(df["t"].to_numpy() - day)))
    volume_change = 100.0 * (df["tumour_volume"].iloc[i] / df["tumour_volume"].iloc[0] - 1.0)
    return {
        "diameter change": round(s["change_at_assessment_pct"], 1),
        "volume change": round(float(volume_change), 1),
        "category": s["recist_at_assessment"],
    }


def smallest_responding_infiltration(**fixed) -> float:
    """Smallest infiltration on :data:`INFILTRATION_GRID` giving PR or CR at the assessment."""
    for s in INFILTRATION_GRID:
        if cp.summary(**{**fixed, "infiltration": float(s)})["recist_at_assessment"] in RESPONSE:
            return float(s)
    return float("nan")


def _ex32() -> dict:
    return {
        "without anti-CTLA-4": smallest_responding_infiltration(),
        "with anti-CTLA-4": smallest_responding_infiltration(anti_ctla4=True),
    }


def _ex33() -> dict:
    p = {**cp.SCENARIOS["durable control after short treatment"], "half_life": 5.0}
    s = cp.summary(**p)
    return {"change at day 365": round(s["change_at_end_pct"], 1), "category": s["recist_at_end"]}


register(
    Exercise(
        id="3.1",
        quantity={
            "diameter change": "the change in lesion diameter on the assessment day",
            "volume change": "the change in tumour volume on the assessment day",
            "category": "the RECIST category on the assessment day",
        },
        unit={"diameter change": "%", "volume change": "%", "category": ""},
        solution=_ex31,
        hint="Run cp.simulate(**cp.SCENARIOS['partial response']) and read the row closest to "
             "day 168; the volume changes by the cube of the diameter ratio.",
        rtol=0.0,
        atol=0.6,
    )
)

register(
    Exercise(
        id="3.2",
        quantity={
            "without anti-CTLA-4": "the smallest infiltration giving a response without "
                                   "anti-CTLA-4",
            "with anti-CTLA-4": "the smallest infiltration giving a response with anti-CTLA-4",
        },
        unit="units/day",
        solution=_ex32,
        hint="Loop over infiltration = 0, 0.05, ..., 1 and stop at the first value whose "
             "cp.summary(...)['recist_at_assessment'] is a partial or complete response.",
        rtol=0.0,
        atol=0.001,
    )
)

register(
    Exercise(
        id="3.3",
        quantity={
            "change at day 365": "the change in lesion diameter on day 365",
            "category": "the RECIST category on day 365",
        },
        unit={"change at day 365": "%", "category": ""},
        solution=_ex33,
        hint="Take the 'durable control after short treatment' scenario, add half_life=5.0, "
             "and read cp.summary(...)['change_at_end_pct'] and ['recist_at_end'].",
        rtol=0.0,
        atol=0.6,
    )
)
