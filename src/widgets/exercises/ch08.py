"""Exercises of chapter 8, "Resistance: nerves and the gut microbiome" (answers from the models)."""

from __future__ import annotations

import numpy as np

from .. import cohort
from ..checks import Exercise, register
from ..models import microbiome as mb
from ..models import nerve

#: Antibiotic start days tried in exercise 8.2 (a 14-day course).
ABX_STARTS = (-90, -60, -30, -14, 0, 30, 90)
#: Blockade levels tried in exercise 8.4.
BLOCKADES = tuple(np.round(np.arange(0.0, 1.0001, 0.1), 1))


def _ex81() -> dict:
    rr = cohort.response_rate(mb.cohort_results("no intervention"))
    return {"responders": rr.k, "lower": round(100 * rr.lo, 1), "upper": round(100 * rr.hi, 1)}


def abx_start_changes(**fixed) -> dict:
    """Diameter change (%) on day 168 for a 14-day course starting on each of ABX_STARTS."""
    return {s: mb.summary(**{"infiltration": 0.5, **fixed, "abx_days": 14, "abx_start": s})
            ["change_at_assessment_pct"] for s in ABX_STARTS}


def _ex82() -> dict:
    changes = abx_start_changes()
    worst = max(changes, key=changes.get)
    return {"worst start": int(worst), "change": round(changes[worst], 1)}


def _ex83() -> dict:
    scen = mb.SCENARIOS["antibiotics for 14 days, ending at the first infusion"]
    rr = cohort.response_rate(mb.cohort_results("fast recovery", regrowth=0.25, **scen))
    return {"responders": rr.k, "rate": round(100 * rr.rate, 1)}


def smallest_restoring_blockade(nerve_injury: float = 0.8) -> float:
    """Smallest blockade on BLOCKADES giving PR or CR on the assessment day."""
    for b in BLOCKADES:
        s = nerve.summary(nerve_injury=nerve_injury, blockade=float(b))
        if s["recist_at_assessment"] in cohort.RESPONSES:
            return float(b)
    return float("nan")


register(Exercise(
    id="8.1",
    quantity={"responders": "the number of responders among the 200 virtual patients",
              "lower": "the lower end of the exact 95% interval",
              "upper": "the upper end of the exact 95% interval"},
    unit={"responders": "patients", "lower": "%", "upper": "%"},
    solution=_ex81,
    hint="r = microbiome.cohort_results('no intervention'); cohort.response_rate(r) gives k, "
         "lo and hi (as fractions: multiply by 100).",
    rtol=0.0, atol=0.06,
))

register(Exercise(
    id="8.2",
    quantity={"worst start": "the antibiotic start day with the largest diameter on day 168",
              "change": "the diameter change on day 168 for that start day"},
    unit={"worst start": "days", "change": "%"},
    solution=_ex82,
    hint="Loop over the start days, run microbiome.summary(infiltration=0.5, abx_days=14, "
         "abx_start=s) and keep 'change_at_assessment_pct'; the worst is the largest change.",
    rtol=0.0, atol=0.6,
))

register(Exercise(
    id="8.3",
    quantity={"responders": "the number of responders with fast recovery",
              "rate": "the response rate with fast recovery"},
    unit={"responders": "patients", "rate": "%"},
    solution=_ex83,
    hint="microbiome.cohort_results('fast', regrowth=0.25, abx_days=14, abx_start=-14), then "
         "cohort.response_rate(...).",
    rtol=0.0, atol=0.06,
))

register(Exercise(
    id="8.4",
    quantity="the smallest blockade (0, 0.1, ..., 1) that restores a response",
    unit="0-1",
    solution=smallest_restoring_blockade,
    hint="Loop over blockade = 0, 0.1, ..., 1 with nerve.summary(nerve_injury=0.8, blockade=b) "
         "and stop at the first partial or complete response on day 168.",
    rtol=0.0, atol=0.001,
))
