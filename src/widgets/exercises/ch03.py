"""Exercises of chapter 3, "Checkpoint inhibitors" (answers computed from the model)."""

from __future__ import annotations

import numpy as np

from ..checks import Exercise, register
from ..models import checkpoint as cp
from ..quiz import Option, Question

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

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "A patient's tumour shows no PD-L1 but is full of T cells, and it keeps growing. "
        "What does the chapter's model suggest about anti-PD-1 for this tumour?",
        (
            Option(
                "It will work especially well, because there are many T cells to release.",
                "T cells are needed, but anti-PD-1 only helps if PD-L1 is braking them. "
                "With no PD-L1 there is no brake to release.",
            ),
            Option(
                "It will add little: the tumour is escaping by some route other than PD-L1.",
                "With no PD-L1 the treated and untreated tumours behave identically in the "
                "model; a growing T-cell-rich tumour must be escaping another way.",
                correct=True,
            ),
            Option(
                "It will work only if the dose is raised tenfold.",
                "Occupancy is already near 1 at the usual doses; more drug cannot release a "
                "brake that is not pressed.",
            ),
        ),
        model=True,
    ),
    Question(
        "On a scan the diameter of a lesion has fallen by 30%. Roughly how much of its volume "
        "has gone?",
        (
            Option(
                "About 30%",
                "Volume scales with the cube of the diameter, so it falls much "
                "more than the diameter does.",
            ),
            Option(
                "About 66%",
                "Right: (1 − 0.30)³ ≈ 0.34, so about two thirds of the volume "
                "has gone. This is the RECIST partial-response line.",
                correct=True,
            ),
            Option(
                "About 90%",
                "That would need the diameter to fall by more than half: (1 − 0.54)³ ≈ 0.10.",
            ),
        ),
        source=("eisenhauer2009",),
    ),
    Question(
        "Where does CTLA-4 mainly act, compared with PD-1?",
        (
            Option(
                "Early, while T cells are being primed in lymph nodes; PD-1 acts later, on "
                "active T cells such as those in a tumour.",
                "Yes. That is why anti-CTLA-4 is modelled as raising the inflow of primed T "
                "cells, and anti-PD-1 as releasing the brake at the tumour.",
                correct=True,
            ),
            Option(
                "Only inside the tumour, on the cancer cells themselves.",
                "CTLA-4 is a receptor on T cells, and it acts during priming in lymph nodes. "
                "It is PD-L1, PD-1's partner, that tumours display.",
            ),
            Option(
                "In the same place and at the same time as PD-1; the two are interchangeable.",
                "They act at different stages, which is why combining them can help a tumour "
                "with few T cells.",
            ),
        ),
        source=("pardoll2012", "leach1996", "brahmer2010"),
    ),
    Question(
        "In the durable-control scenario the last dose is on day 42, yet the tumour stays "
        "controlled to day 365. What explains this in the model?",
        (
            Option(
                "The drug stays in the blood at full strength for a year.",
                "The antibody is cleared with a half-life of about 20 days; it is the "
                "occupancy that stays high for months, not the concentration.",
            ),
            Option(
                "The released T cells shrink the tumour so far that, even with the brake back "
                "on, they can hold what is left.",
                "Yes: killing saturates in a large tumour, so a small one is easier to hold. "
                "Once it is small enough the response no longer depends on the drug.",
                correct=True,
            ),
            Option(
                "The tumour stops growing on its own after treatment.",
                "The untreated tumour keeps growing in the model; the control comes from the "
                "T cells.",
            ),
        ),
        model=True,
    ),
]
