"""Exercises of chapter 8, "Resistance: nerves and the gut microbiome" (answers from the models)."""

from __future__ import annotations

import numpy as np

from .. import stats
from ..checks import Exercise, register
from ..models import microbiome as mb
from ..models import nerve, recist
from ..quiz import Option, Question

#: Antibiotic start days tried in exercise 8.2 (a 14-day course).
ABX_STARTS = (-90, -60, -30, -14, 0, 30, 90)
#: Blockade levels tried in exercise 8.4.
BLOCKADES = tuple(np.round(np.arange(0.0, 1.0001, 0.1), 1))


def _ex81() -> dict:
    rr = stats.response_rate(mb.cohort_results("no intervention"))
    return {"responders": rr.k, "lower": round(100 * rr.lo, 1), "upper": round(100 * rr.hi, 1)}


def abx_start_changes(**fixed) -> dict:
    """Diameter change (%) on day 168 for a 14-day course starting on each of ABX_STARTS."""
    return {
        s: mb.summary(**{"infiltration": 0.5, **fixed, "abx_days": 14, "abx_start": s})[
            "change_at_assessment_pct"
        ]
        for s in ABX_STARTS
    }


def _ex82() -> dict:
    changes = abx_start_changes()
    worst = max(changes, key=changes.get)
    return {"worst start": int(worst), "change": round(changes[worst], 1)}


def _ex83() -> dict:
    scen = mb.SCENARIOS["antibiotics for 14 days, ending at the first infusion"]
    rr = stats.response_rate(mb.cohort_results("fast recovery", regrowth=0.25, **scen))
    return {"responders": rr.k, "rate": round(100 * rr.rate, 1)}


def smallest_restoring_blockade(nerve_injury: float = 0.8) -> float:
    """Smallest blockade on BLOCKADES giving PR or CR on the assessment day."""
    for b in BLOCKADES:
        s = nerve.summary(nerve_injury=nerve_injury, blockade=float(b))
        if s["recist_at_assessment"] in recist.RESPONSES:
            return float(b)
    return float("nan")


register(
    Exercise(
        id="8.1",
        quantity={
            "responders": "the number of responders among the 200 virtual patients",
            "lower": "the lower end of the exact 95% interval",
            "upper": "the upper end of the exact 95% interval",
        },
        unit={"responders": "patients", "lower": "%", "upper": "%"},
        solution=_ex81,
        hint="r = microbiome.cohort_results('no intervention'); stats.response_rate(r) gives k, "
        "lo and hi (as fractions: multiply by 100).",
        rtol=0.0,
        atol=0.06,
    )
)

register(
    Exercise(
        id="8.2",
        quantity={
            "worst start": "the antibiotic start day with the largest diameter on day 168",
            "change": "the diameter change on day 168 for that start day",
        },
        unit={"worst start": "days", "change": "%"},
        solution=_ex82,
        hint="Loop over the start days, run microbiome.summary(infiltration=0.5, abx_days=14, "
        "abx_start=s) and keep 'change_at_assessment_pct'; the worst is the largest change.",
        rtol=0.0,
        atol=0.6,
    )
)

register(
    Exercise(
        id="8.3",
        quantity={
            "responders": "the number of responders with fast recovery",
            "rate": "the response rate with fast recovery",
        },
        unit={"responders": "patients", "rate": "%"},
        solution=_ex83,
        hint="microbiome.cohort_results('fast', regrowth=0.25, abx_days=14, abx_start=-14), then "
        "stats.response_rate(...).",
        rtol=0.0,
        atol=0.06,
    )
)

register(
    Exercise(
        id="8.4",
        quantity="the smallest blockade (0, 0.1, ..., 1) that restores a response",
        unit="0-1",
        solution=smallest_restoring_blockade,
        hint="Loop over blockade = 0, 0.1, ..., 1 with nerve.summary(nerve_injury=0.8, blockade=b) "
        "and stop at the first partial or complete response on day 168.",
        rtol=0.0,
        atol=0.001,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "In the single-patient model, when does a 14-day course of antibiotics hurt the response "
        "to anti-PD-1 most?",
        (
            Option(
                "Long before treatment, about 90 days before the first infusion.",
                "A course long before treatment leaves time for the bacteria to recover before "
                "the T cells are needed.",
            ),
            Option(
                "Ending just as treatment starts.",
                "Yes: the commensals, and the priming they set, are lowest just when the "
                "released T cells should be building up. In the example patient the partial "
                "response becomes stable disease.",
                correct=True,
            ),
            Option(
                "Late in treatment, from about day 90.",
                "By then the tumour is already shrinking and the T cells are expanding on their "
                "own, so a few weeks of lower priming change little.",
            ),
        ),
        model=True,
    ),
    Question(
        "A meta-analysis of 20 retrospective studies found a hazard ratio of 1.53 for progression "
        "in patients on checkpoint inhibitors who had antibiotics. What does it show?",
        (
            Option(
                "Progression came sooner with antibiotics, but the comparison is "
                "observational: it shows a link, not a cause.",
                "Right: patients who need antibiotics may be sicker to begin with, and the "
                "numbers cannot separate the bacteria from the reasons for the antibiotics.",
                correct=True,
            ),
            Option(
                "Antibiotics made progression less likely, since the ratio is above 1.",
                "A hazard ratio above 1 means the event came sooner in the antibiotic group, "
                "not later.",
            ),
            Option(
                "Antibiotics cause progression, and the loss of gut bacteria explains all of "
                "the difference.",
                "These are observational comparisons of patients who did and did not need "
                "antibiotics; they show a link, not its cause.",
            ),
        ),
        source=("xu2020",),
    ),
    Question(
        "In the nerve-injury model, blocking the injury signal restores the response of a "
        "T-cell-rich tumour, but not when T-cell infiltration is lowered to 0.3. Why?",
        (
            Option(
                "With fewer T cells, the nerve injury itself becomes more severe.",
                "The nerve-injury burden is the same in both runs; what changes is how many "
                "T cells reach the tumour.",
            ),
            Option(
                "Blocking the signal lowers T-cell priming, as antibiotics do.",
                "In the model nerve injury acts only on killing, through exhaustion; priming is "
                "set by the gut bacteria.",
            ),
            Option(
                "Blocking the signal removes exhaustion, but it cannot create T cells that are "
                "not there.",
                "Yes: blocking one route of resistance helps only when the others are open. A "
                "tumour with few T cells needs more than its exhaustion removed.",
                correct=True,
            ),
        ),
        source=("nerveinjury2025",),
        model=True,
    ),
    Question(
        "The virtual cohort's response rates come with exact 95% intervals. What do those "
        "intervals measure?",
        (
            Option(
                "Only the sampling noise of 200 such virtual patients.",
                "Right: and even so, neighbouring scenarios overlap; 200 patients cannot tell a "
                "response rate of 28.0% from one of 24.5%.",
                correct=True,
            ),
            Option(
                "The range of response rates to expect in real patients.",
                "The virtual patients are draws from distributions someone chose for "
                "illustration, so the cohort's rates are model outputs, not estimates for any "
                "real group.",
            ),
            Option(
                "The uncertainty of the model's illustrative parameters as well as of the sample.",
                "The intervals leave that out: the uncertainty of the model itself is far "
                "larger than the sampling noise they show.",
            ),
        ),
        model=True,
    ),
]
